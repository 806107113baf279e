package dev.steadytext.cli;

import dev.steadytext.models.DownloadListener;
import dev.steadytext.models.DownloadProgress;
import dev.steadytext.models.DownloadProgress.Phase;
import java.io.Console;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Shows a download's progress on stderr: a bar redrawn in place on a terminal, or plain lines (one per phase and
 * per tenth of the file) when the output is a file or a pipe.
 */
final class DownloadDisplay implements DownloadListener {

    /** How to show progress: {@code auto} picks {@code bar} on a terminal, {@code lines} otherwise. */
    enum Style {
        AUTO, BAR, LINES, NONE;

        static final String SPELLINGS = "auto, bar, lines, none";

        /** The style spelled in lowercase on the command line; {@code option} names it in the error. */
        static Style parse(String option, String value) {
            for (Style style : values()) {
                if (style.name().equalsIgnoreCase(value)) {
                    return style;
                }
            }
            throw new IllegalArgumentException(option + ": must be one of " + SPELLINGS + ", got '" + value + "'");
        }
    }

    private static final int BAR_WIDTH = 30;

    private final PrintWriter err;
    private final Style style;
    private Phase lastPhase;
    private int lastTenth = -1;
    private boolean barDrawn;

    DownloadDisplay(PrintWriter err, Style style) {
        this.err = err;
        this.style = style == Style.AUTO ? (onTerminal() ? Style.BAR : Style.LINES) : style;
    }

    @Override
    public void progress(DownloadProgress progress) {
        switch (style) {
            case BAR -> bar(progress);
            case LINES -> line(progress);
            default -> { }
        }
        lastPhase = progress.phase();
    }

    private void bar(DownloadProgress progress) {
        if (progress.phase() != Phase.TRANSFERRING) {
            endBar();
            if (progress.phase() != Phase.DONE) {
                err.println(progress.model() + ": " + progress.describe());
            }
            err.flush();
            return;
        }
        double fraction = progress.fraction();
        int filled = fraction < 0 ? 0 : (int) Math.round(fraction * BAR_WIDTH);
        String bar = "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled);
        err.print(String.format(Locale.ROOT, "\r%s [%s] %s\u001b[K", progress.model(), bar, progress.describe()));
        err.flush();
        barDrawn = true;
    }

    private void endBar() {
        if (barDrawn) {
            err.println();
            barDrawn = false;
        }
    }

    private void line(DownloadProgress progress) {
        if (progress.phase() == Phase.TRANSFERRING) {
            int tenth = progress.fraction() < 0 ? -1 : (int) (progress.fraction() * 10);
            if (progress.phase() == lastPhase && tenth <= lastTenth) {
                return;
            }
            lastTenth = tenth;
        } else {
            lastTenth = -1;
        }
        err.println(progress.model() + ": " + progress.describe());
        err.flush();
    }

    /** Whether stderr is an interactive terminal; Java 22+ answers exactly, Java 21 has a console only on one. */
    private static boolean onTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
