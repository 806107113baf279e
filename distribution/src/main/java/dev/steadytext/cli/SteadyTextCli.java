package dev.steadytext.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code steadytext} command: {@code run}, {@code generate}, {@code embed}, {@code status}.
 *
 * <p>Always ends the JVM with {@link System#exit}: java-llama.cpp leaves a non-daemon native thread behind, so a
 * JVM waiting for its last thread would never end.
 */
@Command(name = "steadytext", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Deterministic, cached text generation and embeddings for PostgreSQL.",
        subcommands = {RunCommand.class, GenerateCommand.class, EmbedCommand.class, StatusCommand.class,
                ModelsCommand.class, CommandLine.HelpCommand.class})
public final class SteadyTextCli {

    public static void main(String[] args) {
        setIfAbsent("java.util.logging.manager", ShutdownSafeLogManager.class.getName());
        // The launcher's slf4j (used by zonky only) has no provider on purpose (see the distribution pom): say nothing.
        setIfAbsent("slf4j.internal.verbosity", "ERROR");
        // stdout carries results and the ready line: Liquibase's update summary goes to the log instead.
        setIfAbsent("liquibase.command.showSummaryOutput", "LOG");
        ConsoleLogging.install();
        System.exit(commandLine().execute(args));
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** The configured command line, without exiting: tests call {@code execute} on it. */
    static CommandLine commandLine() {
        return new CommandLine(new SteadyTextCli()).setExecutionExceptionHandler(new ErrorReporter());
    }
}
