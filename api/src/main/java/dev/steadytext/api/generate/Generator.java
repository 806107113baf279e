package dev.steadytext.api.generate;

import dev.steadytext.api.model.ModelDescriptor;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A text generation backend serving one model.
 *
 * <p>Implementations decode greedily (temperature 0, top-k 1, top-p 1, min-p 0, repeat penalty 1) and feed the model
 * one request at a time, so that the same request always gives byte-identical text. Callers may invoke
 * {@link #generate} from any thread; implementations serialise internally.
 */
@ConsumerType
public interface Generator {

    /** The model this backend serves; its fingerprint keys every cached result. */
    ModelDescriptor model();

    /**
     * Generates text for one request.
     *
     * @throws IllegalArgumentException if the request cannot be served by this model (for example a prompt longer
     *     than its context); the message names the argument
     */
    Generation generate(GenerationRequest request);
}
