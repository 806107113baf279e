package dev.steadytext.api.generate;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The receiver of a generation's text while it is being decoded (see {@link Generator#generate(GenerationRequest,
 * TextSink)}).
 */
@ConsumerType
@FunctionalInterface
public interface TextSink {

    /**
     * Takes the next piece of generated text. Pieces arrive in order, never split a character, and concatenate to the
     * finished {@link Generation#text()}.
     *
     * @return true to go on; false to stop the generation, which then ends with a
     *     {@link java.util.concurrent.CancellationException}
     */
    boolean accept(String piece);
}
