package dev.steadytext.backend.llamacpp.internal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A JSON schema in the supported subset, as a grammar whose every output is one compact JSON document valid against
 * the schema, and as a check of finished output.
 *
 * <p>The subset, identical to what the SQL function {@code _steadytext_check_json_schema} accepts (shared vectors:
 * testkit {@code structured-input-vectors.tsv}):
 * <ul>
 *   <li>every schema is a JSON object; keywords: {@code type} (one of object, array, string, integer, number,
 *       boolean, null, or an array of distinct ones), {@code enum} (a non-empty array), {@code const},
 *       {@code properties}, {@code required} (names {@code properties} defines), {@code additionalProperties}
 *       (only {@code false}), {@code items} (needed by type array), {@code minItems}, {@code maxItems},
 *       {@code minLength}, {@code maxLength} (integers 0 to 1000, min not above max), and the annotations
 *       {@code title}, {@code description}, {@code default}, {@code examples}, {@code $schema}, {@code $id},
 *       {@code $comment}, which change nothing;</li>
 *   <li>{@code enum} and {@code const} exclude each other and every keyword but {@code type}, and their values must
 *       be of that type;</li>
 *   <li>anything else (pattern, format, $ref, anyOf, minimum, ...) is refused, naming the keyword and where it is.</li>
 * </ul>
 *
 * <p>The output has no whitespace, every declared property in jsonb's key order (required or not: a property the
 * schema declares may always be present), strings without {@code \\u} escapes (so that no NUL or lone surrogate can
 * make the document uncastable to jsonb), numbers without exponents and at most 15 digits on either side of the
 * point. Strings without {@code maxLength} stop at {@value #DEFAULT_MAX_LENGTH} characters and arrays without
 * {@code maxItems} at {@value #DEFAULT_MAX_ITEMS} items: a small model that never closes a string would otherwise
 * spend every token on it and leave an unfinished document.
 */
final class JsonSchemaGrammar {

    static final int DEFAULT_MAX_LENGTH = 128;
    static final int DEFAULT_MAX_ITEMS = 16;
    static final int MAX_BOUND = 1000;

    private static final Set<String> ANNOTATIONS = Set.of("title", "description", "default", "examples", "$schema",
            "$id", "$comment");
    private static final Set<String> KEYWORDS = Set.of("type", "enum", "const", "properties", "required",
            "additionalProperties", "items", "minItems", "maxItems", "minLength", "maxLength");
    private static final List<String> TYPES = List.of("object", "array", "string", "integer", "number", "boolean",
            "null");
    private static final List<String> BOUNDS = List.of("minItems", "maxItems", "minLength", "maxLength");

    private static final String CHAR_RULE = "char ::= [^\"\\\\\\x00-\\x1F\\x7F] | \"\\\\\" [\"\\\\/bfnrt]";
    private static final String INT_RULE = "int ::= \"-\"? (\"0\" | [1-9] [0-9]{0,14})";
    private static final String NUM_RULE = "num ::= int (\".\" [0-9]{1,15})?";

    private JsonSchemaGrammar() {
    }

    /**
     * Checks and compiles a schema.
     *
     * @throws IllegalArgumentException naming the argument {@code schema} and what is wrong where
     */
    static OutputGrammar compile(String schemaJson) {
        Object schema;
        try {
            schema = Json.parse(schemaJson);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("schema is " + e.getMessage(), e);
        }
        check(schema, "#");
        Rules rules = new Rules();
        rules.define("root", "");
        rules.define("root", rules.expression(schema));
        return new OutputGrammar(rules.text(), output -> accepts(schema, output),
                "a JSON document valid against the schema; raise max_tokens, or bound the schema's strings and arrays"
                        + " with maxLength and maxItems");
    }

    /** Whether {@code output} is one JSON document valid against the schema. */
    private static boolean accepts(Object schema, String output) {
        try {
            return conforms(schema, Json.parse(output));
        } catch (IllegalArgumentException notJson) {
            return false;
        }
    }

    // ---- validation: keep in step with _steadytext_check_json_schema (060-structured.sql), rule for rule ----

    private static void check(Object node, String path) {
        if (!(node instanceof Map<?, ?> raw)) {
            throw invalid("schema at " + path + " must be a JSON object, not " + Json.typeOf(node));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> schema = (Map<String, Object>) raw;
        for (String key : schema.keySet()) {
            if (!KEYWORDS.contains(key) && !ANNOTATIONS.contains(key)) {
                throw invalid("unsupported keyword \"" + key + "\" at " + path);
            }
        }
        if (schema.containsKey("enum") && schema.containsKey("const")) {
            throw invalid("enum and const cannot both be given at " + path);
        }
        List<String> types = types(schema.get("type"), path);
        if (schema.containsKey("enum") && !(schema.get("enum") instanceof List<?> values && !values.isEmpty())) {
            throw invalid("enum at " + path + " must be a non-empty array");
        }
        String literal = schema.containsKey("enum") ? "enum" : schema.containsKey("const") ? "const" : null;
        if (literal != null) {
            checkLiterals(schema, literal, types, path);
            return;
        }
        if (types == null) {
            throw invalid("schema at " + path + " needs a type, enum or const");
        }
        Object properties = schema.get("properties");
        if (properties != null) {
            if (!(properties instanceof Map<?, ?> map)) {
                throw invalid("properties at " + path + " must be a JSON object");
            }
            map.forEach((name, sub) -> check(sub, path + "/properties/" + name));
        }
        checkRequired(schema.get("required"), properties, path);
        if (schema.containsKey("additionalProperties") && schema.get("additionalProperties") != Boolean.FALSE) {
            throw invalid("additionalProperties at " + path + " must be false (other values are not supported)");
        }
        if (schema.containsKey("items")) {
            check(schema.get("items"), path + "/items");
        } else if (types.contains("array")) {
            throw invalid("type array at " + path + " needs items");
        }
        for (String bound : BOUNDS) {
            Object value = schema.get(bound);
            if (value != null && !(value instanceof BigDecimal n && Json.isIntegral(n) && n.signum() >= 0
                    && n.compareTo(BigDecimal.valueOf(MAX_BOUND)) <= 0)) {
                throw invalid(bound + " at " + path + " must be an integer from 0 to " + MAX_BOUND);
            }
        }
        checkOrder(schema, "minItems", "maxItems", path);
        checkOrder(schema, "minLength", "maxLength", path);
    }

    private static List<String> types(Object type, String path) {
        if (type == null) {
            return null;
        }
        List<?> names = type instanceof List<?> list ? list : List.of(type);
        if (names.isEmpty() || !names.stream().allMatch(TYPES::contains) || Set.copyOf(names).size() != names.size()) {
            throw invalid("type at " + path + " must be one of " + String.join(", ", TYPES)
                    + ", or an array of distinct ones");
        }
        return names.stream().map(String.class::cast).toList();
    }

    private static void checkLiterals(Map<String, Object> schema, String literal, List<String> types, String path) {
        for (String key : schema.keySet()) {
            if (!key.equals(literal) && !key.equals("type") && !ANNOTATIONS.contains(key)) {
                throw invalid(literal + " at " + path + " cannot be combined with \"" + key + "\"");
            }
        }
        if (types == null) {
            return;
        }
        List<?> values = literal.equals("enum") ? (List<?>) schema.get("enum") : List.of(schema.get("const"));
        for (int i = 0; i < values.size(); i++) {
            Object value = values.get(i);
            if (types.stream().noneMatch(t -> isOfType(value, t))) {
                throw invalid((literal.equals("enum") ? "enum value #" + (i + 1) : "const") + " at " + path
                        + " is not of its type");
            }
        }
    }

    private static void checkRequired(Object required, Object properties, String path) {
        if (required == null) {
            return;
        }
        if (!(required instanceof List<?> names) || !names.stream().allMatch(String.class::isInstance)) {
            throw invalid("required at " + path + " must be an array of property names");
        }
        Set<Object> seen = new HashSet<>();
        for (Object name : names) {
            if (!(properties instanceof Map<?, ?> map && map.containsKey(name))) {
                throw invalid("required at " + path + " names \"" + name + "\", which properties does not define");
            }
            if (!seen.add(name)) {
                throw invalid("required at " + path + " repeats \"" + name + "\"");
            }
        }
    }

    private static void checkOrder(Map<String, Object> schema, String min, String max, String path) {
        if (schema.get(min) instanceof BigDecimal low && schema.get(max) instanceof BigDecimal high
                && low.compareTo(high) > 0) {
            throw invalid(min + " at " + path + " is greater than " + max);
        }
    }

    private static boolean isOfType(Object value, String type) {
        return switch (type) {
            case "integer" -> value instanceof BigDecimal n && Json.isIntegral(n);
            default -> Json.typeOf(value).equals(type);
        };
    }

    private static IllegalArgumentException invalid(String message) {
        return new IllegalArgumentException("schema: " + message);
    }

    // ---- checking finished output ----

    @SuppressWarnings("unchecked")
    private static boolean conforms(Object node, Object value) {
        Map<String, Object> schema = (Map<String, Object>) node;
        if (schema.containsKey("const")) {
            return Json.canonical(schema.get("const")).equals(Json.canonical(value));
        }
        if (schema.containsKey("enum")) {
            String text = Json.canonical(value);
            return ((List<Object>) schema.get("enum")).stream().anyMatch(v -> Json.canonical(v).equals(text));
        }
        return types(schema.get("type"), "#").stream().anyMatch(t -> isOfType(value, t) && satisfies(schema, value));
    }

    @SuppressWarnings("unchecked")
    private static boolean satisfies(Map<String, Object> schema, Object value) {
        switch (value) {
            case Map<?, ?> raw -> {
                Map<String, Object> object = (Map<String, Object>) raw;
                Map<String, Object> properties = (Map<String, Object>) schema.getOrDefault("properties", Map.of());
                List<Object> required = (List<Object>) schema.getOrDefault("required", List.of());
                return object.keySet().containsAll(required)
                        && (schema.get("additionalProperties") == null || properties.keySet().containsAll(object.keySet()))
                        && object.entrySet().stream().allMatch(e -> !properties.containsKey(e.getKey())
                                || conforms(properties.get(e.getKey()), e.getValue()));
            }
            case List<?> items -> {
                return within(items.size(), schema, "minItems", "maxItems")
                        && items.stream().allMatch(item -> conforms(schema.get("items"), item));
            }
            case String s -> {
                return within(s.codePointCount(0, s.length()), schema, "minLength", "maxLength");
            }
            default -> {
                return true;
            }
        }
    }

    private static boolean within(int size, Map<String, Object> schema, String min, String max) {
        return (!(schema.get(min) instanceof BigDecimal low) || size >= low.intValue())
                && (!(schema.get(max) instanceof BigDecimal high) || size <= high.intValue());
    }

    // ---- grammar ----

    /** The rules of one grammar: one per nested schema, and the shared ones used. */
    private static final class Rules {
        private final Map<String, String> rules = new LinkedHashMap<>();
        private final Set<String> shared = new TreeSet<>();
        private int next;

        /** Defines (or redefines, keeping its place) a rule. */
        void define(String name, String expression) {
            rules.put(name, expression);
        }

        String text() {
            List<String> lines = new ArrayList<>();
            rules.forEach((name, expression) -> lines.add(name + " ::= " + expression));
            lines.addAll(shared);
            return String.join("\n", lines) + "\n";
        }

        /** A rule for a nested schema; returns its name. */
        private String rule(Object schema) {
            String name = "n" + (++next);
            // Reserved first, so that rules appear in the order of the schema's nesting.
            define(name, "");
            define(name, expression(schema));
            return name;
        }

        @SuppressWarnings("unchecked")
        String expression(Object node) {
            Map<String, Object> schema = (Map<String, Object>) node;
            if (schema.containsKey("const")) {
                return Gbnf.literal(Json.compact(schema.get("const")));
            }
            if (schema.containsKey("enum")) {
                return alternatives(((List<Object>) schema.get("enum")).stream()
                        .map(v -> Gbnf.literal(Json.compact(v))).distinct().toList());
            }
            return alternatives(types(schema.get("type"), "#").stream().map(t -> typed(schema, t)).toList());
        }

        private static String alternatives(List<String> options) {
            return options.size() == 1 ? options.get(0) : "(" + String.join(" | ", options) + ")";
        }

        @SuppressWarnings("unchecked")
        private String typed(Map<String, Object> schema, String type) {
            return switch (type) {
                case "object" -> object((Map<String, Object>) schema.getOrDefault("properties", Map.of()));
                case "array" -> array(rule(schema.get("items")), bound(schema, "minItems", 0),
                        bound(schema, "maxItems", Math.max(DEFAULT_MAX_ITEMS, bound(schema, "minItems", 0))));
                case "string" -> {
                    shared.add(CHAR_RULE);
                    int min = bound(schema, "minLength", 0);
                    int max = bound(schema, "maxLength", Math.max(DEFAULT_MAX_LENGTH, min));
                    yield "\"\\\"\" " + (max == 0 ? "" : "char" + Gbnf.repeat(min, max) + " ") + "\"\\\"\"";
                }
                case "integer" -> {
                    shared.add(INT_RULE);
                    yield "int";
                }
                case "number" -> {
                    shared.add(INT_RULE);
                    shared.add(NUM_RULE);
                    yield "num";
                }
                case "boolean" -> "(\"true\" | \"false\")";
                default -> "\"null\"";
            };
        }

        private String object(Map<String, Object> properties) {
            if (properties.isEmpty()) {
                return Gbnf.literal("{}");
            }
            StringBuilder out = new StringBuilder();
            String separator = "{";
            for (Map.Entry<String, Object> property : properties.entrySet()) {
                StringBuilder key = new StringBuilder(separator);
                Json.string(key, property.getKey());
                out.append(Gbnf.literal(key.append(':').toString())).append(' ').append(rule(property.getValue()))
                        .append(' ');
                separator = ",";
            }
            return out.append(Gbnf.literal("}")).toString();
        }

        private static String array(String item, int min, int max) {
            if (max == 0) {
                return Gbnf.literal("[]");
            }
            String rest = "(" + Gbnf.literal(",") + " " + item + ")" + Gbnf.repeat(Math.max(min - 1, 0), max - 1);
            String items = item + (max > 1 ? " " + rest : "");
            return Gbnf.literal("[") + " " + (min == 0 ? "(" + items + ")?" : items) + " " + Gbnf.literal("]");
        }

        private static int bound(Map<String, Object> schema, String name, int otherwise) {
            return schema.get(name) instanceof BigDecimal n ? n.intValue() : otherwise;
        }
    }
}
