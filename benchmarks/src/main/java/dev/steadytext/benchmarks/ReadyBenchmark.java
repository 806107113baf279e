package dev.steadytext.benchmarks;

import dev.steadytext.benchmarks.Result.Goal;
import dev.steadytext.platform.SteadyTextPlatform;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Figure 3a: how long the platform takes to serve, with its schema already installed. Measured in a fresh JVM per
 * start, as a real restart is: first with an empty home (cold: native libraries extracted), then again on the same
 * home (warm). Configured as the README's {@code run} command: the demo GGUF model plus the default embeddings.
 */
final class ReadyBenchmark {

    private static final String FIGURE = Figure.READY.id();

    private final GroupContext context;

    ReadyBenchmark(GroupContext context) {
        this.context = context;
    }

    void run(String phase) throws Exception {
        Path model = context.options().modelsDir().resolve("stories260K.gguf");
        Optional<Path> generation = Files.isRegularFile(model) ? Optional.of(model) : Optional.empty();
        var since = PlatformStarter.serverNow(context);
        long before = System.nanoTime();
        try (SteadyTextPlatform platform = PlatformStarter.start(context, context.options().workDir().resolve("ready-home"),
                generation, Optional.empty())) {
            long wall = System.nanoTime() - before;
            long sinceJvmStart = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
            Duration embedding = PlatformStarter.awaitModel(context, since, "embedding", Optional.empty(), Duration.ofSeconds(60));
            // The second wait starts when the first ends: together they span start() to both models registered.
            Duration models = generation.isEmpty() ? embedding
                    : embedding.plus(PlatformStarter.awaitModel(context, since, "generation", Optional.empty(), Duration.ofSeconds(60)));
            boolean warm = phase.equals("warm");
            String setUp = generation.isPresent() ? "stories260K + all-MiniLM-L6-v2" : "all-MiniLM-L6-v2 only (no GGUF found)";
            context.reporter().result(Result.absolute(FIGURE, phase + " start: start() until the worker serves (s)",
                    platform.startupTime().toMillis() / 1000.0, warm ? Goal.atMost(3.0) : Goal.NONE,
                    "SteadyTextPlatform.startupTime(), schema up to date, " + setUp
                            + (warm ? "; second start on the same home" : "; empty home directory")));
            context.reporter().result(Result.absolute(FIGURE, phase + " start: JVM start until the worker serves (s)",
                    sinceJvmStart / 1000.0, Goal.NONE, "includes JVM start and class loading; start() itself "
                            + Result.format(wall / 1e9) + " s"));
            context.reporter().result(Result.absolute(FIGURE, phase + " start: until the models are registered (s)",
                    (wall + models.toNanos()) / 1e9, Goal.NONE, "until SQL can key requests for both models"));
        }
    }
}
