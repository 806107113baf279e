package dev.steadytext.backend.onnx.internal;

import dev.steadytext.api.model.ModelDescriptor;
import java.util.Hashtable;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;

/** Registers a loaded model as a service with the properties the worker and requests select models by. */
final class ModelServices {

    /** Service property: the model's human name, used by requests that name a model. */
    static final String MODEL_NAME = "steadytext.model.name";
    /** Service property: {@link ModelDescriptor#fingerprint()}. */
    static final String MODEL_FINGERPRINT = "steadytext.model.fingerprint";
    /** Service property: true when this model serves requests that name no model. */
    static final String MODEL_DEFAULT = "steadytext.model.default";
    /** Service property: the backend's name. */
    static final String BACKEND = "steadytext.backend";

    private ModelServices() {
    }

    /** Registers {@code service}; returns what unregisters it. Consumers that ask for any get the default first. */
    static <S> Runnable register(BundleContext context, Class<S> type, S service, ModelDescriptor model,
            boolean isDefault) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(MODEL_NAME, model.name());
        properties.put(MODEL_FINGERPRINT, model.fingerprint());
        properties.put(MODEL_DEFAULT, isDefault);
        properties.put(BACKEND, model.backend());
        properties.put(Constants.SERVICE_RANKING, isDefault ? 100 : 0);
        ServiceRegistration<S> registration = context.registerService(type, service, properties);
        return registration::unregister;
    }
}
