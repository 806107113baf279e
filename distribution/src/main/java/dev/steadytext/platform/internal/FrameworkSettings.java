package dev.steadytext.platform.internal;

import dev.steadytext.platform.PlatformOptions;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.osgi.framework.Constants;

/** The OSGi framework properties of one runtime, FileInstall's included (it reads them from the framework). */
final class FrameworkSettings {

    /** Read by the backends; see there. */
    static final String CACHE_DIR_PROPERTY = "steadytext.cache.dir";
    /** Read by the model loader: the model cache when conf/dev.steadytext.models.cfg names none, as for the CLI. */
    static final String MODELS_DIR_PROPERTY = "steadytext.models.dir";

    private FrameworkSettings() {}

    static Map<String, String> of(PlatformOptions options, Path storage) {
        Map<String, String> properties = new HashMap<>();
        properties.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        // The storage is private to this process and starts empty: bundles always come from the bundles directory.
        properties.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        // Bundles see only java.* and what the system bundle exports, never the launcher's (or host's) class path.
        properties.put(Constants.FRAMEWORK_BUNDLE_PARENT, Constants.FRAMEWORK_BUNDLE_PARENT_BOOT);
        properties.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, SystemPackages.exportedFromClassPath());
        // Kept across starts, unlike the storage above: the backends extract their native libraries and bundled
        // models here once (into directories named after the content), instead of on every start.
        properties.put(CACHE_DIR_PROPERTY, options.homeDirectory().resolve("cache").toString());
        properties.put(MODELS_DIR_PROPERTY, options.homeDirectory().resolve("models").toString());

        List<Path> watched = List.of(options.configDirectory(), options.pluginsDirectory()).stream()
                .flatMap(Optional::stream)
                .toList();
        if (!watched.isEmpty()) {
            properties.put("felix.fileinstall.dir",
                    watched.stream().map(Path::toString).collect(Collectors.joining(",")));
        }
        // Configurations are read from files, never written back into them (that would also write the launcher's
        // own configurations, password included, into conf/).
        properties.put("felix.fileinstall.enableConfigSave", "false");
        properties.put("felix.fileinstall.noInitialDelay", "true");
        properties.put("felix.fileinstall.poll", "200");
        // Only configurations and bundles: READMEs and examples in conf/ and plugins/ are not artifacts.
        properties.put("felix.fileinstall.filter", ".*\\.(cfg|config|jar)");
        properties.put("felix.fileinstall.log.level", "2"); // warnings

        properties.putAll(options.frameworkProperties());
        return properties;
    }
}
