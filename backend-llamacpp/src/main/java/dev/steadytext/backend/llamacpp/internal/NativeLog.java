package dev.steadytext.backend.llamacpp.internal;

import de.kherud.llama.LlamaModel;
import de.kherud.llama.LogLevel;
import de.kherud.llama.args.LogFormat;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/** Routes llama.cpp's native log lines, which would otherwise go to stderr, to a {@link System.Logger}. */
final class NativeLog {

    private static final Logger LOG = System.getLogger("dev.steadytext.backend.llamacpp.native");

    private NativeLog() {}

    /** Installs the JVM-wide native log callback; installing it again replaces it. */
    static void install() {
        LlamaModel.setLogger(LogFormat.TEXT, (level, message) -> LOG.log(map(level), message.stripTrailing()));
    }

    /** llama.cpp logs a hundred INFO lines per model load: they are debugging detail for us. */
    static Level map(LogLevel level) {
        return switch (level) {
            case DEBUG, INFO -> Level.DEBUG;
            case WARN -> Level.WARNING;
            case ERROR -> Level.ERROR;
        };
    }
}
