package dev.steadytext.api.queue;

import dev.steadytext.api.model.ModelDescriptor;
import java.util.Collection;
import java.util.UUID;
import org.osgi.annotation.versioning.ProviderType;

/** Where workers announce themselves, their models and their liveness, and learn whether to pause. */
@ProviderType
public interface WorkerRegistry {

    /** Records a starting worker. */
    void register(UUID workerId, String host, long pid);

    /**
     * Records a model a worker serves, so that SQL callers can key requests to it.
     *
     * @param isDefault whether it serves requests that name no model
     */
    void registerModel(UUID workerId, ModelDescriptor model, boolean isDefault);

    /**
     * Records liveness and progress.
     *
     * @return whether processing is paused ({@code steadytext_daemon_stop()}): a paused worker claims nothing
     */
    boolean heartbeat(UUID workerId, long jobsDone, Collection<String> modelFingerprints);

    /** Records a worker that stopped cleanly. */
    void deregister(UUID workerId);
}
