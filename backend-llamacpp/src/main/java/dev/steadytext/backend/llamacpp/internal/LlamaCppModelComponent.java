package dev.steadytext.backend.llamacpp.internal;

import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The DS component that serves one more GGUF model per factory configuration of {@value #FACTORY_PID}, beside the
 * platform's configured model ({@link LlamaCppComponent}); see {@link LlamaCppBackend}. The worker creates one for
 * each model a SQL call names and no worker serves yet (models on demand); an operator can too, as
 * {@code conf/dev.steadytext.backend.llamacpp.model-NAME.cfg}. The keys are those of the platform's model; set
 * {@code isDefault = false} unless the model is to serve calls that name none. No configuration at all is the usual
 * state, which the component property {@code steadytext.configuration.optional} tells the platform's diagnosis.
 */
@Component(configurationPid = LlamaCppModelComponent.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, property = "steadytext.configuration.optional=true")
@Designate(ocd = LlamaCppComponent.Config.class, factory = true)
public final class LlamaCppModelComponent {

    static final String FACTORY_PID = "dev.steadytext.backend.llamacpp.model";

    private LlamaCppBackend backend;

    @Activate
    void activate(BundleContext context, LlamaCppComponent.Config config, Map<String, Object> properties) {
        backend = LlamaCppBackend.start(context, config,
                LlamaCppComponent.configurationPid(properties, FACTORY_PID));
    }

    @Deactivate
    void deactivate() {
        backend.stop();
    }
}
