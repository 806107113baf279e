package dev.steadytext.backend.llamacpp.internal;

import dev.steadytext.api.generate.OutputConstraint;
import java.util.List;
import java.util.function.Predicate;

/**
 * An {@link OutputConstraint} as llama.cpp enforces it: a GBNF grammar that every output of greedy decoding follows,
 * and a check of the finished output, which fails when generation ran out of tokens before the grammar was complete
 * (and would fail if llama.cpp ever ignored the grammar: it generates unconstrained text when a grammar does not
 * parse, reporting that only on stderr).
 *
 * @param gbnf the grammar, rule {@code root} first
 * @param accepts whether a finished output satisfies the constraint
 * @param unfinished what an output that does not is missing, for the error message
 */
record OutputGrammar(String gbnf, Predicate<String> accepts, String unfinished) {

    /**
     * The grammar of a constraint other than {@link OutputConstraint#NONE}.
     *
     * @throws IllegalArgumentException if the constraint is outside the supported subset, naming the argument
     */
    static OutputGrammar of(OutputConstraint constraint) {
        return switch (constraint) {
            case OutputConstraint.JsonSchema json -> JsonSchemaGrammar.compile(json.schemaJson());
            case OutputConstraint.Regex regex -> RegexGrammar.compile(regex.pattern());
            case OutputConstraint.Choice choice -> choice(choice.choices());
            case OutputConstraint.Unconstrained none ->
                    throw new IllegalArgumentException("an unconstrained request has no grammar");
        };
    }

    private static OutputGrammar choice(List<String> choices) {
        String gbnf = "root ::= " + String.join(" | ", choices.stream().map(Gbnf::literal).toList()) + "\n";
        return new OutputGrammar(gbnf, choices::contains, "one of the choices; raise max_tokens");
    }
}
