package dev.steadytext.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code steadytext models} against a local file server. The downloaded bytes are made up here: what is under test
 * is the command line's wiring (the model-registry module downloads the real stories260K model in its own tests).
 */
class ModelsCommandTest {

    private static final byte[] CONTENT = new Random(42).ints(300_000, 0, 256)
            .collect(java.io.ByteArrayOutputStream::new, (out, b) -> out.write(b), (a, b) -> a.writeBytes(b.toByteArray()))
            .toByteArray();

    @TempDir
    Path conf;

    @TempDir
    Path models;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private HttpServer server;

    @BeforeEach
    void serveTheFile() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/test/tiny-GGUF/resolve/main/tiny.gguf", exchange -> {
            try (exchange; OutputStream body = exchange.getResponseBody()) {
                exchange.sendResponseHeaders(200, CONTENT.length);
                body.write(CONTENT);
            }
        });
        server.start();
    }

    @AfterEach
    void stopServing() {
        server.stop(0);
    }

    private int execute(String... args) {
        CommandLine commandLine = SteadyTextCli.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 6];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(new String[] {"--config", conf.toString(), "--models-dir", models.toString(), "--base-url",
                "http://127.0.0.1:" + server.getAddress().getPort()}, 0, all, args.length, 6);
        return commandLine.execute(all);
    }

    private void configure(String extra) throws IOException, NoSuchAlgorithmException {
        Files.writeString(conf.resolve("dev.steadytext.models.cfg"), """
                model.tiny.kind = generation
                model.tiny.size = mini
                model.tiny.repository = test/tiny-GGUF
                model.tiny.file = tiny.gguf
                model.tiny.sha256 = %s
                %s
                """.formatted(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(CONTENT)), extra));
    }

    @Test
    void list_showsTheBuiltInModelsOfAKindAndWhetherTheyAreHere() {
        assertThat(execute("models", "list", "--kind", "embedding")).isZero();

        assertThat(out.toString())
                .containsPattern("all-minilm-l6-v2 +embedding +mini +default,mini +bundled +90\\.4 MB +Apache-2\\.0")
                .containsPattern("qwen3-embedding-0\\.6b +embedding +large +large +missing +639\\.2 MB")
                .contains("model cache: " + models)
                .doesNotContain("gemma-3-1b");
    }

    @Test
    void pullVerifyRemove_aConfiguredModel_downloadsChecksAndDeletesIt() throws Exception {
        configure("");
        Path file = models.resolve("test/tiny-GGUF/tiny.gguf");

        assertThat(execute("models", "pull", "tiny", "--progress", "lines")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("tiny: " + file);
        assertThat(err.toString()).contains("tiny: 100% (300.0 kB of 300.0 kB)", "tiny: verifying");
        assertThat(Files.readAllBytes(file)).isEqualTo(CONTENT);

        assertThat(execute("models", "verify", "tiny")).isZero();
        assertThat(out.toString()).contains("tiny: ok, " + file);

        assertThat(execute("models", "list", "--kind", "generation")).isZero();
        assertThat(out.toString()).containsPattern("tiny +generation +mini +- +present");

        assertThat(execute("models", "remove", "tiny")).isZero();
        assertThat(out.toString()).contains("tiny: removed " + file);
        assertThat(file).doesNotExist();
    }

    @Test
    void verify_damagedFile_failsAndSaysWhatToDo() throws Exception {
        configure("");
        assertThat(execute("models", "pull", "tiny", "--progress", "none")).isZero();
        Files.write(models.resolve("test/tiny-GGUF/tiny.gguf"), new byte[] {1, 2, 3});

        assertThat(execute("models", "verify")).isEqualTo(ErrorReporter.FAILED);

        assertThat(out.toString()).contains("tiny: DAMAGED", "steadytext models remove tiny");
    }

    @Test
    void pull_downloadsForbidden_failsSayingWhichFileToPlaceWhere() throws Exception {
        configure("downloads = false");

        assertThat(execute("models", "pull", "tiny")).isEqualTo(ErrorReporter.FAILED);

        assertThat(err.toString()).contains("downloads are forbidden",
                "place the file at " + models.resolve("test/tiny-GGUF/tiny.gguf"),
                "/test/tiny-GGUF/resolve/main/tiny.gguf");
    }

    @Test
    void pull_unknownName_failsListingTheKnownNames() {
        assertThat(execute("models", "pull", "no-such-model")).isEqualTo(ErrorReporter.FAILED);

        assertThat(err.toString()).contains("no model is named 'no-such-model'; known: gemma-mini-270m");
    }

    @Test
    void pull_bundledModel_needsNoDownload() {
        assertThat(execute("models", "pull", "all-minilm-l6-v2")).isZero();

        assertThat(out.toString()).contains("all-minilm-l6-v2: bundled");
    }
}
