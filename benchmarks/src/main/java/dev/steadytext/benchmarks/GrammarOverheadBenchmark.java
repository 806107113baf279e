package dev.steadytext.benchmarks;

import dev.steadytext.api.generate.Generation;
import dev.steadytext.api.generate.GenerationRequest;
import dev.steadytext.api.generate.Generator;
import dev.steadytext.api.generate.OutputConstraint;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Figure "grammar": the overhead of structured generation, as decoding speed (generated tokens per second of backend
 * time) of {@code generate_json} and {@code generate_regex} against plain {@code generate}, on the same model, in the
 * same platform, taking turns request by request so that machine noise hits every form alike.
 *
 * <p>It calls the platform's {@link Generator} service (our LlamaCppGenerator in its bundle, as the worker does), so
 * the figure is the backend's: grammar compilation, constrained sampling and the output check, without the queue.
 * It runs in the platform group: {@code java -jar benchmarks/target/steadytext-benchmarks.jar grammar}.
 */
final class GrammarOverheadBenchmark {

    private static final String SCHEMA = """
            {"type": "object", "properties": {"name": {"type": "string", "maxLength": 40},
             "age": {"type": "integer"}, "friends": {"type": "array", "items": {"type": "string", "maxLength": 20},
             "maxItems": 4}, "happy": {"type": "boolean"}, "story": {"type": "string", "maxLength": 200}},
             "required": ["name", "age", "story"]}""";
    private static final String PATTERN = "[A-Z][a-z]+( [a-z]+){5,40}\\.";
    private static final List<String> PROMPTS = List.of("Once upon a time", "The little dog", "Lily went to the park",
            "A big red ball", "Tom and his friend", "One day, a bird", "The sun was shining", "Mom said");
    private static final int MAX_TOKENS = 256;

    private final GroupContext context;

    GrammarOverheadBenchmark(GroupContext context) {
        this.context = context;
    }

    void run(Generator generator) {
        measure(generator, Duration.ofSeconds(context.options().seconds()));
    }

    private void measure(Generator generator, Duration duration) {
        Map<String, OutputConstraint> forms = new LinkedHashMap<>();
        forms.put("generate", OutputConstraint.NONE);
        forms.put("generate_json", new OutputConstraint.JsonSchema(SCHEMA));
        forms.put("generate_regex", new OutputConstraint.Regex(PATTERN));
        Map<String, long[]> totals = new LinkedHashMap<>(); // form -> {tokens, nanos, requests, failures}
        forms.keySet().forEach(form -> totals.put(form, new long[4]));
        forms.values().forEach(c -> run(generator, PROMPTS.get(0), c)); // warm-up
        long deadline = System.nanoTime() + duration.toNanos();
        for (int round = 0; System.nanoTime() < deadline || round < 2; round++) {
            String prompt = PROMPTS.get(round % PROMPTS.size());
            for (Map.Entry<String, OutputConstraint> form : forms.entrySet()) {
                long[] total = totals.get(form.getKey());
                try {
                    Generation generation = run(generator, prompt, form.getValue());
                    total[0] += generation.tokens();
                    total[1] += generation.nanos();
                } catch (IllegalArgumentException unfinished) {
                    total[3]++;
                }
                total[2]++;
            }
        }
        long[] plain = totals.get("generate");
        for (String form : List.of("generate_json", "generate_regex")) {
            long[] t = totals.get(form);
            context.reporter().result(Result.ratio(Figure.GRAMMAR.id(), "steadytext_" + form + ", " + generator.model().name()
                    + " (tokens/s)", tokensPerSecond(t), tokensPerSecond(plain), Result.Goal.NONE,
                    "reference: plain generate on the same prompts, taking turns; max_tokens " + MAX_TOKENS + "; "
                    + t[2] + " requests of " + Result.format((double) t[0] / Math.max(1, t[2] - t[3]))
                    + " tokens on average, " + t[3] + " unfinished; plain: " + plain[2] + " requests of "
                    + Result.format((double) plain[0] / Math.max(1, plain[2])) + " tokens"));
        }
    }

    private static Generation run(Generator generator, String prompt, OutputConstraint constraint) {
        return generator.generate(GenerationRequest.of(prompt, MAX_TOKENS, 42, "[EOS]", constraint));
    }

    private static double tokensPerSecond(long[] total) {
        return total[0] / (total[1] / 1e9);
    }
}
