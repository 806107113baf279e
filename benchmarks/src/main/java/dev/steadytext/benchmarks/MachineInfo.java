package dev.steadytext.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** What the figures were measured on, for the report's header: CPU, cores, memory, load, JDK. */
final class MachineInfo {

    private MachineInfo() {}

    static String cpuModel() {
        return lines("/proc/cpuinfo").stream().filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("unknown");
    }

    static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    static String memory() {
        return lines("/proc/meminfo").stream().filter(l -> l.startsWith("MemTotal:"))
                .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
                .map(kb -> String.format(Locale.ROOT, "%.1f GiB", kb / 1024.0 / 1024.0)).findFirst().orElse("unknown");
    }

    /** The 1, 5 and 15 minute load averages: above the core count, other work competed with the figures. */
    static String loadAverage() {
        return lines("/proc/loadavg").stream().findFirst()
                .map(l -> String.join(" ", List.of(l.split(" ")).subList(0, 3))).orElse("unknown");
    }

    static double oneMinuteLoad() {
        return lines("/proc/loadavg").stream().findFirst().map(l -> Double.parseDouble(l.split(" ")[0])).orElse(0.0);
    }

    static String jdk() {
        return System.getProperty("java.vm.vendor", "") + " " + System.getProperty("java.vm.name", "") + " "
                + Runtime.version();
    }

    static Optional<String> kernel() {
        return lines("/proc/sys/kernel/osrelease").stream().findFirst();
    }

    private static List<String> lines(String file) {
        try {
            return Files.readAllLines(Path.of(file));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
