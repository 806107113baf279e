package dev.steadytext.testkit;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The SEVERE records logged through java.util.logging (where the platform's System.Logger output goes) while it is
 * open, for tests that assert a scenario logs no error.
 */
public final class SevereLogRecords extends Handler {

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    private SevereLogRecords() {
    }

    /** Starts recording on the root logger; {@link #close()} stops. */
    public static SevereLogRecords capture() {
        SevereLogRecords recorder = new SevereLogRecords();
        Logger.getLogger("").addHandler(recorder);
        return recorder;
    }

    /** What was recorded so far, as {@code logger: message}. */
    public List<String> messages() {
        return records.stream().map(r -> r.getLoggerName() + ": " + r.getMessage()).toList();
    }

    @Override
    public void publish(LogRecord record) {
        if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
            records.add(record);
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
    }
}
