package dev.steadytext.models;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Hugging Face-style file server for tests, on a free local port: serves one file at
 * {@code /{repository}/resolve/{revision}/{file}}, optionally the way Hugging Face does (a 302 to a CDN path, the
 * file's SHA-256 in {@code X-Linked-Etag} on the redirect), and misbehaves on request: it can cut the first
 * answer's connection after some bytes, or ignore Range headers.
 */
final class ModelFileServer implements AutoCloseable {

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    private final HttpServer server;
    private final String resolvePath;
    private final byte[] content;
    private final List<String> rangeHeaders = new CopyOnWriteArrayList<>();
    private final AtomicInteger fileRequests = new AtomicInteger();
    private volatile String linkedEtag;
    private volatile boolean redirectLikeHuggingFace;
    private volatile boolean honourRange = true;
    private volatile long cutFirstAnswerAfter = -1;
    private volatile long delayPerChunkMillis;

    ModelFileServer(String repository, String revision, String file, byte[] content) throws IOException {
        this.resolvePath = "/" + repository + "/resolve/" + revision + "/" + file;
        this.content = content;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Sends this value as {@code X-Linked-Etag} (quoted, as Hugging Face does). */
    ModelFileServer linkedEtag(String sha256) {
        this.linkedEtag = sha256;
        return this;
    }

    /** Answers the resolve URL with a 302 to {@code /cdn/...}, carrying the linked ETag, as Hugging Face does. */
    ModelFileServer redirectLikeHuggingFace() {
        this.redirectLikeHuggingFace = true;
        return this;
    }

    /** Answers every request with the whole file (200), as a server without Range support does. */
    ModelFileServer ignoreRange() {
        this.honourRange = false;
        return this;
    }

    /** Closes the connection of the first answer with the file after this many body bytes. */
    ModelFileServer cutFirstAnswerAfter(long bytes) {
        this.cutFirstAnswerAfter = bytes;
        return this;
    }

    /** Slows the body down, so that a second client arrives while the first downloads. */
    ModelFileServer delayPerChunk(long millis) {
        this.delayPerChunkMillis = millis;
        return this;
    }

    /** The Range header of every request for the file's bytes, "" where there was none. */
    List<String> rangeHeaders() {
        return List.copyOf(rangeHeaders);
    }

    int fileRequests() {
        return fileRequests.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            if (path.equals(resolvePath) && redirectLikeHuggingFace) {
                exchange.getResponseHeaders().add("Location", "/cdn" + resolvePath);
                addLinkedEtag(exchange);
                exchange.sendResponseHeaders(302, -1);
            } else if (path.equals(resolvePath) || path.equals("/cdn" + resolvePath)) {
                if (!redirectLikeHuggingFace) {
                    addLinkedEtag(exchange);
                }
                sendFile(exchange);
            } else {
                exchange.sendResponseHeaders(404, -1);
            }
        }
    }

    private void addLinkedEtag(HttpExchange exchange) {
        if (linkedEtag != null) {
            exchange.getResponseHeaders().add("X-Linked-Etag", "\"" + linkedEtag + "\"");
        }
    }

    private void sendFile(HttpExchange exchange) throws IOException {
        String range = exchange.getRequestHeaders().getFirst("Range");
        rangeHeaders.add(range == null ? "" : range);
        int request = fileRequests.incrementAndGet();
        Matcher m = RANGE.matcher(range == null ? "" : range);
        int start = 0;
        if (honourRange && m.matches()) {
            start = Integer.parseInt(m.group(1));
            exchange.getResponseHeaders().add("Content-Range",
                    "bytes " + start + "-" + (content.length - 1) + "/" + content.length);
            exchange.sendResponseHeaders(206, content.length - start);
        } else {
            exchange.sendResponseHeaders(200, content.length);
        }
        long limit = request == 1 && cutFirstAnswerAfter >= 0 ? cutFirstAnswerAfter : Long.MAX_VALUE;
        OutputStream body = exchange.getResponseBody();
        int chunk = 16 * 1024;
        for (int offset = start; offset < content.length; offset += chunk) {
            int length = (int) Math.min(Math.min(chunk, content.length - offset), limit - (offset - start));
            if (length <= 0) {
                // Drop the connection mid-body: the client has the headers and part of the promised bytes.
                throw new IOException("test server: connection cut after " + (offset - start) + " bytes");
            }
            body.write(content, offset, length);
            body.flush();
            pause();
        }
    }

    private void pause() {
        if (delayPerChunkMillis > 0) {
            try {
                Thread.sleep(delayPerChunkMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
