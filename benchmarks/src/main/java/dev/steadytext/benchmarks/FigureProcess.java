package dev.steadytext.benchmarks;

/**
 * The main class of a figure process: runs one group of figures in this fresh JVM, against the database the
 * launcher prepared, and reports rows on standard output. Always ends with {@code System.exit}: java-llama.cpp leaves
 * a non-daemon native thread behind.
 */
public final class FigureProcess {

    /** Held so the setting sticks (JUL keeps loggers weakly). The platform's INFO lines would bury the progress. */
    private static final java.util.logging.Logger ROOT = java.util.logging.Logger.getLogger("");

    private FigureProcess() {}

    public static void main(String[] args) {
        int status = 0;
        Reporter reporter = new Reporter();
        ROOT.setLevel(java.util.logging.Level.WARNING);
        try {
            Options options = Options.parse(args);
            Figure.Group group = Figure.Group.valueOf(options.childSetting("group"));
            GroupContext context = new GroupContext(options, options.figuresOf(group), options.childSetting("jdbc-url"),
                    options.childSetting("database"), Integer.parseInt(options.childSetting("port")), reporter);
            switch (group) {
                case CACHE_HIT -> new CacheHitBenchmark(context).run();
                case EMBEDDINGS -> new EmbeddingBenchmark(context).run();
                case READY -> new ReadyBenchmark(context).run(options.childSetting("phase"));
                case PLATFORM -> new PlatformBenchmark(context).run();
                case NOOP -> new NoopBenchmark(context).run();
                case EVICTION -> new EvictionBenchmark(context, Figure.EVICTION.id()).run();
                case TRACE -> new TraceRecording(context).run();
            }
        } catch (Throwable e) {
            e.printStackTrace();
            status = 1;
        }
        System.out.flush();
        System.err.flush();
        System.exit(status);
    }
}
