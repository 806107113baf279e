package dev.steadytext.cli;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code steadytext generate TEXT}: {@code SELECT steadytext_generate(...)}, like any SQL caller. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate text through the database (SELECT steadytext_generate(prompt, max_tokens)).")
final class GenerateCommand implements Callable<Integer> {

    @Parameters(paramLabel = "TEXT", description = "The prompt.")
    String prompt;

    @Option(names = "--max-tokens", paramLabel = "N", description = "Tokens to generate (default: the server's).")
    Integer maxTokens;

    @Mixin
    DatabaseOptions database;

    @Mixin
    UserHome home;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws SQLException {
        try (Connection connection = SqlConnections.open(database, home);
                PreparedStatement generate = connection.prepareStatement("SELECT steadytext_generate(?, ?)")) {
            generate.setString(1, prompt); // prompt
            if (maxTokens == null) {
                generate.setNull(2, Types.INTEGER); // max_tokens: the configured default
            } else {
                generate.setInt(2, maxTokens); // max_tokens
            }
            try (ResultSet result = generate.executeQuery()) {
                result.next();
                spec.commandLine().getOut().println(result.getString(1));
            }
        }
        return 0;
    }
}
