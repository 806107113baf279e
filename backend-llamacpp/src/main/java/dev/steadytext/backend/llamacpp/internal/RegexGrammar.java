package dev.steadytext.backend.llamacpp.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A regular expression in the supported subset, as a grammar of the strings it matches as a whole, and as a check
 * of finished output.
 *
 * <p>The subset, identical to what the SQL function {@code _steadytext_check_regex} accepts (shared vectors: testkit
 * {@code structured-input-vectors.tsv}), means the same in PostgreSQL's regular expressions (so that output matches
 * with {@code ~}):
 * <ul>
 *   <li>literal characters; {@code .} (any character); escapes {@code \d \w \s} (ASCII digits, ASCII word characters,
 *       white space: subsets of what PostgreSQL's classes match), {@code \n \t \r}, and a backslash before any ASCII
 *       punctuation for that character;</li>
 *   <li>bracket expressions {@code [a-z_]}, {@code [^"]} with ranges, those escapes and {@code \d \w \s} (but not in a
 *       negated one, whose complement would depend on the database locale); a {@code -} first or last is literal;</li>
 *   <li>groups {@code (...)} and {@code (?:...)}, alternation {@code |}, quantifiers {@code * + ? {m} {m,} {m,n}}
 *       (counts up to 255);</li>
 *   <li>{@code ^} as the pattern's first and {@code $} as its last character only: the output always matches as a
 *       whole.</li>
 * </ul>
 * Refused: backreferences, lookaround, other {@code (?} groups, lazy quantifiers, {@code \D \W \S}, any other letter
 * escape ({@code \b}, {@code \y}, {@code \x41}, ...), POSIX classes and nested brackets, {@code ]} first in brackets,
 * and unescaped {@code ]}, <code>{</code> or <code>}</code> standing for themselves.
 */
final class RegexGrammar {

    /** PostgreSQL's largest repetition count. */
    static final int MAX_REPEAT = 255;

    private RegexGrammar() {
    }

    /**
     * Checks and compiles a pattern.
     *
     * @throws IllegalArgumentException naming the argument {@code pattern} and what is wrong where
     */
    static OutputGrammar compile(String pattern) {
        if (pattern.isEmpty()) {
            throw new IllegalArgumentException("pattern must not be empty");
        }
        Node root = new Parser(pattern).parse();
        Pattern wholeMatch = Pattern.compile(root.java());
        return new OutputGrammar("root ::= " + root.gbnf() + "\n", output -> wholeMatch.matcher(output).matches(),
                "a whole match of the pattern; raise max_tokens");
    }

    /** A parsed pattern, written both as GBNF and as a Java regular expression. */
    private sealed interface Node {
        String gbnf();

        String java();
    }

    private record Literal(String text) implements Node {
        @Override
        public String gbnf() {
            return Gbnf.literal(text);
        }

        @Override
        public String java() {
            StringBuilder out = new StringBuilder();
            text.codePoints().forEach(cp -> out.append(javaChar(cp)));
            return out.isEmpty() ? "(?:)" : out.toString();
        }
    }

    /** A set of code point ranges, lows and highs inclusive; {@code .} is the negated empty-free set without NUL. */
    private record CharSet(boolean negated, List<int[]> ranges) implements Node {
        @Override
        public String gbnf() {
            StringBuilder out = new StringBuilder(negated ? "[^" : "[");
            for (int[] r : ranges) {
                out.append(Gbnf.character(r[0]));
                if (r[1] != r[0]) {
                    out.append('-').append(Gbnf.character(r[1]));
                }
            }
            return out.append(']').toString();
        }

        @Override
        public String java() {
            StringBuilder out = new StringBuilder(negated ? "[^" : "[");
            for (int[] r : ranges) {
                out.append(javaChar(r[0]));
                if (r[1] != r[0]) {
                    out.append('-').append(javaChar(r[1]));
                }
            }
            return out.append(']').toString();
        }
    }

    private record Alternation(List<Node> options) implements Node {
        @Override
        public String gbnf() {
            return "(" + String.join(" | ", options.stream().map(Node::gbnf).toList()) + ")";
        }

        @Override
        public String java() {
            return "(?:" + String.join("|", options.stream().map(Node::java).toList()) + ")";
        }
    }

    private record Sequence(List<Node> parts) implements Node {
        @Override
        public String gbnf() {
            return parts.isEmpty() ? "\"\"" : String.join(" ", parts.stream().map(Node::gbnf).toList());
        }

        @Override
        public String java() {
            return parts.isEmpty() ? "(?:)" : String.join("", parts.stream().map(Node::java).toList());
        }
    }

    private record Repeat(Node atom, int min, int max) implements Node {
        @Override
        public String gbnf() {
            return (atom instanceof CharSet ? atom.gbnf() : "(" + atom.gbnf() + ")") + Gbnf.repeat(min, max);
        }

        @Override
        public String java() {
            return "(?:" + atom.java() + ")" + (max < 0 ? "{" + min + ",}" : "{" + min + "," + max + "}");
        }
    }

    private static String javaChar(int cp) {
        return "\\x{" + Integer.toHexString(cp) + "}";
    }

    private static final List<int[]> DIGITS = List.of(new int[] {'0', '9'});
    private static final List<int[]> WORD = List.of(new int[] {'0', '9'}, new int[] {'A', 'Z'}, new int[] {'_', '_'},
            new int[] {'a', 'z'});
    private static final List<int[]> SPACE = List.of(new int[] {'\t', '\r'}, new int[] {' ', ' '});

    // ---- parsing: keep in step with _steadytext_check_regex (060-structured.sql), rule for rule ----

    private static final class Parser {
        private final int[] cps;
        private int pos;

        Parser(String pattern) {
            this.cps = pattern.codePoints().toArray();
        }

        Node parse() {
            Node node = alternation();
            if (pos < cps.length) {
                // Only an unmatched ')' stops the top-level alternation early.
                throw invalid("has an unmatched )");
            }
            return node;
        }

        private Node alternation() {
            List<Node> options = new ArrayList<>();
            options.add(sequence());
            while (peek('|')) {
                pos++;
                options.add(sequence());
            }
            return options.size() == 1 ? options.get(0) : new Alternation(options);
        }

        private Node sequence() {
            List<Node> parts = new ArrayList<>();
            StringBuilder literal = new StringBuilder();
            while (pos < cps.length && !peek('|') && !peek(')')) {
                Node atom = atom();
                if (atom == null) {
                    continue;
                }
                atom = quantified(atom);
                if (atom instanceof Literal l) {
                    literal.append(l.text());
                    continue;
                }
                if (!literal.isEmpty()) {
                    parts.add(new Literal(literal.toString()));
                    literal.setLength(0);
                }
                parts.add(atom);
            }
            if (!literal.isEmpty()) {
                parts.add(new Literal(literal.toString()));
            }
            return parts.size() == 1 ? parts.get(0) : new Sequence(parts);
        }

        /** The next atom, or null for an anchor at either end. */
        private Node atom() {
            int at = pos;
            int c = cps[pos++];
            switch (c) {
                case '(' -> {
                    if (peek('?')) {
                        if (pos + 1 < cps.length && cps[pos + 1] == ':') {
                            pos += 2;
                        } else {
                            throw invalid(pos + 1 < cps.length && (cps[pos + 1] == '=' || cps[pos + 1] == '!'
                                    || cps[pos + 1] == '<') ? "uses lookaround, which is not supported"
                                    : "uses a (? group other than (?:...), which is not supported");
                        }
                    }
                    Node inner = alternation();
                    if (!peek(')')) {
                        throw invalid("has an unmatched (");
                    }
                    pos++;
                    // A group is one atom: its literal must not merge with the literals around it.
                    return inner instanceof Literal l ? new Sequence(List.of(l)) : inner;
                }
                case '[' -> {
                    return bracket();
                }
                case '.' -> {
                    return new CharSet(true, List.of(new int[] {0, 0}));
                }
                case '\\' -> {
                    return escape(false);
                }
                case '^', '$' -> {
                    if ((c == '^' && at == 0) || (c == '$' && at == cps.length - 1)) {
                        return null;
                    }
                    throw invalid("has an anchor " + (char) c + " inside; ^ and $ are supported only as its first and"
                            + " last character");
                }
                case '*', '+', '?', '{' -> throw invalid("has a quantifier " + (char) c + " that follows no atom");
                case ']', '}' -> throw invalid("has an unescaped " + (char) c + "; write \\" + (char) c
                        + " for the character");
                default -> {
                    return new Literal(Character.toString(c));
                }
            }
        }

        private Node quantified(Node atom) {
            if (pos >= cps.length) {
                return atom;
            }
            int min;
            int max;
            switch (cps[pos]) {
                case '*' -> {
                    min = 0;
                    max = -1;
                    pos++;
                }
                case '+' -> {
                    min = 1;
                    max = -1;
                    pos++;
                }
                case '?' -> {
                    min = 0;
                    max = 1;
                    pos++;
                }
                case '{' -> {
                    pos++;
                    min = count();
                    max = min;
                    if (peek(',')) {
                        pos++;
                        max = peek('}') ? -1 : count();
                    }
                    if (!peek('}')) {
                        throw braces();
                    }
                    pos++;
                    if (max >= 0 && min > max) {
                        throw invalid("has a repetition {" + min + "," + max + "} whose minimum exceeds its maximum");
                    }
                }
                default -> {
                    return atom;
                }
            }
            if (peek('?')) {
                throw invalid("has a lazy quantifier, which is not supported");
            }
            if (peek('*') || peek('+') || peek('{')) {
                throw invalid("has a quantifier " + (char) cps[pos] + " that follows no atom");
            }
            return new Repeat(atom, min, max);
        }

        private int count() {
            int start = pos;
            int value = 0;
            while (pos < cps.length && cps[pos] >= '0' && cps[pos] <= '9' && pos - start < 4) {
                value = value * 10 + cps[pos++] - '0';
            }
            if (pos == start) {
                throw braces();
            }
            if (value > MAX_REPEAT) {
                throw invalid("has a repetition count above " + MAX_REPEAT);
            }
            return value;
        }

        private IllegalArgumentException braces() {
            return invalid("has a { that does not start a quantifier {m}, {m,} or {m,n}; write \\{ for the character");
        }

        private Node bracket() {
            boolean negated = peek('^');
            if (negated) {
                pos++;
            }
            if (peek(']')) {
                throw invalid("has ] first in a bracket expression; write \\] for the character");
            }
            List<int[]> ranges = new ArrayList<>();
            while (!peek(']')) {
                if (pos >= cps.length) {
                    throw invalid("has an unterminated bracket expression");
                }
                int low = member(negated, ranges);
                boolean rangeFollows = peek('-') && pos + 1 < cps.length && cps[pos + 1] != ']';
                if (low < 0) {
                    if (rangeFollows) {
                        throw invalid("has a class escape as the start of a range");
                    }
                    continue;
                }
                int high = low;
                if (rangeFollows) {
                    pos++;
                    high = member(negated, ranges);
                    if (high < 0) {
                        throw invalid("has a class escape as the end of a range");
                    }
                    if (high < low) {
                        throw invalid("has a range whose start is after its end");
                    }
                }
                ranges.add(new int[] {low, high});
            }
            pos++;
            return new CharSet(negated, ranges);
        }

        /** One member of a bracket expression: a character, or -1 when it was a class escape added to ranges. */
        private int member(boolean negated, List<int[]> ranges) {
            int c = cps[pos++];
            if (c == '[') {
                throw invalid("has [ inside a bracket expression; POSIX classes such as [:alpha:] and nested"
                        + " brackets are not supported, write \\[ for the character");
            }
            if (c != '\\') {
                return c;
            }
            Node escaped = escape(negated);
            if (escaped instanceof CharSet set) {
                ranges.addAll(set.ranges());
                return -1;
            }
            return ((Literal) escaped).text().codePointAt(0);
        }

        private Node escape(boolean inNegatedBracket) {
            if (pos >= cps.length) {
                throw invalid("ends with a lone \\");
            }
            int e = cps[pos++];
            List<int[]> named = switch (e) {
                case 'd' -> DIGITS;
                case 'w' -> WORD;
                case 's' -> SPACE;
                default -> null;
            };
            if (named != null) {
                if (inNegatedBracket) {
                    throw invalid("has \\" + (char) e + " in a negated bracket expression, which is not supported");
                }
                return new CharSet(false, named);
            }
            return switch (e) {
                case 'n' -> new Literal("\n");
                case 't' -> new Literal("\t");
                case 'r' -> new Literal("\r");
                case 'D', 'W', 'S' -> throw invalid("has \\" + (char) e + ", which is not supported; write a negated"
                        + " bracket expression such as [^0-9]");
                default -> {
                    if (e >= '0' && e <= '9') {
                        throw invalid("has a backreference \\" + (char) e + ", which is not supported");
                    }
                    if (e >= 128 || Character.isLetter(e)) {
                        throw invalid("has the escape \\" + Character.toString(e) + ", which is not supported");
                    }
                    yield new Literal(Character.toString(e));
                }
            };
        }

        private boolean peek(int c) {
            return pos < cps.length && cps[pos] == c;
        }

        private static IllegalArgumentException invalid(String message) {
            return new IllegalArgumentException("pattern " + message);
        }
    }
}
