package dev.steadytext.cli;

import dev.steadytext.platform.PlatformException;
import java.sql.SQLException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Prints a failed command's error as one readable message (SQLSTATE first for database errors), exit code 1. */
final class ErrorReporter implements IExecutionExceptionHandler {

    static final int FAILED = 1;

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, ParseResult parseResult) {
        commandLine.getErr().println(describe(e));
        return FAILED;
    }

    static String describe(Throwable e) {
        if (e instanceof PSQLException postgres && postgres.getServerErrorMessage() != null) {
            // The server's own message, without pgjdbc's "ERROR:" prefix and PL/pgSQL context lines.
            ServerErrorMessage server = postgres.getServerErrorMessage();
            return "ERROR " + server.getSQLState() + ": " + server.getMessage()
                    + (server.getHint() == null ? "" : System.lineSeparator() + "HINT: " + server.getHint());
        }
        if (e instanceof SQLException sql) {
            return "ERROR " + (sql.getSQLState() == null ? "" : sql.getSQLState() + ": ") + sql.getMessage();
        }
        if (e instanceof PlatformException || e instanceof IllegalArgumentException) {
            return "ERROR " + e.getMessage();
        }
        return "ERROR " + e;
    }
}
