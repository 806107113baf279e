package dev.steadytext.backend.llamacpp.internal;

import dev.steadytext.api.generate.Generator;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The DS component that serves the platform's configured GGUF model ({@code --generation-model}, or
 * {@code conf/dev.steadytext.backend.llamacpp.cfg}) as a {@link Generator} service; see {@link LlamaCppBackend}.
 *
 * <p>Without a configuration there is no model path, so the component does not activate at all. More models are
 * served by {@link LlamaCppModelComponent}, one per factory configuration of its own PID: Felix SCR refuses factory
 * configurations for a PID that already has a singleton configuration, so they cannot share this one.
 */
@Component(configurationPid = LlamaCppComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = LlamaCppComponent.Config.class)
public final class LlamaCppComponent {

    static final String PID = "dev.steadytext.backend.llamacpp";

    @ObjectClassDefinition(name = "SteadyText llama.cpp backend",
            description = "Serves one GGUF model for deterministic, greedy text generation.")
    @interface Config {
        @AttributeDefinition(description = "Path of the GGUF model file (required).")
        String modelPath();

        @AttributeDefinition(description = "Context size in tokens: prompt plus generated text.")
        int contextSize() default 2048;

        @AttributeDefinition(description = "Batch size for prompt processing.")
        int batchSize() default 512;

        @AttributeDefinition(description = "CPU threads.")
        int threads() default 2;

        @AttributeDefinition(description = "Serve requests that name no model.")
        boolean isDefault() default true;

        @AttributeDefinition(description = "Model name; empty means the file's base name without .gguf.")
        String name() default "";
    }

    private LlamaCppBackend backend;

    @Activate
    void activate(BundleContext context, Config config, Map<String, Object> properties) {
        backend = LlamaCppBackend.start(context, config, configurationPid(properties, PID));
    }

    @Deactivate
    void deactivate() {
        backend.stop();
    }

    /** The PID of the configuration a component instance was activated with. */
    static String configurationPid(Map<String, Object> properties, String fallback) {
        return String.valueOf(properties.getOrDefault(Constants.SERVICE_PID, fallback));
    }
}
