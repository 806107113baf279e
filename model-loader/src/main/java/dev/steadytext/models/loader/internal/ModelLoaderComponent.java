package dev.steadytext.models.loader.internal;

import dev.steadytext.api.queue.Worker;
import dev.steadytext.models.ModelSettings;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;

/**
 * The DS component that loads, for the running worker, the models SQL calls name and no live worker serves
 * (095-models.sql): it resolves them with the model registry of configuration {@value ModelSettings#PID}
 * ({@code conf/dev.steadytext.models.cfg}; the built-in registry without one), fetches their files through the model
 * cache, and starts a llama.cpp backend for each as a factory configuration.
 *
 * <p>It runs while the worker does (its id answers the requests) and never blocks SCR: activation starts the
 * loader's own thread. A configuration change applies to the next load; an invalid one fails loads with its
 * message until it is fixed.
 */
@Component(immediate = true, configurationPid = ModelSettings.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class ModelLoaderComponent {

    /** Framework property: the default model cache directory (the launcher sets it to models/ in the home). */
    static final String MODELS_DIR_PROPERTY = "steadytext.models.dir";

    private static final Logger LOG = System.getLogger(ModelLoaderComponent.class.getName());

    @Reference
    private DataSource dataSource;
    @Reference
    private ConfigurationAdmin configurationAdmin;
    @Reference
    private Worker worker;
    private Path defaultCacheDirectory;
    private ModelLoader loader;

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) {
        String modelsDir = context.getProperty(MODELS_DIR_PROPERTY);
        defaultCacheDirectory = modelsDir != null && !modelsDir.isBlank() ? Path.of(modelsDir)
                : Path.of(System.getProperty("user.home"), ".steadytext", "models");
        loader = new ModelLoader(dataSource, new ModelRequests(dataSource, worker.id()),
                new OnDemandLoad(new OsgiBackends(context, configurationAdmin, worker)));
        modified(properties);
        loader.start();
    }

    @Modified
    void modified(Map<String, Object> properties) {
        try {
            ModelSettings settings = ModelSettings.parse(configured(properties), defaultCacheDirectory,
                    "configuration " + ModelSettings.PID + " (" + ModelSettings.FILE_NAME + ")");
            loader.configure(settings);
            LOG.log(Level.INFO, "models on demand: cache {0}, downloads {1} from {2}", settings.cacheDirectory(),
                    settings.downloadsAllowed() ? "allowed" : "forbidden", settings.baseUrl());
        } catch (IllegalArgumentException e) {
            loader.misconfigured(e.getMessage());
            LOG.log(Level.ERROR, "models on demand: invalid configuration, no model loads until it is fixed: {0}",
                    e.getMessage());
        }
    }

    /**
     * The configuration's own keys: without what SCR adds to component properties ({@code component.*},
     * {@code osgi.ds.*}, and the like), which the settings would take for misspelt keys.
     */
    static Map<String, Object> configured(Map<String, Object> properties) {
        Map<String, Object> configured = new HashMap<>(properties);
        configured.keySet().removeIf(key -> key.startsWith("osgi.") || key.startsWith("component.")
                || key.equals("objectClass"));
        return configured;
    }

    @Deactivate
    void deactivate() {
        loader.close();
    }
}
