package dev.steadytext.cli;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code steadytext status}: the live workers, from {@code steadytext_worker_status()}. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the live workers (SELECT * FROM steadytext_worker_status()).")
final class StatusCommand implements Callable<Integer> {

    @Mixin
    DatabaseOptions database;

    @Mixin
    UserHome home;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws SQLException {
        PrintWriter out = spec.commandLine().getOut();
        try (Connection connection = SqlConnections.open(database, home);
                Statement statement = connection.createStatement();
                ResultSet workers = statement.executeQuery("SELECT * FROM steadytext_worker_status()")) {
            ResultSetMetaData columns = workers.getMetaData();
            List<String> header = new ArrayList<>();
            for (int i = 1; i <= columns.getColumnCount(); i++) {
                header.add(columns.getColumnLabel(i));
            }
            out.println(String.join("\t", header));
            int rows = 0;
            while (workers.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns.getColumnCount(); i++) {
                    row.add(String.valueOf(workers.getString(i)));
                }
                out.println(String.join("\t", row));
                rows++;
            }
            out.println(rows == 0 ? "(no live workers)" : "(" + rows + (rows == 1 ? " worker)" : " workers)"));
        }
        return 0;
    }
}
