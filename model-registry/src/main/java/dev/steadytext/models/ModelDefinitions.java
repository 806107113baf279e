package dev.steadytext.models;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The model part of a configuration, as key/value pairs: {@code model.<name>.<attribute>}, {@code default.<kind>}
 * and {@code size.<kind>.<size>}. The built-in registry is written in this form too (a resource of this package),
 * and a configuration is laid over it with {@link #overlay}.
 */
final class ModelDefinitions {

    static final String MODEL = "model.";
    static final String DEFAULT = "default.";
    static final String SIZE = "size.";

    private static final List<String> ATTRIBUTES = List.of("kind", "size", "repository", "file", "revision", "path",
            "bundled", "sha256", "bytes", "licence", "architecture", "notes");
    /** The attributes that say where the file is: setting any of them replaces all of these and the file's facts. */
    private static final Set<String> LOCATION = Set.of("repository", "file", "revision", "path", "bundled");
    private static final Set<String> FILE_FACTS = Set.of("sha256", "bytes");
    // Names in configuration keys: a registry name without '/', which only names given by repository and file have.
    private static final Pattern CONFIGURED_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");

    private final Map<String, Map<String, String>> models = new TreeMap<>();
    private final Map<ModelKind, String> defaults = new EnumMap<>(ModelKind.class);
    private final Map<ModelKind, Map<ModelSize, String>> sizes = new EnumMap<>(ModelKind.class);

    /**
     * Takes one key of a configuration if it belongs to the model definitions.
     *
     * @return false if the key is not a {@code model.}, {@code default.} or {@code size.} key
     * @throws IllegalArgumentException naming the key when it is one but is malformed
     */
    boolean accept(String key, String value) {
        if (key.startsWith(MODEL)) {
            int lastDot = key.lastIndexOf('.');
            String name = key.substring(MODEL.length(), Math.max(MODEL.length(), lastDot)).toLowerCase(Locale.ROOT);
            String attribute = key.substring(lastDot + 1);
            if (!CONFIGURED_NAME.matcher(name).matches()) {
                throw error(key, "expected model.<name>.<attribute> with a name of lowercase letters, digits and . _ -");
            }
            if (!ATTRIBUTES.contains(attribute)) {
                throw error(key, "unknown attribute '" + attribute + "'; known: " + String.join(", ", ATTRIBUTES));
            }
            models.computeIfAbsent(name, n -> new LinkedHashMap<>()).put(attribute, value.trim());
            return true;
        }
        if (key.startsWith(DEFAULT)) {
            defaults.put(ModelKind.parse(key, key.substring(DEFAULT.length())), value.trim().toLowerCase(Locale.ROOT));
            return true;
        }
        if (key.startsWith(SIZE)) {
            String[] parts = key.substring(SIZE.length()).split("\\.", -1);
            if (parts.length != 2) {
                throw error(key, "expected size.<kind>.<size>, such as size.generation.small");
            }
            sizes.computeIfAbsent(ModelKind.parse(key, parts[0]), k -> new EnumMap<>(ModelSize.class))
                    .put(ModelSize.parse(key, parts[1]), value.trim().toLowerCase(Locale.ROOT));
            return true;
        }
        return false;
    }

    /**
     * These definitions with {@code top} laid over them: a model of {@code top} with a name already defined keeps
     * the attributes it does not set, except that setting where its file is (path, repository, file, revision,
     * bundled) drops the old location and its checksum and size.
     */
    ModelDefinitions overlay(ModelDefinitions top) {
        ModelDefinitions merged = new ModelDefinitions();
        models.forEach((name, attributes) -> merged.models.put(name, new LinkedHashMap<>(attributes)));
        top.models.forEach((name, attributes) -> {
            Map<String, String> base = merged.models.computeIfAbsent(name, n -> new LinkedHashMap<>());
            if (attributes.keySet().stream().anyMatch(LOCATION::contains)) {
                base.keySet().removeIf(attribute -> LOCATION.contains(attribute) || FILE_FACTS.contains(attribute));
            }
            base.putAll(attributes);
        });
        merged.defaults.putAll(defaults);
        merged.defaults.putAll(top.defaults);
        sizes.forEach((kind, bySize) -> merged.sizes.put(kind, new EnumMap<>(bySize)));
        top.sizes.forEach((kind, bySize) ->
                merged.sizes.computeIfAbsent(kind, k -> new EnumMap<>(ModelSize.class)).putAll(bySize));
        return merged;
    }

    /** The registry these definitions describe; every default and size choice must name a model of its kind. */
    ModelRegistry toRegistry(boolean unlistedModels) {
        Map<String, ModelEntry> entries = new TreeMap<>();
        models.forEach((name, attributes) -> entries.put(name, entry(name, attributes)));
        for (ModelKind kind : ModelKind.values()) {
            String name = defaults.get(kind);
            if (name == null) {
                throw error(DEFAULT + kind.configName(), "no default " + kind.configName() + " model is set");
            }
            checkChoice(entries, DEFAULT + kind.configName(), name, kind);
        }
        sizes.forEach((kind, bySize) -> bySize.forEach((size, name) ->
                checkChoice(entries, SIZE + kind.configName() + "." + size.configName(), name, kind)));
        return new ModelRegistry(entries, defaults, sizes, unlistedModels);
    }

    private void checkChoice(Map<String, ModelEntry> entries, String key, String name, ModelKind kind) {
        ModelEntry entry = entries.get(name);
        if (entry == null) {
            throw error(key, "no model named '" + name + "' is defined");
        }
        if (entry.kind() != kind) {
            throw error(key, "'" + name + "' is " + ModelRegistry.aModel(entry.kind()) + ", not "
                    + ModelRegistry.aModel(kind));
        }
    }

    private ModelEntry entry(String name, Map<String, String> attributes) {
        String prefix = MODEL + name + ".";
        String kind = attributes.get("kind");
        if (kind == null) {
            throw error(prefix + "kind", "every model needs a kind (" + kindSpellings() + ")");
        }
        try {
            return new ModelEntry(
                    name,
                    ModelKind.parse(prefix + "kind", kind),
                    Optional.ofNullable(attributes.get("size")).map(size -> ModelSize.parse(prefix + "size", size)),
                    source(prefix, attributes),
                    Optional.ofNullable(attributes.get("sha256")).filter(hex -> !hex.isEmpty()),
                    bytes(prefix + "bytes", attributes.get("bytes")),
                    attributes.getOrDefault("licence", ""),
                    attributes.getOrDefault("architecture", ""),
                    attributes.getOrDefault("notes", ""));
        } catch (IllegalArgumentException e) {
            // ModelEntry and ModelSource name the attribute ("sha256: ..."); say which model's.
            String message = e.getMessage();
            throw message.startsWith(MODEL) ? e : new IllegalArgumentException(prefix + message, e);
        }
    }

    private ModelSource source(String prefix, Map<String, String> attributes) {
        String path = attributes.get("path");
        String repository = attributes.get("repository");
        String file = attributes.get("file");
        String bundled = attributes.get("bundled");
        int given = (path != null ? 1 : 0) + (repository != null || file != null ? 1 : 0) + (bundled != null ? 1 : 0);
        if (given != 1) {
            throw error(prefix + "path", "give exactly one of path, repository with file, or bundled");
        }
        if (path != null) {
            return new ModelSource.Local(absolutePath(prefix + "path", path));
        }
        if (bundled != null) {
            return new ModelSource.Bundled(bundled);
        }
        if (repository == null || file == null) {
            throw error(prefix + (repository == null ? "repository" : "file"), "repository and file go together");
        }
        return new ModelSource.Remote(repository, file, attributes.getOrDefault("revision", "main"));
    }

    /** An absolute path; {@code ~/} and {@code ${user.home}} stand for the user's home directory. */
    static Path absolutePath(String key, String value) {
        String home = System.getProperty("user.home");
        String expanded = value.replace("${user.home}", home);
        if (expanded.equals("~") || expanded.startsWith("~/")) {
            expanded = home + expanded.substring(1);
        }
        Path path = Path.of(expanded);
        if (!path.isAbsolute()) {
            throw error(key, "must be an absolute path, got '" + value + "'");
        }
        return path.normalize();
    }

    private OptionalLong bytes(String key, String value) {
        if (value == null || value.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(value.replace("_", "").replace(",", "")));
        } catch (NumberFormatException e) {
            throw error(key, "must be a number of bytes, got '" + value + "'");
        }
    }

    static IllegalArgumentException error(String key, String message) {
        return new IllegalArgumentException(key + ": " + message);
    }

    /** {@code e} with its message prefixed by the configuration it is about, such as a file name. */
    static IllegalArgumentException in(String source, IllegalArgumentException e) {
        return new IllegalArgumentException(source + ": " + e.getMessage(), e);
    }

    private static String kindSpellings() {
        return EnumSpellings.list(ModelKind.values(), ModelKind::configName);
    }
}
