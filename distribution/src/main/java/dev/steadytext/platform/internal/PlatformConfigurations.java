package dev.steadytext.platform.internal;

import dev.steadytext.platform.PlatformOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Optional;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The configurations the launcher owns: the database (always) and the llama.cpp model (when a model path is given).
 *
 * <p>Created with location {@code "?"} so that any bundle may consume them (a configuration created from outside a
 * bundle is otherwise bound to the first bundle that asks). A {@code conf/} file for the same PID replaces them
 * when FileInstall reads it: the launcher's options and such a file are alternatives, not layers.
 */
final class PlatformConfigurations {

    static final String DATABASE_PID = "dev.steadytext.database";
    static final String LLAMACPP_PID = "dev.steadytext.backend.llamacpp";
    private static final String ANY_BUNDLE = "?";

    private final ConfigurationAdmin configurationAdmin;

    PlatformConfigurations(ConfigurationAdmin configurationAdmin) {
        this.configurationAdmin = configurationAdmin;
    }

    void apply(String jdbcUrl, Optional<String> user, Optional<String> password, PlatformOptions options) {
        Dictionary<String, Object> database = new Hashtable<>();
        database.put("url", jdbcUrl);
        user.ifPresent(value -> database.put("user", value));
        // A leading dot makes the property private: DS never copies it into service properties.
        password.ifPresent(value -> database.put(".password", value));
        database.put("schema", options.schema());
        update(DATABASE_PID, database);

        options.generationModel().ifPresent(model -> {
            Dictionary<String, Object> llama = new Hashtable<>();
            llama.put("modelPath", model.toString());
            update(LLAMACPP_PID, llama);
        });
    }

    private void update(String pid, Dictionary<String, Object> properties) {
        try {
            Configuration configuration = configurationAdmin.getConfiguration(pid, ANY_BUNDLE);
            configuration.update(properties);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot store configuration " + pid, e);
        }
    }
}
