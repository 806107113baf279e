package dev.steadytext.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a {@link FigureProcess} in a fresh JVM with this JVM's class path and options, passing its progress through
 * and collecting its result rows.
 */
final class ChildJvm {

    private ChildJvm() {}

    static List<Result> run(List<String> arguments, Path workDir) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        // The launcher's own JVM options (heap, --enable-native-access, ...), minus debugger agents.
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> !a.startsWith("-agentlib") && !a.startsWith("-javaagent"))
                .forEach(command::add);
        // Felix's SecureAction touches sun.misc.Unsafe, which Java 24+ warns about at length (as bin/steadytext allows).
        if (Runtime.version().feature() >= 23 && command.stream().noneMatch(a -> a.startsWith("--sun-misc-unsafe"))) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        // DJL (LangChain4j's tokenizer) must neither write to the home directory nor try the network.
        command.add("-DDJL_CACHE_DIR=" + workDir.resolve("djl"));
        command.add("-DENGINE_CACHE_DIR=" + workDir.resolve("djl"));
        command.add("-Dai.djl.offline=true");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(FigureProcess.class.getName());
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<Result> results = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                var result = Result.parse(line);
                if (result.isPresent()) {
                    results.add(result.get());
                } else {
                    System.err.println(line); // a library printing to stdout: progress, not a result
                }
            }
        }
        int status = process.waitFor();
        if (status != 0) {
            System.err.println("figure process exited with status " + status);
        }
        return results;
    }
}
