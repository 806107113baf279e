package dev.steadytext.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SteadyTextCliTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int execute(String... args) {
        CommandLine commandLine = SteadyTextCli.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void help_listsTheCommands() {
        assertThat(execute("--help")).isZero();

        assertThat(out.toString()).contains("run", "generate", "embed", "status");
    }

    @Test
    void runHelp_documentsTheOptions() {
        assertThat(execute("run", "--help")).isZero();

        assertThat(out.toString()).contains("--jdbc-url", "--generation-model", "--config", "--password-env",
                "--data-dir", "--port");
    }

    @Test
    void generate_withoutADatabase_failsWithAMessage(@TempDir Path home) {
        assertThat(execute("generate", "--home", home.toString(), "hello")).isEqualTo(ErrorReporter.FAILED);

        assertThat(err.toString()).contains("no database");
    }

    @Test
    void unknownOption_isAUsageError() {
        assertThat(execute("run", "--no-such-option")).isEqualTo(2);
    }
}
