package dev.steadytext.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;

/**
 * What a figure group gets in its own JVM: its options, its database (schema installed) and where to report.
 *
 * @param figures the figures of this group that were selected
 */
record GroupContext(Options options, Set<Figure> figures, String jdbcUrl, String database, int port, Reporter reporter) {

    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, BenchServer.USER, "");
    }

    /** A directory under the work directory, created if needed. */
    Path workDir(String name) throws IOException {
        return Files.createDirectories(options.workDir().resolve(name));
    }

    boolean selected(Figure figure) {
        return figures.contains(figure);
    }

    /** The single number of a query such as {@code SELECT count(*) ...}. */
    long queryLong(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
