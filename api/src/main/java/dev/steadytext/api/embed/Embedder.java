package dev.steadytext.api.embed;

import dev.steadytext.api.model.ModelDescriptor;
import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * An embedding backend serving one model.
 *
 * <p>Each vector is mean-pooled over the attention mask and L2-normalised, and it is bit-identical whatever batch it
 * was computed in: callers may batch freely.
 */
@ConsumerType
public interface Embedder {

    /** The model this backend serves; {@link ModelDescriptor#dimension()} is the vector length. */
    ModelDescriptor model();

    /** The largest batch {@link #embed} accepts at once. */
    int maxBatchSize();

    /**
     * Embeds texts, one vector per text in the same order.
     *
     * @throws IllegalArgumentException if more than {@link #maxBatchSize()} texts are given
     */
    List<float[]> embed(List<String> texts);
}
