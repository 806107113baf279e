package dev.steadytext.models;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * The model settings of a platform: its registry (built-in models plus configured ones), the model cache directory,
 * the download server, and whether downloads are allowed.
 *
 * <p>Read from configuration PID {@value #PID} ({@code conf/dev.steadytext.models.cfg}), as key/value pairs:
 * <pre>
 * downloads = true                        # false on offline machines: missing models are an error saying what to place where
 * baseUrl = https://huggingface.co        # {baseUrl}/{repository}/resolve/{revision}/{file}
 * cacheDirectory = ~/.steadytext/models   # default: models/ in the SteadyText home directory
 * requireChecksum = true                  # refuse a download whose SHA-256 neither the registry nor the server gives
 * unlistedModels = true                   # may model_repo/model_filename name files the registry does not list?
 * default.generation = gemma-3-1b         # the model of each kind that calls naming none get
 * size.generation.small = gemma-3-1b      # the model each size chooses
 * model.NAME.kind = generation            # a model: kind, and path, or repository with file (revision, sha256)
 * model.NAME.path = /srv/models/my.gguf
 * </pre>
 * See the module README for every key. A configured model with a built-in's name changes that model.
 *
 * @param downloadsAllowed whether a missing model file may be downloaded
 * @param baseUrl the Hugging Face-style server that files are downloaded from
 * @param cacheDirectory where downloaded files live, as {@code {cacheDirectory}/{owner}/{name}/{file}}
 * @param requireChecksum whether a download needs a SHA-256 to verify against (from the registry or the server)
 * @param registry the models
 */
public record ModelSettings(boolean downloadsAllowed, URI baseUrl, Path cacheDirectory, boolean requireChecksum,
        ModelRegistry registry) {

    /** The configuration PID, and so the base name of its file in {@code conf/}. */
    public static final String PID = "dev.steadytext.models";
    /** The configuration file's name. */
    public static final String FILE_NAME = PID + ".cfg";
    /** Hugging Face. */
    public static final URI DEFAULT_BASE_URL = URI.create("https://huggingface.co");

    public ModelSettings {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(cacheDirectory, "cacheDirectory");
        Objects.requireNonNull(registry, "registry");
        String scheme = baseUrl.getScheme() == null ? "" : baseUrl.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || baseUrl.getHost() == null) {
            throw new IllegalArgumentException("baseUrl: must be an http or https URL, got '" + baseUrl + "'");
        }
    }

    /** The built-in registry, downloads allowed from Hugging Face into {@code cacheDirectory}. */
    public static ModelSettings defaults(Path cacheDirectory) {
        return new ModelSettings(true, DEFAULT_BASE_URL, cacheDirectory, true, ModelRegistry.builtIn());
    }

    /**
     * Settings from configuration values, such as a ConfigAdmin configuration's properties. Keys the framework adds
     * ({@code service.*}, {@code felix.*}, {@code component.*}) are ignored; any other unknown key is an error, so a
     * misspelt key does not go unnoticed.
     *
     * @param values the configuration; values are turned into text with {@code String.valueOf}
     * @param defaultCacheDirectory the cache directory when {@code cacheDirectory} is not set
     * @param source names the configuration in error messages, such as its file
     * @throws IllegalArgumentException naming the source and the key of a bad value
     */
    public static ModelSettings parse(Map<String, ?> values, Path defaultCacheDirectory, String source) {
        try {
            Map<String, String> settings = new HashMap<>();
            ModelDefinitions configured = new ModelDefinitions();
            values.forEach((key, value) -> {
                if (value == null || isFrameworkKey(key)) {
                    return;
                }
                String text = String.valueOf(value);
                if (!configured.accept(key, text)) {
                    settings.put(key, text.trim());
                }
            });
            boolean downloads = flag(settings.remove("downloads"), "downloads", true);
            URI baseUrl = url(settings.remove("baseUrl"));
            String cacheText = settings.remove("cacheDirectory");
            Path cacheDirectory = cacheText == null || cacheText.isEmpty() ? defaultCacheDirectory
                    : ModelDefinitions.absolutePath("cacheDirectory", cacheText);
            boolean requireChecksum = flag(settings.remove("requireChecksum"), "requireChecksum", true);
            boolean unlisted = flag(settings.remove("unlistedModels"), "unlistedModels", true);
            if (!settings.isEmpty()) {
                throw new IllegalArgumentException(settings.keySet().stream().sorted().findFirst().orElseThrow()
                        + ": unknown key; known: downloads, baseUrl, cacheDirectory, requireChecksum, unlistedModels,"
                        + " default.<kind>, size.<kind>.<size>, model.<name>.<attribute>");
            }
            ModelRegistry registry = ModelRegistry.builtInDefinitions().overlay(configured).toRegistry(unlisted);
            return new ModelSettings(downloads, baseUrl, cacheDirectory, requireChecksum, registry);
        } catch (IllegalArgumentException e) {
            throw ModelDefinitions.in(source, e);
        }
    }

    /**
     * The settings in {@code configDirectory/}{@value #FILE_NAME} ({@code key = value} lines, as FileInstall reads
     * them), or the defaults when there is no such file.
     */
    public static ModelSettings load(Path configDirectory, Path defaultCacheDirectory) throws IOException {
        Path file = configDirectory.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return defaults(defaultCacheDirectory);
        }
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        }
        Map<String, String> values = new HashMap<>();
        properties.stringPropertyNames().forEach(key -> values.put(key, properties.getProperty(key)));
        return parse(values, defaultCacheDirectory, file.toString());
    }

    /** These settings with another cache directory. */
    public ModelSettings withCacheDirectory(Path directory) {
        return new ModelSettings(downloadsAllowed, baseUrl, directory, requireChecksum, registry);
    }

    /** These settings with another download server. */
    public ModelSettings withBaseUrl(URI url) {
        return new ModelSettings(downloadsAllowed, url, cacheDirectory, requireChecksum, registry);
    }

    /** These settings with downloads allowed or forbidden. */
    public ModelSettings withDownloadsAllowed(boolean allowed) {
        return new ModelSettings(allowed, baseUrl, cacheDirectory, requireChecksum, registry);
    }

    private static boolean isFrameworkKey(String key) {
        return key.startsWith("service.") || key.startsWith("felix.") || key.startsWith("component.")
                || key.startsWith(":");
    }

    private static boolean flag(String value, String key, boolean fallback) {
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(key + ": must be true or false, got '" + value + "'");
        };
    }

    private static URI url(String value) {
        if (value == null || value.isEmpty()) {
            return DEFAULT_BASE_URL;
        }
        try {
            return new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("baseUrl: not a URL: '" + value + "'", e);
        }
    }
}
