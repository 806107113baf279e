package dev.steadytext.backend.llamacpp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RegexGrammarTest {

    @Test
    void gbnf_literalsClassesGroupsAndQuantifiers() {
        assertThat(RegexGrammar.compile("^ab[0-9]{3}-(x|y\\.)*$").gbnf())
                .isEqualTo("root ::= \"ab\" [0-9]{3} \"\\x2D\" ((\"x\" | \"y\\x2E\"))*\n");
        assertThat(RegexGrammar.compile("[^\"\\]a-]+").gbnf()).isEqualTo("root ::= [^\\x22\\x5Da\\x2D]+\n");
        assertThat(RegexGrammar.compile("\\d\\w\\s.").gbnf())
                .isEqualTo("root ::= [0-9] [0-9A-Z\\x5Fa-z] [\\x09-\\x0D ] [^\\x00]\n");
        assertThat(RegexGrammar.compile("a|").gbnf()).isEqualTo("root ::= (\"a\" | \"\")\n");
        assertThat(RegexGrammar.compile("(ab){2,}c?").gbnf()).isEqualTo("root ::= (\"ab\"){2,} (\"c\")?\n");
        assertThat(RegexGrammar.compile("é🐉").gbnf()).isEqualTo("root ::= \"\\xE9\\U0001F409\"\n");
    }

    @Test
    void accepts_wholeMatchesOnly() {
        OutputGrammar phone = RegexGrammar.compile("[0-9]{3}-[0-9]{4}");
        assertThat(phone.accepts().test("555-1234")).isTrue();
        assertThat(phone.accepts().test("555-12345")).isFalse();
        assertThat(phone.accepts().test("x555-1234")).isFalse();
        OutputGrammar any = RegexGrammar.compile("a.c");
        assertThat(any.accepts().test("a\nc")).as(". matches a newline, as in PostgreSQL").isTrue();
        OutputGrammar literal = RegexGrammar.compile("[a&&b]\\[x\\]");
        assertThat(literal.accepts().test("&[x]")).as("&& is two literal characters, as in PostgreSQL").isTrue();
    }
}
