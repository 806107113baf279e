package dev.steadytext.platform;

import java.util.Objects;
import java.util.Optional;

/**
 * The database a platform serves, as SQL clients reach it. Holds no password.
 *
 * @param jdbcUrl the JDBC URL, with any {@code password} parameter removed
 * @param user the user the platform connects as, if known
 * @param schema the schema holding the steadytext tables and functions
 */
public record DatabaseEndpoint(String jdbcUrl, Optional<String> user, String schema) {

    public DatabaseEndpoint {
        jdbcUrl = JdbcUrlText.redact(Objects.requireNonNull(jdbcUrl, "jdbcUrl"));
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(schema, "schema");
    }

    /** The endpoint of a JDBC URL; the user is the given one, else the URL's {@code user} parameter. */
    public static DatabaseEndpoint of(String jdbcUrl, Optional<String> user, String schema) {
        return new DatabaseEndpoint(jdbcUrl, user.or(() -> JdbcUrlText.parameter(jdbcUrl, "user")), schema);
    }

    /** A psql command line that connects to this database, e.g. {@code psql "postgresql://u@localhost:5432/db"}. */
    public String psqlCommand() {
        return "psql \"" + JdbcUrlText.libpqUri(jdbcUrl, user) + "\"";
    }
}
