package dev.steadytext.cli;

import dev.steadytext.platform.DatabaseEndpoint;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Opens the connection for {@code generate}, {@code embed} and {@code status}: to {@code --jdbc-url} if given,
 * else to the database of the {@code steadytext run} recorded in the home directory.
 */
final class SqlConnections {

    private SqlConnections() {}

    static Connection open(DatabaseOptions options, UserHome home) throws SQLException {
        DatabaseEndpoint endpoint = options.jdbcUrl()
                .map(url -> DatabaseEndpoint.of(url, options.user(), "public"))
                .or(() -> new RuntimeStateFile(home.directory()).read())
                .orElseThrow(() -> new IllegalArgumentException(
                        "no database: pass --jdbc-url, or start 'steadytext run' first"));
        Properties properties = new Properties();
        options.user().or(endpoint::user).ifPresent(user -> properties.setProperty("user", user));
        options.password().ifPresent(password -> properties.setProperty("password", password));
        properties.setProperty("ApplicationName", "steadytext-cli");
        if (options.jdbcUrl().isEmpty()) {
            properties.setProperty("currentSchema", endpoint.schema());
        }
        // The redacted URL is enough for the recorded endpoint; a given URL is used as typed (it may hold options).
        return DriverManager.getConnection(options.jdbcUrl().orElse(endpoint.jdbcUrl()), properties);
    }
}
