package dev.steadytext.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The changelog resources and their fingerprint: a SHA-256 over every file the master changelog includes and every
 * parameter value. Equal fingerprints mean Liquibase would have nothing to do.
 */
final class Changelog {

    static final String DIRECTORY = "db/steadytext/";
    static final String MASTER = DIRECTORY + "changelog.xml";

    private static final Pattern INCLUDE = Pattern.compile("<include\\s+file=\"([^\"]+)\"");
    private static final byte[] CONTENT = readAll();
    static final String VERSION = readVersion();

    private Changelog() {
    }

    /** The changelog parameters for one installation. */
    static Map<String, String> parameters(String schema, Environment environment) {
        Map<String, String> parameters = new TreeMap<>();
        parameters.put("schema", schema);
        parameters.put("dblink", Environment.quoteIdent(environment.dblinkTarget()));
        parameters.put("embedding_type", environment.embeddingType());
        parameters.put("version", VERSION);
        return parameters;
    }

    static String fingerprint(Map<String, String> parameters) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(CONTENT);
            parameters.forEach((name, value) ->
                    digest.update(("\n" + name + "=" + value).getBytes(StandardCharsets.UTF_8)));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static byte[] readAll() {
        byte[] master = read(MASTER);
        List<byte[]> parts = new ArrayList<>();
        parts.add(master);
        Matcher matcher = INCLUDE.matcher(new String(master, StandardCharsets.UTF_8));
        while (matcher.find()) {
            parts.add(read(DIRECTORY + matcher.group(1)));
        }
        int size = parts.stream().mapToInt(p -> p.length + 1).sum();
        byte[] all = new byte[size];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length + 1; // a zero byte between files, so that moving text across files changes the hash
        }
        return all;
    }

    private static byte[] read(String resource) {
        try (InputStream in = Changelog.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("changelog resource missing: " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readVersion() {
        Properties properties = new Properties();
        try (InputStream in = Changelog.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version", "unknown");
    }
}
