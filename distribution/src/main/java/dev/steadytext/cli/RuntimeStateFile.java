package dev.steadytext.cli;

import dev.steadytext.platform.DatabaseEndpoint;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code runtime.properties} in the home directory: the database a running {@code steadytext run} serves, so that
 * {@code generate}, {@code embed} and {@code status} find it without {@code --jdbc-url}. Never holds a password.
 */
final class RuntimeStateFile {

    private static final String FILE_NAME = "runtime.properties";

    private final Path file;

    RuntimeStateFile(Path homeDirectory) {
        this.file = homeDirectory.resolve(FILE_NAME);
    }

    void write(DatabaseEndpoint database) {
        Properties properties = new Properties();
        properties.setProperty("jdbcUrl", database.jdbcUrl());
        database.user().ifPresent(user -> properties.setProperty("user", user));
        properties.setProperty("schema", database.schema());
        properties.setProperty("pid", Long.toString(ProcessHandle.current().pid()));
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling(FILE_NAME + ".tmp");
            try (Writer out = Files.newBufferedWriter(temporary)) {
                properties.store(out, "Written by 'steadytext run'; removed when it stops");
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    /** The database of the running platform; empty if none is running (or the file is from a dead process). */
    Optional<DatabaseEndpoint> read() {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        long pid = Long.parseLong(properties.getProperty("pid", "-1"));
        if (ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(DatabaseEndpoint.of(properties.getProperty("jdbcUrl"),
                Optional.ofNullable(properties.getProperty("user")), properties.getProperty("schema", "public")));
    }

    /** Removes the file if this process wrote it. */
    void deleteIfOwn() {
        try {
            if (Files.isRegularFile(file)) {
                Properties properties = new Properties();
                try (Reader in = Files.newBufferedReader(file)) {
                    properties.load(in);
                }
                if (Long.toString(ProcessHandle.current().pid()).equals(properties.getProperty("pid"))) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            // best effort at shutdown: a stale file is recognised by its dead pid
        }
    }
}
