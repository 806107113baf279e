package dev.steadytext.api.generate;

import dev.steadytext.api.model.ModelDescriptor;
import java.util.concurrent.CancellationException;
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

    /**
     * Generates text for one request, handing it to {@code sink} piece by piece as it is decoded. The result is
     * byte for byte {@link #generate(GenerationRequest)}'s, and the pieces concatenate to its text.
     *
     * <p>The default implementation generates the whole text first and hands it over as one piece; a backend that
     * decodes token by token overrides it to hand over each token's text as soon as it is decoded.
     *
     * @throws CancellationException if {@code sink} returned false; the backend stopped decoding
     * @throws IllegalArgumentException as {@link #generate(GenerationRequest)}
     */
    default Generation generate(GenerationRequest request, TextSink sink) {
        Generation generation = generate(request);
        if (!generation.text().isEmpty() && !sink.accept(generation.text())) {
            throw new CancellationException("the generation's receiver stopped it");
        }
        return generation;
    }
}
