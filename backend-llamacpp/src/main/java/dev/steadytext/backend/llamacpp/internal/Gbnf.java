package dev.steadytext.backend.llamacpp.internal;

/**
 * Writing llama.cpp grammar (GBNF) text: string literals and bracket-expression characters.
 *
 * <p>Everything but ASCII letters, digits and space is written as a hex escape ({@code \x2D}, {@code \u00E9},
 * {@code \U0001F600}): llama.cpp's grammar parser knows only a few character escapes, and none for {@code -} or
 * {@code ^} inside brackets, so hex is the one spelling that always means the character itself.
 */
final class Gbnf {

    private Gbnf() {
    }

    /** A string literal matching exactly {@code text}; {@code ""} for the empty string. */
    static String literal(String text) {
        StringBuilder out = new StringBuilder("\"");
        text.codePoints().forEach(cp -> out.append(character(cp)));
        return out.append('"').toString();
    }

    /** One character as it may appear inside a literal or a bracket expression. */
    static String character(int cp) {
        if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || cp == ' ') {
            return Character.toString(cp);
        }
        if (cp < 0x100) {
            return "\\x%02X".formatted(cp);
        }
        return cp <= 0xFFFF ? "\\u%04X".formatted(cp) : "\\U%08X".formatted(cp);
    }

    /** A repetition suffix: {@code {m}}, {@code {m,}} or {@code {m,n}}; empty for exactly once. */
    static String repeat(int min, int max) {
        if (min == 1 && max == 1) {
            return "";
        }
        if (max < 0) {
            return min == 0 ? "*" : min == 1 ? "+" : "{" + min + ",}";
        }
        if (min == 0 && max == 1) {
            return "?";
        }
        return min == max ? "{" + min + "}" : "{" + min + "," + max + "}";
    }
}
