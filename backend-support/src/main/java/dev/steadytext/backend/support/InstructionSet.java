package dev.steadytext.backend.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * The CPU instruction-set class that native kernels pick at run time, such as {@code x86_64-avx2}.
 *
 * <p>Native backends choose SIMD kernels by CPU features, and different kernels may round differently, so the class
 * belongs in a model fingerprint: two workers share cache entries only when their kernels match.
 */
public final class InstructionSet {

    private InstructionSet() {}

    /** The class of this machine's CPU, from {@code /proc/cpuinfo} on Linux. */
    public static String detect() {
        String arch = arch();
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(cpuinfo)) {
            return arch + "-generic";
        }
        try {
            return classify(arch, Files.readString(cpuinfo));
        } catch (IOException e) {
            return arch + "-generic";
        }
    }

    /** Classifies the first {@code flags} line of a {@code /proc/cpuinfo} text. */
    public static String classify(String arch, String cpuinfo) {
        if (!arch.equals("x86_64")) {
            return arch + "-generic";
        }
        Set<String> flags = Set.of();
        for (String line : cpuinfo.split("\n")) {
            if (line.startsWith("flags")) {
                int colon = line.indexOf(':');
                flags = Set.of(line.substring(colon + 1).trim().split("\\s+"));
                break;
            }
        }
        if (flags.contains("avx512f")) {
            return "x86_64-avx512";
        }
        if (flags.contains("avx2") && flags.contains("fma")) {
            return "x86_64-avx2";
        }
        if (flags.contains("avx")) {
            return "x86_64-avx";
        }
        return "x86_64-generic";
    }

    private static String arch() {
        String arch = System.getProperty("os.arch", "unknown").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> arch;
        };
    }
}
