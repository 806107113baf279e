package dev.steadytext.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * What the migrator needs to know about the database before it decides anything, read in one query.
 *
 * @param encoding the database encoding (must be UTF8: cache keys hash the UTF-8 bytes of the input)
 * @param dblinkSchema where the dblink extension is installed, or null if it is not
 * @param vectorSchema where the pgvector extension is installed, or null if it is not
 * @param installedFingerprint the fingerprint of the last successful migration of this schema, or null
 */
record Environment(String encoding, String dblinkSchema, String vectorSchema, String installedFingerprint) {

    /** dblink goes here when the database does not have it yet: no USAGE for PUBLIC, so only we use it. */
    static final String PRIVATE_SCHEMA = "steadytext_private";

    private static final String INSPECT = """
            SELECT pg_encoding_to_char(d.encoding),
                   (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
                    WHERE e.extname = 'dblink'),
                   (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
                    WHERE e.extname = 'vector'),
                   to_regclass(quote_ident(?) || '.steadytext_schema_state') IS NOT NULL
            FROM pg_database d WHERE d.datname = current_database()
            """;

    static Environment read(Connection connection, String schema) throws SQLException {
        String encoding;
        String dblink;
        String vector;
        boolean stateTable;
        try (PreparedStatement statement = connection.prepareStatement(INSPECT)) {
            statement.setString(1, schema); // the schema whose steadytext_schema_state we look for
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                encoding = rs.getString(1);
                dblink = rs.getString(2);
                vector = rs.getString(3);
                stateTable = rs.getBoolean(4);
            }
        }
        String installed = null;
        if (stateTable) {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT fingerprint FROM " + schema + ".steadytext_schema_state");
                    ResultSet rs = statement.executeQuery()) {
                installed = rs.next() ? rs.getString(1) : null;
            }
        }
        return new Environment(encoding, dblink, vector, installed);
    }

    /** The schema dblink is (or will be) in. */
    String dblinkTarget() {
        return dblinkSchema != null ? dblinkSchema : PRIVATE_SCHEMA;
    }

    /** The type embedding functions return: pgvector's when it is installed. */
    String embeddingType() {
        return vectorSchema == null ? "real[]" : quoteIdent(vectorSchema) + ".vector";
    }

    static String quoteIdent(String identifier) {
        return identifier.matches("[a-z_][a-z0-9_$]*") ? identifier : '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
