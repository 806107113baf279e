package dev.steadytext.backend.llamacpp.internal;

import java.util.Dictionary;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * A failed model load, published as a {@code java.lang.Throwable} service for whoever created the configuration (the
 * worker, loading a model on demand), who finds it by the configuration's PID among its properties and needs no API
 * type of ours to read it. It goes away when the component stops; a failure that comes after that is not published.
 */
final class PublishedFailure {

    private final BundleContext context;
    private final Object lock = new Object();
    // Guarded by lock.
    private boolean withdrawn;
    private ServiceRegistration<Throwable> registration;

    PublishedFailure(BundleContext context) {
        this.context = context;
    }

    /** Runs on the loader thread. */
    void publish(Throwable cause, Dictionary<String, Object> properties) {
        synchronized (lock) {
            if (!withdrawn) {
                registration = context.registerService(Throwable.class, cause, properties);
            }
        }
    }

    /** From deactivation: unregisters the failure, if any, and keeps later ones from being published. */
    void withdraw() {
        synchronized (lock) {
            withdrawn = true;
            if (registration != null) {
                try {
                    registration.unregister();
                } catch (IllegalStateException e) {
                    // Already gone with the bundle.
                }
                registration = null;
            }
        }
    }
}
