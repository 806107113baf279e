package dev.steadytext.api.generate;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What shape a generation's output must have: unconstrained, a JSON document valid against a schema, a whole match
 * of a regular expression, or exactly one of a list of choices.
 *
 * <p>The backend decides how to enforce a constraint (llama.cpp compiles it to a grammar) and checks the finished
 * output against it: output that does not satisfy the constraint is never returned. A backend rejects a constraint
 * it cannot enforce with an {@link IllegalArgumentException} naming the argument; the SQL functions accept exactly
 * the constraints the bundled backend enforces (the shared vectors {@code structured-input-vectors.tsv} hold both
 * to the same rules).
 *
 * <p>{@link #keyParameters()} are the cache-key parameters the constraint adds to a generation's key (none for
 * {@link #NONE}), so that constrained and plain outputs, and outputs of different constraints, never share an entry.
 */
public sealed interface OutputConstraint {

    /** No constraint: plain text generation. */
    OutputConstraint NONE = new Unconstrained();

    /** The parameters this constraint adds to the cache key, name to canonical value. */
    Map<String, String> keyParameters();

    /** The unconstrained form; use {@link #NONE}. */
    record Unconstrained() implements OutputConstraint {
        @Override
        public Map<String, String> keyParameters() {
            return Map.of();
        }
    }

    /**
     * Output is one JSON document valid against a JSON schema, without surrounding text or whitespace.
     *
     * @param schemaJson the schema as JSON text; keys computed from it match SQL's when it is in PostgreSQL's jsonb
     *     text form (the form the queue hands to workers), since that is what the SQL functions key
     */
    record JsonSchema(String schemaJson) implements OutputConstraint {
        public JsonSchema {
            Objects.requireNonNull(schemaJson, "schemaJson");
            if (schemaJson.isBlank()) {
                throw new IllegalArgumentException("schema must not be empty");
            }
        }

        @Override
        public Map<String, String> keyParameters() {
            return Map.of("json_schema", schemaJson);
        }
    }

    /**
     * Output matches a regular expression as a whole.
     *
     * @param pattern a PostgreSQL-compatible regular expression in the subset the backends support
     */
    record Regex(String pattern) implements OutputConstraint {
        public Regex {
            Objects.requireNonNull(pattern, "pattern");
            if (pattern.isEmpty()) {
                throw new IllegalArgumentException("pattern must not be empty");
            }
        }

        @Override
        public Map<String, String> keyParameters() {
            return Map.of("regex", pattern);
        }
    }

    /**
     * Output is exactly one of the choices.
     *
     * @param choices at least two distinct, non-empty strings, in the caller's order (which is part of the key);
     *     messages number them from 1, as SQL arrays are
     */
    record Choice(List<String> choices) implements OutputConstraint {
        public Choice {
            Objects.requireNonNull(choices, "choices");
            if (choices.size() < 2) {
                throw new IllegalArgumentException("choices must have at least two elements, not " + choices.size());
            }
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < choices.size(); i++) {
                if (choices.get(i) == null) {
                    throw new NullPointerException("choices[" + (i + 1) + "] is NULL");
                }
                if (choices.get(i).isEmpty()) {
                    throw new IllegalArgumentException("choices[" + (i + 1) + "] is empty");
                }
                if (!seen.add(choices.get(i))) {
                    throw new IllegalArgumentException("choices[" + (i + 1) + "] repeats \"" + choices.get(i) + "\"");
                }
            }
            choices = List.copyOf(choices);
        }

        /** The choices as PostgreSQL's jsonb text form of a JSON array of strings, e.g. {@code ["yes", "no"]}. */
        @Override
        public Map<String, String> keyParameters() {
            StringBuilder json = new StringBuilder("[");
            for (String choice : choices) {
                if (json.length() > 1) {
                    json.append(", ");
                }
                appendJsonString(json, choice);
            }
            return Map.of("choices", json.append(']').toString());
        }

        /** Escapes as PostgreSQL's escape_json does, so that the text is byte for byte jsonb's. */
        private static void appendJsonString(StringBuilder out, String value) {
            out.append('"');
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\b' -> out.append("\\b");
                    case '\f' -> out.append("\\f");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            out.append(String.format("\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            out.append('"');
        }
    }
}
