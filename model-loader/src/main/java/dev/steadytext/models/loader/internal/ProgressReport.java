package dev.steadytext.models.loader.internal;

import dev.steadytext.models.DownloadProgress;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Reports one load's progress to the waiting callers (a row they can read) and to the worker's log, without flooding
 * either: a step, and each phase of a download, is reported at once; bytes arriving at most twice a second to the
 * row and every ten seconds to the log.
 */
final class ProgressReport implements Progress {

    static final long WRITE_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** Where the row is written: the text for people, bytes done and total ({@code -1} when not known). */
    @FunctionalInterface
    interface Row {
        void write(String text, long bytesDone, long bytesTotal);
    }

    private final Row row;
    private final Consumer<String> log;
    private final LongSupplier nanoTime;
    private DownloadProgress.Phase lastPhase;
    private long lastWrite;
    private long lastLog;
    private String last = "";

    /**
     * @param row the request's row
     * @param log a line for the worker's log, which the report does not prefix
     * @param nanoTime the clock ({@link System#nanoTime} but in tests)
     */
    ProgressReport(Row row, Consumer<String> log, LongSupplier nanoTime) {
        this.row = row;
        this.log = log;
        this.nanoTime = nanoTime;
    }

    @Override
    public void step(String description) {
        last = description;
        lastPhase = null;
        row.write(description, -1, -1);
        log.accept(description);
    }

    @Override
    public void download(DownloadProgress progress) {
        long now = nanoTime.getAsLong();
        boolean newPhase = progress.phase() != lastPhase;
        String text = "downloading: " + progress.describe();
        last = text;
        if (newPhase || now - lastWrite >= WRITE_INTERVAL_NANOS) {
            row.write(text, progress.bytesDone(), progress.totalBytes());
            lastWrite = now;
        }
        if (newPhase || now - lastLog >= LOG_INTERVAL_NANOS) {
            log.accept(text);
            lastLog = now;
        }
        lastPhase = progress.phase();
    }

    /** The last thing reported. */
    String last() {
        return last;
    }
}
