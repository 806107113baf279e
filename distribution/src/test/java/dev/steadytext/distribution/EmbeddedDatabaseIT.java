package dev.steadytext.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code steadytext run} without a URL: its own PostgreSQL 17, whose data survives a restart. */
class EmbeddedDatabaseIT {

    private static final Pattern JDBC_URL = Pattern.compile("(jdbc:postgresql://\\S+)");
    private final Path logs = Distribution.logDirectory(EmbeddedDatabaseIT.class);

    @Test
    void run_withoutUrl_startsEmbeddedPostgres_andReusesItsDataOnTheNextStart(@TempDir Path home) throws Exception {
        String port = Integer.toString(freePort());
        String url;
        try (PlatformProcess first = PlatformProcess.builder(logs, "embedded-first")
                .home(home).arguments("--port", port).start()) {
            Duration startup = first.awaitReady(Duration.ofSeconds(120));
            System.out.printf("embedded: first start (initdb + migration) ready in %d ms%n", startup.toMillis());
            assertThat(first.stderr()).contains("Creating embedded PostgreSQL 17");
            url = jdbcUrlIn(first.stdout());
            assertThat(url).contains(":" + port + "/");
            try (Connection connection = DriverManager.getConnection(url);
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE it_marker (id int)");
            }
            assertThat(first.terminate(Duration.ofSeconds(60))).isEqualTo(143);
        }

        try (PlatformProcess second = PlatformProcess.builder(logs, "embedded-second")
                .home(home).arguments("--port", port).start()) {
            Duration startup = second.awaitReady(Duration.ofSeconds(120));
            System.out.printf("embedded: second start (existing data, schema up to date) ready in %d ms%n",
                    startup.toMillis());
            assertThat(second.stderr()).contains("Starting embedded PostgreSQL 17").contains("up to date");
            try (Connection connection = DriverManager.getConnection(url);
                    Statement statement = connection.createStatement();
                    ResultSet marker = statement.executeQuery("SELECT to_regclass('it_marker') IS NOT NULL")) {
                marker.next();
                assertThat(marker.getBoolean(1)).as("data from the first run").isTrue();
            }
            second.terminate(Duration.ofSeconds(60));
        }
    }

    private static String jdbcUrlIn(String stdout) {
        Matcher url = JDBC_URL.matcher(stdout);
        assertThat(url.find()).as("JDBC URL in the ready line: " + stdout).isTrue();
        return url.group(1);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
