package dev.steadytext.api.queue;

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
}
