package dev.steadytext.cli;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.concurrent.Callable;
import org.postgresql.PGConnection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code steadytext generate TEXT}: prints the text as it is generated ({@code SELECT * FROM
 * steadytext_generate_stream(...)}), or all at once with {@code --no-stream} ({@code SELECT steadytext_generate(...)});
 * through the database, like any SQL caller.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate text through the database, printing it as it is generated "
                + "(SELECT * FROM steadytext_generate_stream(prompt, max_tokens)).")
final class GenerateCommand implements Callable<Integer> {

    @Parameters(paramLabel = "TEXT", description = "The prompt.")
    String prompt;

    @Option(names = "--max-tokens", paramLabel = "N", description = "Tokens to generate (default: the server's).")
    Integer maxTokens;

    @Option(names = "--no-stream", description = "Print the text once it is complete (SELECT steadytext_generate(...)).")
    boolean noStream;

    @Mixin
    DatabaseOptions database;

    @Mixin
    UserHome home;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws SQLException {
        PrintWriter out = spec.commandLine().getOut();
        try (Connection connection = SqlConnections.open(database, home)) {
            if (noStream) {
                try (PreparedStatement generate = connection.prepareStatement("SELECT steadytext_generate(?, ?)")) {
                    bind(generate);
                    try (ResultSet result = generate.executeQuery()) {
                        result.next();
                        out.println(result.getString(1));
                    }
                }
            } else {
                stream(connection, out);
            }
        }
        return 0;
    }

    /**
     * Prints each row as it arrives. pgjdbc hands rows over one by one only from a cursor: autocommit off and a fetch
     * size. Ctrl-C cancels the statement, which stops the generation in the worker.
     */
    private void stream(Connection connection, PrintWriter out) throws SQLException {
        connection.setAutoCommit(false);
        try (PreparedStatement generate = connection.prepareStatement(
                "SELECT * FROM steadytext_generate_stream(?, ?)")) {
            bind(generate);
            generate.setFetchSize(1);
            // Not Statement.cancel(): pgjdbc ignores it once executeQuery has returned and the rows are being fetched.
            PGConnection postgres = connection.unwrap(PGConnection.class);
            Thread cancel = new Thread(() -> {
                try {
                    postgres.cancelQuery();
                } catch (SQLException e) {
                    // The JVM is exiting; the server notices the closed connection instead.
                }
            }, "steadytext-generate-cancel");
            Runtime.getRuntime().addShutdownHook(cancel);
            try (ResultSet rows = generate.executeQuery()) {
                while (rows.next()) {
                    out.print(rows.getString(1));
                    out.flush();
                }
                out.println();
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(cancel);
                } catch (IllegalStateException shuttingDown) {
                    // Ctrl-C: the hook has run (that is why the statement ended); nothing to remove.
                }
            }
            connection.commit();
        }
    }

    private void bind(PreparedStatement generate) throws SQLException {
        generate.setString(1, prompt); // prompt
        if (maxTokens == null) {
            generate.setNull(2, Types.INTEGER); // max_tokens: the configured default
        } else {
            generate.setInt(2, maxTokens); // max_tokens
        }
    }
}
