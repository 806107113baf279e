package dev.steadytext.backend.llamacpp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonSchemaGrammarTest {

    @Test
    void gbnf_objectHasEveryPropertyInJsonbOrderAndNoWhitespace() {
        OutputGrammar grammar = JsonSchemaGrammar.compile("""
                {"type": "object", "properties": {"name": {"type": "string", "maxLength": 8},
                 "age": {"type": "integer"}, "ok": {"type": "boolean"}}, "required": ["name"]}""");
        assertThat(grammar.gbnf()).isEqualTo("""
                root ::= "\\x7B\\x22ok\\x22\\x3A" n1 "\\x2C\\x22age\\x22\\x3A" n2 "\\x2C\\x22name\\x22\\x3A" n3 "\\x7D"
                n1 ::= ("true" | "false")
                n2 ::= int
                n3 ::= "\\"" char{0,8} "\\""
                char ::= [^"\\\\\\x00-\\x1F\\x7F] | "\\\\" ["\\\\/bfnrt]
                int ::= "-"? ("0" | [1-9] [0-9]{0,14})
                """);
    }

    @Test
    void gbnf_boundsStringsAndArraysWithoutLimits() {
        String gbnf = JsonSchemaGrammar.compile("{\"type\": \"array\", \"items\": {\"type\": \"string\"}}").gbnf();
        assertThat(gbnf).contains("(\"\\x2C\" n1){0,15}").contains("char{0,128}");
        assertThat(JsonSchemaGrammar.compile("{\"type\": \"array\", \"items\": {\"type\": \"null\"}, \"minItems\": 2,"
                + " \"maxItems\": 2}").gbnf()).startsWith("root ::= \"\\x5B\" n1 (\"\\x2C\" n1) \"\\x5D\"\n");
    }

    @Test
    void gbnf_enumAndTypeArrays() {
        assertThat(JsonSchemaGrammar.compile("{\"enum\": [\"a\", 1, null, {\"k\": [true]}]}").gbnf())
                .isEqualTo("root ::= (\"\\x22a\\x22\" | \"1\" | \"null\" | \"\\x7B\\x22k\\x22\\x3A\\x5Btrue\\x5D\\x7D\")\n");
        assertThat(JsonSchemaGrammar.compile("{\"type\": [\"number\", \"null\"]}").gbnf())
                .startsWith("root ::= (num | \"null\")\n");
    }

    @Test
    void accepts_validDocumentsOnly() {
        OutputGrammar grammar = JsonSchemaGrammar.compile("""
                {"type": "object", "properties": {"tags": {"type": "array", "items": {"type": "string", "maxLength": 3},
                 "maxItems": 2}, "n": {"type": "integer"}, "kind": {"enum": ["a", "b"]}}, "required": ["n"],
                 "additionalProperties": false}""");
        assertThat(grammar.accepts().test("{\"n\":1,\"kind\":\"a\",\"tags\":[\"x\",\"yz\"]}")).isTrue();
        assertThat(grammar.accepts().test("{\"n\":1.0}")).isTrue();
        assertThat(grammar.accepts().test("{\"kind\":\"a\"}")).as("required n missing").isFalse();
        assertThat(grammar.accepts().test("{\"n\":1.5}")).as("not an integer").isFalse();
        assertThat(grammar.accepts().test("{\"n\":1,\"kind\":\"c\"}")).as("not in enum").isFalse();
        assertThat(grammar.accepts().test("{\"n\":1,\"tags\":[\"a\",\"b\",\"c\"]}")).as("too many items").isFalse();
        assertThat(grammar.accepts().test("{\"n\":1,\"tags\":[\"long\"]}")).as("string too long").isFalse();
        assertThat(grammar.accepts().test("{\"n\":1,\"extra\":0}")).as("additional property").isFalse();
        assertThat(grammar.accepts().test("{\"n\":1,\"kind\":\"a\"")).as("unfinished").isFalse();
    }
}
