package dev.steadytext.api.queue;

import java.util.Set;
import java.util.UUID;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A running worker. The service is registered once the worker has announced its models and claims jobs, so its
 * presence is the platform's readiness signal.
 */
@ProviderType
public interface Worker {

    /** The id under which the worker heartbeats in {@code steadytext_workers}. */
    UUID id();

    /** Jobs this worker has completed since it started. */
    long jobsDone();

    /**
     * Fingerprints of the models this worker has announced in the database: SQL callers can key requests to them,
     * and the worker claims their jobs. A backend that is still loading is not among them yet.
     */
    Set<String> registeredModels();
}
