package dev.steadytext.platform.internal;

import dev.steadytext.platform.DatabaseEndpoint;
import dev.steadytext.schema.MigrationResult;
import dev.steadytext.schema.SchemaMigrator;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;

/**
 * Installs or upgrades the steadytext schema before the runtime starts, outside OSGi, reporting each step.
 *
 * <p>The one place that knows the schema module's API ({@link SchemaMigrator}).
 */
final class SchemaInstaller {

    private static final System.Logger LOG = System.getLogger(SchemaInstaller.class.getName());

    MigrationResult install(String jdbcUrl, Optional<String> user, Optional<String> password, String schema) {
        Properties properties = new Properties();
        user.ifPresent(value -> properties.setProperty("user", value));
        password.ifPresent(value -> properties.setProperty("password", value));
        properties.setProperty("ApplicationName", "steadytext-migration");
        try (Connection connection = DriverManager.getConnection(jdbcUrl, properties)) {
            return SchemaMigrator.migrate(connection, schema, line -> LOG.log(System.Logger.Level.INFO, line));
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot connect to " + DatabaseEndpoint.of(jdbcUrl, user, schema).jdbcUrl()
                    + " to install the schema: " + e.getMessage() + " (SQLSTATE " + e.getSQLState() + ")", e);
        }
    }
}
