package dev.steadytext.benchmarks.noop;

import dev.steadytext.api.generate.Generation;
import dev.steadytext.api.generate.GenerationRequest;
import dev.steadytext.api.generate.Generator;
import dev.steadytext.api.model.ModelDescriptor;
import dev.steadytext.api.model.ModelKind;

/**
 * A generation backend that answers every request at once with the same short text: what is left of a miss when the
 * model costs nothing is the platform's own overhead (enqueue, claim, complete, notify, wake the caller).
 */
public final class NoopGenerator implements Generator {

    /** Model name, as SQL callers and the worker see it. */
    public static final String NAME = "noop";

    private static final ModelDescriptor MODEL = new ModelDescriptor(ModelKind.GENERATION, NAME, "noop", "1",
            "0000000000000000000000000000000000000000000000000000000000000000", "answer=ok", 0);

    @Override
    public ModelDescriptor model() {
        return MODEL;
    }

    @Override
    public Generation generate(GenerationRequest request) {
        return new Generation("ok", 1, 0);
    }
}
