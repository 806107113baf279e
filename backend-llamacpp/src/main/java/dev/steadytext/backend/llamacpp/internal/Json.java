package dev.steadytext.backend.llamacpp.internal;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A small JSON reader and writer that sees documents as PostgreSQL's jsonb does.
 *
 * <p>Values are {@code Map<String, Object>} (keys in jsonb's order: shorter UTF-8 first, then bytewise; a repeated
 * key keeps its last value), {@code List<Object>}, {@link String}, {@link BigDecimal}, {@link Boolean} and
 * {@link #NULL}. {@link #canonical} writes jsonb's text form (what {@code jsonb::text} gives), {@link #compact} the
 * same without optional spaces. Schemas and outputs are small, so a recursive descent is enough.
 */
final class Json {

    /** JSON null. */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /** jsonb's key order. */
    static final Comparator<String> KEY_ORDER = (a, b) -> {
        byte[] x = a.getBytes(StandardCharsets.UTF_8);
        byte[] y = b.getBytes(StandardCharsets.UTF_8);
        return x.length != y.length ? Integer.compare(x.length, y.length) : Arrays.compareUnsigned(x, y);
    };

    private final String text;
    private int pos;

    private Json(String text) {
        this.text = text;
    }

    /** Parses one JSON document; throws {@link IllegalArgumentException} saying where it is not JSON. */
    static Object parse(String text) {
        Json reader = new Json(text);
        reader.skipSpace();
        Object value = reader.value();
        reader.skipSpace();
        if (reader.pos != text.length()) {
            throw reader.error("unexpected text after the document");
        }
        return value;
    }

    /** jsonb's name of a value's type: object, array, string, number, boolean or null. */
    static String typeOf(Object value) {
        return switch (value) {
            case Map<?, ?> m -> "object";
            case List<?> l -> "array";
            case String s -> "string";
            case BigDecimal n -> "number";
            case Boolean b -> "boolean";
            default -> "null";
        };
    }

    /** Whether a number is integral (1 and 1.0 are, 1.5 is not), as JSON Schema's integer type sees it. */
    static boolean isIntegral(BigDecimal number) {
        return number.signum() == 0 || number.stripTrailingZeros().scale() <= 0;
    }

    /** The jsonb text form: {@code {"a": 1, "b": [true, null]}}. */
    static String canonical(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value, ", ", ": ");
        return out.toString();
    }

    /** The text form without optional whitespace: {@code {"a":1,"b":[true,null]}}. */
    static String compact(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value, ",", ":");
        return out.toString();
    }

    private static void write(StringBuilder out, Object value, String comma, String colon) {
        switch (value) {
            case Map<?, ?> map -> {
                out.append('{');
                String separator = "";
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    out.append(separator);
                    string(out, (String) entry.getKey());
                    out.append(colon);
                    write(out, entry.getValue(), comma, colon);
                    separator = comma;
                }
                out.append('}');
            }
            case List<?> list -> {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    out.append(i == 0 ? "" : comma);
                    write(out, list.get(i), comma, colon);
                }
                out.append(']');
            }
            case String s -> string(out, s);
            // numeric's output: the input's digits after the point, never an exponent.
            case BigDecimal n -> out.append(n.scale() < 0 ? n.setScale(0).toPlainString() : n.toPlainString());
            default -> out.append(value);
        }
    }

    /** A JSON string literal, escaped as PostgreSQL's escape_json escapes. */
    static void string(StringBuilder out, String s) {
        out.append('"');
        s.chars().forEach(c -> {
            String escape = switch (c) {
                case '"' -> "\\\"";
                case '\\' -> "\\\\";
                case '\b' -> "\\b";
                case '\f' -> "\\f";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                default -> c < 0x20 ? "\\u%04x".formatted(c) : null;
            };
            if (escape == null) {
                out.append((char) c);
            } else {
                out.append(escape);
            }
        });
        out.append('"');
    }

    private Object value() {
        if (pos >= text.length()) {
            throw error("unexpected end of the document");
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> word("true", Boolean.TRUE);
            case 'f' -> word("false", Boolean.FALSE);
            case 'n' -> word("null", NULL);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw error("unexpected character '" + c + "'");
            }
        };
    }

    private Map<String, Object> object() {
        Map<String, Object> map = new TreeMap<>(KEY_ORDER);
        pos++;
        skipSpace();
        if (peek('}')) {
            pos++;
            return map;
        }
        while (true) {
            skipSpace();
            if (!peek('"')) {
                throw error("expected a property name");
            }
            String key = string();
            skipSpace();
            expect(':');
            skipSpace();
            map.put(key, value());
            skipSpace();
            if (peek(',')) {
                pos++;
            } else {
                expect('}');
                return map;
            }
        }
    }

    private List<Object> array() {
        List<Object> list = new ArrayList<>();
        pos++;
        skipSpace();
        if (peek(']')) {
            pos++;
            return list;
        }
        while (true) {
            skipSpace();
            list.add(value());
            skipSpace();
            if (peek(',')) {
                pos++;
            } else {
                expect(']');
                return list;
            }
        }
    }

    private String string() {
        StringBuilder out = new StringBuilder();
        pos++;
        while (true) {
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                throw error("control character in a string");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char e = text.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    if (pos + 4 > text.length()) {
                        throw error("incomplete \\u escape");
                    }
                    int code;
                    try {
                        code = Integer.parseInt(text.substring(pos, pos + 4), 16);
                    } catch (NumberFormatException x) {
                        throw error("invalid \\u escape");
                    }
                    if (code == 0) {
                        // jsonb refuses it: text cannot hold NUL.
                        throw error("\\u0000 cannot be stored");
                    }
                    pos += 4;
                    out.append((char) code);
                }
                default -> throw error("invalid escape \\" + e);
            }
        }
    }

    private BigDecimal number() {
        int start = pos;
        if (peek('-')) {
            pos++;
        }
        if (peek('0')) {
            pos++;
        } else {
            digits();
        }
        if (peek('.')) {
            pos++;
            digits();
        }
        if (peek('e') || peek('E')) {
            pos++;
            if (peek('+') || peek('-')) {
                pos++;
            }
            digits();
        }
        return new BigDecimal(text.substring(start, pos));
    }

    private void digits() {
        int start = pos;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
        }
        if (pos == start) {
            throw error("expected a digit");
        }
    }

    private Object word(String word, Object value) {
        if (!text.startsWith(word, pos)) {
            throw error("unexpected character '" + text.charAt(pos) + "'");
        }
        pos += word.length();
        return value;
    }

    private boolean peek(char c) {
        return pos < text.length() && text.charAt(pos) == c;
    }

    private void expect(char c) {
        if (!peek(c)) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private void skipSpace() {
        while (pos < text.length() && " \t\n\r".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("not valid JSON at character " + (pos + 1) + ": " + what);
    }
}
