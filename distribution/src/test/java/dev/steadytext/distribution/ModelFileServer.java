package dev.steadytext.distribution;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Hugging Face-style server inside a test: one model file at one path ({@code /{repository}/resolve/main/{file}}),
 * 404 for anything else, and a count of the downloads it served.
 */
final class ModelFileServer implements AutoCloseable {

    private final HttpServer server;
    private final String path;
    private final byte[] content;
    private final AtomicInteger downloads = new AtomicInteger();

    private ModelFileServer(String repository, Path file) throws IOException {
        this.path = "/" + repository + "/resolve/main/" + file.getFileName();
        this.content = Files.readAllBytes(file);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::serve);
        server.start();
    }

    /** Serves {@code file} as the file of the same name in {@code repository}. */
    static ModelFileServer serving(String repository, Path file) throws IOException {
        return new ModelFileServer(repository, file);
    }

    /** The base URL for the model settings' {@code baseUrl}. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    int downloads() {
        return downloads.get();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestURI().getPath().equals(path)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            downloads.incrementAndGet();
            exchange.sendResponseHeaders(200, content.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(content);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
