package dev.steadytext.simulator.parser;

import dev.steadytext.simulator.policy.AccessEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Reads a recorded trace: one access per line, {@code key_hash,size_bytes,compute_millis}, in access order.
 *
 * <p>The format the platform's access log is exported in: the key is an anonymised hash (any text without a comma),
 * the size is the stored entry's in bytes, the compute time is what producing it took. The line naming the columns,
 * blank lines and lines starting with {@code #} are skipped. A malformed line stops the read with an error naming
 * its number.
 */
public final class CsvTraceReader implements TraceReader {

    static final String HEADER = "key_hash,size_bytes,compute_millis";

    private final Path file;
    private final String name;

    public CsvTraceReader(Path file) {
        this.file = Objects.requireNonNull(file, "file");
        String fileName = file.getFileName().toString();
        this.name = fileName.endsWith(".csv") ? fileName.substring(0, fileName.length() - 4) : fileName;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Stream<AccessEvent> events() {
        BufferedReader reader;
        try {
            reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read trace " + file, e);
        }
        AtomicLong lineNumber = new AtomicLong();
        // One event object per key, as the synthetic traces share them: a large trace holds each key's text once.
        Map<String, AccessEvent> entries = new HashMap<>();
        return reader.lines()
                .onClose(() -> close(reader))
                .map(line -> parse(line, lineNumber.incrementAndGet(), entries))
                .filter(Objects::nonNull);
    }

    private AccessEvent parse(String line, long number, Map<String, AccessEvent> entries) {
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.equals(HEADER)) {
            return null;
        }
        String[] fields = trimmed.split(",", -1);
        if (fields.length != 3 || fields[0].isEmpty()) {
            throw malformed(number, "expected " + HEADER + ", found '" + line + "'");
        }
        try {
            long size = Long.parseLong(fields[1].strip());
            long millis = Long.parseLong(fields[2].strip());
            AccessEvent event = entries.get(fields[0]);
            if (event == null || event.weightBytes() != size || event.penaltyMillis() != millis) {
                event = new AccessEvent(fields[0], size, millis);
                entries.put(event.key(), event);
            }
            return event;
        } catch (IllegalArgumentException e) {
            throw malformed(number, e.getMessage());
        }
    }

    private IllegalArgumentException malformed(long number, String detail) {
        return new IllegalArgumentException("trace " + file + ", line " + number + ": " + detail);
    }

    private static void close(BufferedReader reader) {
        try {
            reader.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
