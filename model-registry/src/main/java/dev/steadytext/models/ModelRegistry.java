package dev.steadytext.models;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The named models a platform knows, the default model of each kind and the model chosen for each size; resolves the
 * model arguments of a SQL call to one of them.
 *
 * <p>Immutable. {@link #builtIn()} is the registry shipped with SteadyText (the resource
 * {@code built-in-models.properties} of this package); {@link ModelSettings} lays a configuration over it.
 */
public final class ModelRegistry {

    static final String BUILT_IN_RESOURCE = "built-in-models.properties";

    private static final Comparator<ModelEntry> LISTING_ORDER = Comparator
            .comparing(ModelEntry::kind)
            .thenComparing(entry -> entry.size().map(Enum::ordinal).orElse(ModelSize.values().length))
            .thenComparing(ModelEntry::name);

    private final Map<String, ModelEntry> entries;
    private final Map<ModelKind, String> defaults;
    private final Map<ModelKind, Map<ModelSize, String>> sizes;
    private final boolean unlistedModels;

    ModelRegistry(Map<String, ModelEntry> entries, Map<ModelKind, String> defaults,
            Map<ModelKind, Map<ModelSize, String>> sizes, boolean unlistedModels) {
        this.entries = Collections.unmodifiableMap(entries.values().stream().sorted(LISTING_ORDER)
                .collect(Collectors.toMap(ModelEntry::name, e -> e, (a, b) -> a, LinkedHashMap::new)));
        this.defaults = Collections.unmodifiableMap(new EnumMap<>(defaults));
        Map<ModelKind, Map<ModelSize, String>> copy = new EnumMap<>(ModelKind.class);
        sizes.forEach((kind, bySize) -> copy.put(kind, Collections.unmodifiableMap(new EnumMap<>(bySize))));
        this.sizes = Collections.unmodifiableMap(copy);
        this.unlistedModels = unlistedModels;
    }

    /** The registry shipped with SteadyText, without any configuration. */
    public static ModelRegistry builtIn() {
        return builtInDefinitions().toRegistry(true);
    }

    /** The built-in definitions, for configurations to be laid over. */
    static ModelDefinitions builtInDefinitions() {
        Properties properties = new Properties();
        try (InputStream in = ModelRegistry.class.getResourceAsStream(BUILT_IN_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + BUILT_IN_RESOURCE + " is missing from the model registry jar");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the built-in model registry", e);
        }
        ModelDefinitions definitions = new ModelDefinitions();
        for (String key : properties.stringPropertyNames()) {
            if (!definitions.accept(key, properties.getProperty(key))) {
                throw new IllegalStateException(BUILT_IN_RESOURCE + ": unexpected key " + key);
            }
        }
        return definitions;
    }

    /** Every model, by kind, then size (mini, small, large, none), then name. */
    public List<ModelEntry> entries() {
        return List.copyOf(entries.values());
    }

    /** The model of that name (case-insensitive), if any. */
    public Optional<ModelEntry> find(String name) {
        return Optional.ofNullable(entries.get(name.trim().toLowerCase(Locale.ROOT)));
    }

    /** The model a call of this kind gets when it names none. */
    public ModelEntry defaultFor(ModelKind kind) {
        return entries.get(defaults.get(kind));
    }

    /** The model {@code size} chooses for this kind, if one is set. */
    public Optional<ModelEntry> forSize(ModelKind kind, ModelSize size) {
        return Optional.ofNullable(sizes.getOrDefault(kind, Map.of()).get(size)).map(entries::get);
    }

    /** Whether {@code model_repo} and {@code model_filename} may name a file the registry does not list. */
    public boolean allowsUnlistedModels() {
        return unlistedModels;
    }

    /**
     * The model the arguments of a call of this kind ask for.
     *
     * <ol>
     *   <li>{@code model_repo} with {@code model_filename}: the registry model with that file, or else (when
     *       unlisted models are allowed) a model of that file without a known checksum;</li>
     *   <li>{@code model}: the model of that name;</li>
     *   <li>{@code size}: the model chosen for that size;</li>
     *   <li>nothing: the default model of the kind.</li>
     * </ol>
     *
     * Arguments that contradict each other ({@code model} with {@code size}, or with {@code model_repo}) are an
     * error rather than one silently winning, as are names of another kind's models.
     *
     * @throws ModelResolutionException naming the SQL argument at fault
     */
    public ModelEntry resolve(ModelKind kind, ModelRequest request) {
        Optional<String> model = request.givenModel();
        Optional<String> repo = request.givenRepo();
        Optional<String> filename = request.givenFilename();
        Optional<String> size = request.givenSize();
        if (repo.isPresent() || filename.isPresent()) {
            if (repo.isEmpty()) {
                throw new ModelResolutionException("model_repo", "model_repo is required with model_filename '"
                        + filename.get() + "': give the repository as 'owner/name'");
            }
            if (filename.isEmpty()) {
                throw new ModelResolutionException("model_filename", "model_filename is required with model_repo '"
                        + repo.get() + "': give the file's name inside the repository");
            }
            if (model.isPresent()) {
                throw new ModelResolutionException("model", "give either model or model_repo with model_filename, not"
                        + " both (model '" + model.get() + "', model_repo '" + repo.get() + "')");
            }
            if (size.isPresent()) {
                throw new ModelResolutionException("size", "size chooses among the registry's models and cannot be"
                        + " combined with model_repo and model_filename");
            }
            return byFile(kind, repo.get(), filename.get());
        }
        if (model.isPresent()) {
            if (size.isPresent()) {
                throw new ModelResolutionException("size", "give either model or size, not both (model '"
                        + model.get() + "', size '" + size.get() + "')");
            }
            return byName(kind, model.get());
        }
        if (size.isPresent()) {
            return bySize(kind, size.get());
        }
        return defaultFor(kind);
    }

    private ModelEntry byName(ModelKind kind, String name) {
        if (name.contains(":")) {
            throw new ModelResolutionException("model", "'" + name + "' names a remote provider (provider:model);"
                    + " the model registry holds local models only: " + names(kind));
        }
        ModelEntry entry = find(name).orElseThrow(() -> new ModelResolutionException("model",
                "no " + kind.configName() + " model is named '" + name + "'; known: " + names(kind)));
        return ofKind(kind, entry, "model");
    }

    private ModelEntry bySize(ModelKind kind, String sizeText) {
        ModelSize size;
        try {
            size = ModelSize.parse("size", sizeText);
        } catch (IllegalArgumentException e) {
            throw new ModelResolutionException("size", e.getMessage());
        }
        return forSize(kind, size).orElseThrow(() -> new ModelResolutionException("size", "no " + size.configName()
                + " " + kind.configName() + " model is configured (size." + kind.configName() + "."
                + size.configName() + ")"));
    }

    private ModelEntry byFile(ModelKind kind, String repository, String file) {
        try {
            ModelSource.Remote.checkRepository("model_repo", repository);
        } catch (IllegalArgumentException e) {
            throw new ModelResolutionException("model_repo", e.getMessage());
        }
        try {
            ModelSource.Remote.checkFile("model_filename", file);
        } catch (IllegalArgumentException e) {
            throw new ModelResolutionException("model_filename", e.getMessage());
        }
        Optional<ModelEntry> listed = entries.values().stream()
                .filter(entry -> entry.source() instanceof ModelSource.Remote remote
                        && remote.repository().equalsIgnoreCase(repository) && remote.file().equals(file))
                .findFirst();
        if (listed.isPresent()) {
            return ofKind(kind, listed.get(), "model_repo");
        }
        if (!unlistedModels) {
            throw new ModelResolutionException("model_repo", repository + "/" + file + " is not in the model registry,"
                    + " and models outside it are not allowed here (unlistedModels = false); known "
                    + kind.configName() + " models: " + names(kind));
        }
        return new ModelEntry((repository + "/" + file).toLowerCase(Locale.ROOT), kind, Optional.empty(),
                new ModelSource.Remote(repository, file), Optional.empty(), OptionalLong.empty(), "", "",
                "named by model_repo and model_filename");
    }

    private ModelEntry ofKind(ModelKind kind, ModelEntry entry, String argument) {
        if (entry.kind() != kind) {
            throw new ModelResolutionException(argument, "'" + entry.name() + "' is " + aModel(entry.kind())
                    + ", not " + aModel(kind) + "; " + kind.configName() + " models: " + names(kind));
        }
        return entry;
    }

    /** "a generation model", "an embedding model". */
    static String aModel(ModelKind kind) {
        return (kind == ModelKind.EMBEDDING ? "an " : "a ") + kind.configName() + " model";
    }

    private String names(ModelKind kind) {
        return entries.values().stream().filter(entry -> entry.kind() == kind).map(ModelEntry::name)
                .collect(Collectors.joining(", "));
    }
}
