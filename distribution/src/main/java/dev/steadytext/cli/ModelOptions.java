package dev.steadytext.cli;

import dev.steadytext.models.ModelEntry;
import dev.steadytext.models.ModelRegistry;
import dev.steadytext.models.ModelSettings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Collectors;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options every {@code models} command shares: where the model configuration and the model cache are, and the
 * server to download from. Settings come from {@code conf/dev.steadytext.models.cfg}, as the worker reads them.
 */
final class ModelOptions {

    @Mixin
    UserHome home;

    @Option(names = "--config", paramLabel = "DIR",
            description = "Configuration directory holding " + ModelSettings.FILE_NAME + " (default: the distribution's conf/).")
    Path configDirectory;

    @Option(names = "--models-dir", paramLabel = "DIR",
            description = "Model cache directory (default: cacheDirectory of the configuration, else models/ in the home directory).")
    Path modelsDirectory;

    @Option(names = "--base-url", paramLabel = "URL",
            description = "Hugging Face-style server to download from (default: baseUrl of the configuration, else https://huggingface.co).")
    URI baseUrl;

    ModelSettings settings() throws IOException {
        Path defaultCache = home.directory().resolve("models");
        Optional<Path> conf = configDirectory != null ? Optional.of(configDirectory)
                : DistributionLayout.directory("conf");
        ModelSettings settings = conf.isPresent() ? ModelSettings.load(conf.get(), defaultCache)
                : ModelSettings.defaults(defaultCache);
        if (modelsDirectory != null) {
            settings = settings.withCacheDirectory(modelsDirectory.toAbsolutePath());
        }
        if (baseUrl != null) {
            settings = settings.withBaseUrl(baseUrl);
        }
        return settings;
    }

    /** The model of that name, or an error listing the names there are. */
    static ModelEntry find(ModelRegistry registry, String name) {
        return registry.find(name).orElseThrow(() -> new IllegalArgumentException("no model is named '" + name
                + "'; known: " + registry.entries().stream().map(ModelEntry::name).collect(Collectors.joining(", "))));
    }
}
