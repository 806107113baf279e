package dev.steadytext.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * java.util.logging for the command line: one line per record on stderr (stdout is for results and the ready line).
 * Bundles log through System.Logger or JUL, and slf4j reaches JUL through slf4j-jdk14, so this is all the logging.
 */
final class ConsoleLogging {

    private ConsoleLogging() {}

    static void install() {
        if (System.getProperty("java.util.logging.config.file") != null) {
            return; // the user configured logging
        }
        LogManager.getLogManager().reset();
        ConsoleHandler handler = new ConsoleHandler(); // stderr
        handler.setFormatter(new OneLineFormatter());
        handler.setLevel(Level.ALL);
        // Liquibase narrates each changeset in several lines and sets its loggers' levels itself; the schema
        // installer reports one line per changeset instead.
        handler.setFilter(record -> record.getLevel().intValue() >= Level.WARNING.intValue()
                || record.getLoggerName() == null || !record.getLoggerName().startsWith("liquibase"));
        Logger root = Logger.getLogger("");
        root.addHandler(handler);
        root.setLevel(Level.INFO);
        // zonky narrates every pg_ctl step; our own lines say what matters.
        Logger.getLogger("io.zonky").setLevel(Level.WARNING);
    }

    /** {@code 12:00:01.234 INFO  PlatformRuntime: message}, then the stack trace if any. */
    static final class OneLineFormatter extends Formatter {

        private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

        @Override
        public String format(LogRecord record) {
            StringBuilder line = new StringBuilder(160)
                    .append(TIME.format(LocalTime.ofInstant(record.getInstant(), ZoneId.systemDefault())))
                    .append(' ')
                    .append(String.format("%-7s", record.getLevel().getName()))
                    .append(' ')
                    .append(simpleName(record.getLoggerName()))
                    .append(": ")
                    .append(formatMessage(record))
                    .append(System.lineSeparator());
            if (record.getThrown() != null) {
                StringWriter trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                line.append(trace);
            }
            return line.toString();
        }

        private static String simpleName(String loggerName) {
            if (loggerName == null) {
                return "";
            }
            return loggerName.substring(loggerName.lastIndexOf('.') + 1);
        }
    }
}
