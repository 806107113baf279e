package dev.steadytext.platform;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How to start a {@link SteadyTextPlatform}: which database, which bundles, which models, where to keep state.
 *
 * <p>Only {@link Builder#bundlesDirectory(Path) the bundles directory} is required. Without a JDBC URL the platform
 * starts an embedded PostgreSQL 17 whose data directory survives restarts. Build with {@link #builder()}.
 *
 * @param jdbcUrl the database to serve; empty to start the embedded PostgreSQL
 * @param user database user; empty to use the one in the URL (or {@code postgres} for the embedded database)
 * @param password database password; empty for none. Never printed, logged or written to disk by the platform.
 * @param schema the schema holding the steadytext tables and functions
 * @param homeDirectory per-user state: the embedded database's default data directory and private runtime
 *     directories (framework storage, native library extraction)
 * @param embeddedDataDirectory the embedded PostgreSQL's data directory, reused on the next start
 * @param embeddedPort the embedded PostgreSQL's port; fixed so that a printed psql command stays valid
 * @param bundlesDirectory the bundles installed at start
 * @param configDirectory configuration files ({@code *.cfg}) watched by FileInstall; empty for none
 * @param pluginsDirectory drop-in bundles watched by FileInstall; empty for none
 * @param generationModel a GGUF model for the llama.cpp backend; empty to leave generation to configuration
 * @param migrateSchema whether to install or upgrade the schema before the runtime starts
 * @param readyTimeout how long to wait for the worker before giving up with a diagnosis
 * @param frameworkProperties extra OSGi framework properties, applied last
 */
public record PlatformOptions(
        Optional<String> jdbcUrl,
        Optional<String> user,
        Optional<String> password,
        String schema,
        Path homeDirectory,
        Path embeddedDataDirectory,
        int embeddedPort,
        Path bundlesDirectory,
        Optional<Path> configDirectory,
        Optional<Path> pluginsDirectory,
        Optional<Path> generationModel,
        boolean migrateSchema,
        Duration readyTimeout,
        Map<String, String> frameworkProperties) {

    /** The embedded PostgreSQL's port unless one is given: next to PostgreSQL's 5432, unlikely to be taken. */
    public static final int DEFAULT_EMBEDDED_PORT = 54329;

    public PlatformOptions {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(homeDirectory, "homeDirectory");
        Objects.requireNonNull(embeddedDataDirectory, "embeddedDataDirectory");
        Objects.requireNonNull(bundlesDirectory, "bundlesDirectory");
        Objects.requireNonNull(configDirectory, "configDirectory");
        Objects.requireNonNull(pluginsDirectory, "pluginsDirectory");
        Objects.requireNonNull(generationModel, "generationModel");
        Objects.requireNonNull(readyTimeout, "readyTimeout");
        frameworkProperties = Map.copyOf(frameworkProperties);
        if (embeddedPort < 1 || embeddedPort > 65535) {
            throw new IllegalArgumentException("embeddedPort must be 1..65535: " + embeddedPort);
        }
    }

    /** Whether the platform starts its own PostgreSQL. */
    public boolean embeddedDatabase() {
        return jdbcUrl.isEmpty();
    }

    /** A builder with the defaults described on each setter. */
    public static Builder builder() {
        return new Builder();
    }

    /** Leaves the password out. */
    @Override
    public String toString() {
        return "PlatformOptions[jdbcUrl=" + jdbcUrl.map(JdbcUrlText::redact) + ", user=" + user
                + ", password=" + (password.isPresent() ? "(set)" : "(none)") + ", schema=" + schema
                + ", homeDirectory=" + homeDirectory + ", embeddedDataDirectory=" + embeddedDataDirectory
                + ", embeddedPort=" + embeddedPort + ", bundlesDirectory=" + bundlesDirectory
                + ", configDirectory=" + configDirectory + ", pluginsDirectory=" + pluginsDirectory
                + ", generationModel=" + generationModel + ", migrateSchema=" + migrateSchema
                + ", readyTimeout=" + readyTimeout + ", frameworkProperties=" + frameworkProperties + "]";
    }

    /** Builds {@link PlatformOptions}; every setter names its default. */
    public static final class Builder {
        private String jdbcUrl;
        private String user;
        private String password;
        private String schema = "public";
        private Path homeDirectory;
        private Path embeddedDataDirectory;
        private int embeddedPort = DEFAULT_EMBEDDED_PORT;
        private Path bundlesDirectory;
        private Path configDirectory;
        private Path pluginsDirectory;
        private Path generationModel;
        private boolean migrateSchema = true;
        private Duration readyTimeout = Duration.ofSeconds(60);
        private Map<String, String> frameworkProperties = Map.of();

        private Builder() {}

        /** The database to serve; default none: start the embedded PostgreSQL 17. */
        public Builder jdbcUrl(String value) {
            jdbcUrl = blankToNull(value);
            return this;
        }

        /** Default: the URL's user, or {@code postgres} for the embedded database. */
        public Builder user(String value) {
            user = blankToNull(value);
            return this;
        }

        /** Default: none. */
        public Builder password(String value) {
            password = value == null || value.isEmpty() ? null : value;
            return this;
        }

        /** Default {@code public}. */
        public Builder schema(String value) {
            schema = Objects.requireNonNull(value);
            return this;
        }

        /** Default {@code ~/.steadytext}. */
        public Builder homeDirectory(Path value) {
            homeDirectory = value;
            return this;
        }

        /** Default {@code postgres} under the home directory. */
        public Builder embeddedDataDirectory(Path value) {
            embeddedDataDirectory = value;
            return this;
        }

        /** Default {@value PlatformOptions#DEFAULT_EMBEDDED_PORT}. */
        public Builder embeddedPort(int value) {
            embeddedPort = value;
            return this;
        }

        /** Required. */
        public Builder bundlesDirectory(Path value) {
            bundlesDirectory = value;
            return this;
        }

        /** Default: none watched. */
        public Builder configDirectory(Path value) {
            configDirectory = value;
            return this;
        }

        /** Default: none watched. */
        public Builder pluginsDirectory(Path value) {
            pluginsDirectory = value;
            return this;
        }

        /** Default: none (generation is configured in the config directory, or unavailable). */
        public Builder generationModel(Path value) {
            generationModel = value;
            return this;
        }

        /** Default {@code true}. */
        public Builder migrateSchema(boolean value) {
            migrateSchema = value;
            return this;
        }

        /** Default 60 s. */
        public Builder readyTimeout(Duration value) {
            readyTimeout = Objects.requireNonNull(value);
            return this;
        }

        /** Default none. */
        public Builder frameworkProperties(Map<String, String> value) {
            frameworkProperties = Map.copyOf(value);
            return this;
        }

        public PlatformOptions build() {
            if (bundlesDirectory == null) {
                throw new IllegalStateException("bundlesDirectory is required");
            }
            Path home = homeDirectory != null
                    ? homeDirectory
                    : Path.of(System.getProperty("user.home"), ".steadytext");
            Path data = embeddedDataDirectory != null ? embeddedDataDirectory : home.resolve("postgres");
            return new PlatformOptions(Optional.ofNullable(jdbcUrl), Optional.ofNullable(user),
                    Optional.ofNullable(password), schema, home.toAbsolutePath(), data.toAbsolutePath(), embeddedPort,
                    bundlesDirectory.toAbsolutePath(), absolute(configDirectory), absolute(pluginsDirectory),
                    absolute(generationModel), migrateSchema, readyTimeout, frameworkProperties);
        }

        private static Optional<Path> absolute(Path path) {
            return Optional.ofNullable(path).map(Path::toAbsolutePath);
        }

        private static String blankToNull(String value) {
            return value == null || value.isBlank() ? null : value.strip();
        }
    }
}
