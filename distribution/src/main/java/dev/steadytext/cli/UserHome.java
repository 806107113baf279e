package dev.steadytext.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --home} option shared by every command: where per-user state lives. */
final class UserHome {

    @Option(names = "--home", paramLabel = "DIR",
            description = "Per-user state: embedded database, runtime state file (default: $STEADYTEXT_HOME or ~/.steadytext).")
    Path home;

    Path directory() {
        if (home != null) {
            return home.toAbsolutePath();
        }
        String fromEnvironment = System.getenv("STEADYTEXT_HOME");
        return fromEnvironment != null && !fromEnvironment.isBlank()
                ? Path.of(fromEnvironment).toAbsolutePath()
                : Path.of(System.getProperty("user.home"), ".steadytext");
    }
}
