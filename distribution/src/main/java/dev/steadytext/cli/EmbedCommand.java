package dev.steadytext.cli;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code steadytext embed TEXT}: {@code SELECT steadytext_embed(...)}, printed as PostgreSQL prints it. */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = "Embed text through the database (SELECT steadytext_embed(text)).")
final class EmbedCommand implements Callable<Integer> {

    @Parameters(paramLabel = "TEXT", description = "The text to embed.")
    String text;

    @Mixin
    DatabaseOptions database;

    @Mixin
    UserHome home;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws SQLException {
        try (Connection connection = SqlConnections.open(database, home);
                PreparedStatement embed = connection.prepareStatement("SELECT steadytext_embed(?)::text")) {
            embed.setString(1, text); // text_input
            try (ResultSet result = embed.executeQuery()) {
                result.next();
                spec.commandLine().getOut().println(result.getString(1));
            }
        }
        return 0;
    }
}
