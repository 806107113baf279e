package dev.steadytext.platform;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** Reads and rewrites pgjdbc URLs ({@code jdbc:postgresql://host:port/db?k=v}) for display. */
final class JdbcUrlText {

    private static final String PREFIX = "jdbc:postgresql:";

    private JdbcUrlText() {}

    /** The URL without a {@code password} parameter, safe to print. */
    static String redact(String jdbcUrl) {
        int query = jdbcUrl.indexOf('?');
        if (query < 0) {
            return jdbcUrl;
        }
        String kept = Arrays.stream(jdbcUrl.substring(query + 1).split("&"))
                .filter(parameter -> !parameter.toLowerCase(java.util.Locale.ROOT).startsWith("password="))
                .collect(Collectors.joining("&"));
        return kept.isEmpty() ? jdbcUrl.substring(0, query) : jdbcUrl.substring(0, query + 1) + kept;
    }

    /** The value of a URL parameter, if present. */
    static Optional<String> parameter(String jdbcUrl, String name) {
        int query = jdbcUrl.indexOf('?');
        if (query < 0) {
            return Optional.empty();
        }
        return Arrays.stream(jdbcUrl.substring(query + 1).split("&"))
                .filter(parameter -> parameter.startsWith(name + "="))
                .map(parameter -> parameter.substring(name.length() + 1))
                .findFirst();
    }

    /**
     * A libpq connection URI for the same server and database, e.g. {@code postgresql://user@localhost:5432/db}.
     * pgjdbc's host list ({@code h1:p1,h2:p2}, IPv6 in brackets) has libpq's syntax, so it is copied as is.
     */
    static String libpqUri(String jdbcUrl, Optional<String> user) {
        if (!jdbcUrl.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + redact(jdbcUrl));
        }
        String rest = jdbcUrl.substring(PREFIX.length());
        int query = rest.indexOf('?');
        if (query >= 0) {
            rest = rest.substring(0, query);
        }
        String hosts = "localhost";
        String database = rest;
        if (rest.startsWith("//")) {
            int slash = rest.indexOf('/', 2);
            hosts = slash < 0 ? rest.substring(2) : rest.substring(2, slash);
            database = slash < 0 ? "" : rest.substring(slash + 1);
        } else if (rest.startsWith("/")) {
            database = rest.substring(1);
        }
        String userPart = user.map(name -> name + "@").orElse("");
        return "postgresql://" + userPart + (hosts.isEmpty() ? "localhost" : hosts) + "/" + database;
    }
}
