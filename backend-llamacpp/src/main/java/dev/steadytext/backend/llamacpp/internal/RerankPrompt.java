package dev.steadytext.backend.llamacpp.internal;

import java.util.Locale;

/**
 * How a reranker model wants its query and document: llama.cpp's rerank call puts the two halves into one sequence
 * (with the model's own separator tokens between them), and the model's classification head scores it.
 */
enum RerankPrompt {

    /**
     * A cross-encoder pair (bge-reranker, jina-reranker, ms-marco models): the query and the document as they are.
     * These models take no instruction, so the task is ignored.
     */
    PAIR {
        @Override
        String query(String query, String task) {
            return query;
        }

        @Override
        String document(String document) {
            return document;
        }
    },

    /**
     * Qwen3-Reranker's template, from its model card: a system prompt asking for "yes" or "no", then
     * {@code <Instruct>: task}, {@code <Query>: query} and {@code <Document>: document} in the user turn, then an empty
     * thinking block. The score is the probability of "yes".
     */
    QWEN3 {
        @Override
        String query(String query, String task) {
            return "<|im_start|>system\nJudge whether the Document meets the requirements based on the Query and the"
                    + " Instruct provided. Note that the answer can only be \"yes\" or \"no\".<|im_end|>\n"
                    + "<|im_start|>user\n<Instruct>: " + task + "\n<Query>: " + query + "\n";
        }

        @Override
        String document(String document) {
            return "<Document>: " + document + "<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n";
        }
    };

    /** The first half of the sequence: the query, with the task where the model reads one. */
    abstract String query(String query, String task);

    /** The second half: the document. */
    abstract String document(String document);

    /**
     * The prompt a configuration names ({@code pair}, {@code qwen3}), or for {@code auto} (and empty) the one the
     * model's architecture calls for.
     */
    static RerankPrompt of(String configured, String architecture) {
        String name = configured == null ? "" : configured.trim().toLowerCase(Locale.ROOT);
        return switch (name) {
            case "", "auto" -> architecture.startsWith("qwen3") ? QWEN3 : PAIR;
            case "pair" -> PAIR;
            case "qwen3" -> QWEN3;
            default -> throw new IllegalArgumentException("promptTemplate must be auto, pair or qwen3, not \""
                    + configured + "\"");
        };
    }
}
