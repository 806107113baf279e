package dev.steadytext.backend.llamacpp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RerankPromptTest {

    @Test
    void auto_choosesQwen3ForQwen3Models_andThePairOtherwise() {
        assertThat(RerankPrompt.of("auto", "qwen3")).isEqualTo(RerankPrompt.QWEN3);
        assertThat(RerankPrompt.of("", "bert")).isEqualTo(RerankPrompt.PAIR);
        assertThat(RerankPrompt.of(null, "llama")).isEqualTo(RerankPrompt.PAIR);
        assertThat(RerankPrompt.of(" QWEN3 ", "bert")).as("configured wins").isEqualTo(RerankPrompt.QWEN3);
    }

    @Test
    void pair_isTheQueryAndTheDocumentAsTheyAre_withoutTheTask() {
        assertThat(RerankPrompt.PAIR.query("what is sql", "some task")).isEqualTo("what is sql");
        assertThat(RerankPrompt.PAIR.document("SQL is a language.")).isEqualTo("SQL is a language.");
    }

    @Test
    void qwen3_isTheModelCardsTemplate_splitBeforeTheDocument() {
        String whole = RerankPrompt.QWEN3.query("what is sql", "Find definitions")
                + RerankPrompt.QWEN3.document("SQL is a language.");

        assertThat(whole).isEqualTo("<|im_start|>system\nJudge whether the Document meets the requirements based on"
                + " the Query and the Instruct provided. Note that the answer can only be \"yes\" or \"no\".<|im_end|>\n"
                + "<|im_start|>user\n<Instruct>: Find definitions\n<Query>: what is sql\n<Document>: SQL is a"
                + " language.<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n");
    }

    @Test
    void of_unknownTemplate_namesTheSetting() {
        assertThatThrownBy(() -> RerankPrompt.of("chatml", "bert")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("promptTemplate");
    }
}
