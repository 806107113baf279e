package dev.steadytext.models;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Where a model's file comes from: a repository on a Hugging Face-style server, a local path, or a bundle. */
public sealed interface ModelSource {

    /** One line for people: {@code owner/repo/file}, the path, or the bundle. */
    String describe();

    /**
     * A file in a repository of a Hugging Face-style server, fetched from {@code {base}/{repository}/resolve/{revision}/{file}}
     * and cached as {@code {cache}/{repository}/{file}}.
     *
     * @param repository {@code owner/name}; each part starts with a letter or digit and holds only letters, digits,
     *     {@code . _ -}
     * @param file the file's path inside the repository, {@code /}-separated, each part as above plus {@code +}
     * @param revision a branch, tag or commit ({@code main} by default); letters, digits, {@code . _ - /}
     */
    record Remote(String repository, String file, String revision) implements ModelSource {

        private static final Pattern REPOSITORY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*");
        private static final Pattern FILE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]*(/[A-Za-z0-9][A-Za-z0-9._+-]*)*");
        private static final Pattern REVISION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]*");

        public Remote {
            checkRepository("repository", repository);
            checkFile("file", file);
            if (!REVISION.matcher(Objects.requireNonNull(revision, "revision")).matches() || revision.contains("..")) {
                throw new IllegalArgumentException("revision: not a branch, tag or commit: '" + revision + "'");
            }
        }

        /** A file at the {@code main} revision. */
        public Remote(String repository, String file) {
            this(repository, file, "main");
        }

        /** Checks an {@code owner/name} repository; the message names {@code argument}. */
        static void checkRepository(String argument, String repository) {
            if (repository == null || !REPOSITORY.matcher(repository).matches() || repository.contains("..")) {
                throw new IllegalArgumentException(argument + ": must be a repository 'owner/name' (letters, digits, . _ -), got '"
                        + repository + "'");
            }
        }

        /** Checks a file path inside a repository; the message names {@code argument}. */
        static void checkFile(String argument, String file) {
            if (file == null || !FILE.matcher(file).matches() || file.contains("..")) {
                throw new IllegalArgumentException(argument + ": must be a file name inside the repository (letters, digits,"
                        + " . _ + -, folders separated by /), got '" + file + "'");
            }
        }

        /** The download URL under {@code baseUrl}, every path segment percent-encoded. */
        public URI url(URI baseUrl) {
            String base = baseUrl.toString().replaceAll("/+$", "");
            return URI.create(base + "/" + encodeSegments(repository) + "/resolve/" + encode(revision) + "/"
                    + encodeSegments(file));
        }

        /** Where the file lives under a cache directory: {@code {cache}/{owner}/{name}/{file}}. */
        public Path cachePath(Path cacheDirectory) {
            return cacheDirectory.resolve(repository).resolve(file);
        }

        @Override
        public String describe() {
            return repository + "/" + file + ("main".equals(revision) ? "" : " @" + revision);
        }

        private static String encodeSegments(String path) {
            return Arrays.stream(path.split("/")).map(Remote::encode).collect(Collectors.joining("/"));
        }

        private static String encode(String segment) {
            return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
        }
    }

    /** A model file already on this machine, used where it is (never downloaded, verified or removed by the cache). */
    record Local(Path path) implements ModelSource {

        public Local {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String describe() {
            return path.toString();
        }
    }

    /**
     * A model shipped inside a platform bundle, or one that needs no file at all (such as similarity over the
     * embedding model's vectors); nothing to download.
     *
     * @param provider which bundle provides it, for people
     */
    record Bundled(String provider) implements ModelSource {

        public Bundled {
            Objects.requireNonNull(provider, "provider");
        }

        @Override
        public String describe() {
            return "bundled: " + provider;
        }
    }
}
