package dev.steadytext.distribution;

import dev.steadytext.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** One-line SQL for tests: a statement with parameters, its first column as text. */
final class Sql {

    private Sql() {}

    /** The first column of the first row, or null when there is no row. */
    static String text(TestDatabase db, String sql, Object... parameters) throws SQLException {
        try (Connection connection = db.connect()) {
            return text(connection, sql, parameters);
        }
    }

    static String text(Connection connection, String sql, Object... parameters) throws SQLException {
        List<String> column = column(connection, sql, parameters);
        return column.isEmpty() ? null : column.get(0);
    }

    /** The first column of every row. */
    static List<String> column(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            List<String> values = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
            return values;
        }
    }

    static long number(TestDatabase db, String sql, Object... parameters) throws SQLException {
        return Long.parseLong(text(db, sql, parameters));
    }
}
