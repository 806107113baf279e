package dev.steadytext.cli;

import java.util.Optional;
import picocli.CommandLine.Option;

/** How to reach PostgreSQL: {@code --jdbc-url}, {@code --user}, and the password from an environment variable. */
final class DatabaseOptions {

    @Option(names = "--jdbc-url", paramLabel = "URL", description = "PostgreSQL JDBC URL, e.g. jdbc:postgresql://localhost:5432/app.")
    String jdbcUrl;

    @Option(names = "--user", paramLabel = "USER", description = "Database user (default: the URL's user parameter).")
    String user;

    @Option(names = "--password-env", paramLabel = "VAR", defaultValue = "PGPASSWORD",
            description = "Environment variable holding the database password (default: ${DEFAULT-VALUE}). "
                    + "Passwords are never taken on the command line, where other users could read them.")
    String passwordVariable;

    Optional<String> jdbcUrl() {
        return Optional.ofNullable(jdbcUrl).filter(url -> !url.isBlank());
    }

    Optional<String> user() {
        return Optional.ofNullable(user).filter(name -> !name.isBlank());
    }

    Optional<String> password() {
        return Optional.ofNullable(System.getenv(passwordVariable)).filter(value -> !value.isEmpty());
    }
}
