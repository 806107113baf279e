package dev.steadytext.backend.llamacpp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steadytext.api.model.ModelDescriptor;
import dev.steadytext.api.model.ModelKind;
import dev.steadytext.backend.support.Sha256;
import dev.steadytext.testkit.TinyGgufReranker;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The llama.cpp reranker with the real native library scoring a real GGUF cross-encoder: {@link TinyGgufReranker},
 * written by hand since no reranker can be downloaded here. Its scores mean nothing; what is checked is what the
 * backend promises about them (one probability per document, a document's score its own, bit-identical across calls
 * and loads) and what it must refuse before llama.cpp aborts the JVM.
 */
class LlamaCppRerankerScoresIT {

    private static final String QUERY = TinyGgufReranker.QUERY;
    private static final List<String> DOCUMENTS = TinyGgufReranker.DOCUMENTS;
    /** The query's tokens, and the special tokens llama.cpp's rerank sequence adds around and between the halves. */
    private static final int QUERY_TOKENS = 5;
    private static final int SPECIAL_TOKENS = 8;

    @TempDir
    static Path models;
    private static Path model;
    private static LlamaNativeLibrary library;
    private static LlamaCppReranker reranker;

    @BeforeAll
    static void load() throws IOException {
        model = TinyGgufReranker.write(models.resolve("tiny-gguf-reranker.gguf"));
        library = LlamaNativeLibrary.prepare(Stories260K.nativeDir());
        reranker = LlamaCppReranker.load(settings(TinyGgufReranker.CONTEXT_LENGTH), "auto", library);
    }

    @AfterAll
    static void close() {
        if (reranker != null) {
            reranker.close();
        }
    }

    private static LlamaSettings settings(int contextAndBatch) {
        return LlamaSettings.of(model, contextAndBatch, contextAndBatch, 2);
    }

    /** A document of {@code words} one-token words. */
    private static String words(int words) {
        return String.join(" ", Collections.nCopies(words, "x"));
    }

    @Test
    void check_acceptsTheTinyBertReranker_withThePairPrompt() throws IOException {
        GgufMetadata gguf = GgufMetadata.read(model);

        assertThat(gguf.architecture()).isEqualTo("bert");
        assertThat(gguf.integer("bert.pooling_type")).isEqualTo(LlamaCppReranker.POOLING_RANK);
        assertThat(LlamaCppReranker.check(model, "auto")).isEqualTo(RerankPrompt.PAIR);
    }

    @Test
    void score_givesOneProbabilityPerDocument_differentForDifferentDocuments_theKnownOnes() {
        double[] scores = reranker.score(QUERY, DOCUMENTS, "ignored by the pair prompt");
        System.out.println("tiny GGUF reranker scores: " + Arrays.toString(scores));

        assertThat(scores).containsExactly(TinyGgufReranker.expectedScores(), offset(TinyGgufReranker.SCORE_TOLERANCE));
        for (double score : scores) {
            assertThat(score).isStrictlyBetween(0.0, 1.0);
        }
        assertThat(Arrays.stream(scores).distinct().count()).isEqualTo(DOCUMENTS.size());
        assertThat(reranker.score("what is the capital of france?", DOCUMENTS, "")).as("the query counts too")
                .isNotEqualTo(scores);
    }

    @Test
    void score_isBitIdentical_acrossCallsAndLoads() throws IOException {
        double[] first = reranker.score(QUERY, DOCUMENTS, "");

        assertThat(reranker.score(QUERY, DOCUMENTS, "")).isEqualTo(first);
        try (LlamaCppReranker other = LlamaCppReranker.load(settings(TinyGgufReranker.CONTEXT_LENGTH), "auto",
                library)) {
            assertThat(other.score(QUERY, DOCUMENTS, "")).isEqualTo(first);
            assertThat(other.model().fingerprint()).isEqualTo(reranker.model().fingerprint());
        }
    }

    @Test
    void score_ofADocument_dependsNeitherOnTheOthersNorOnTheirOrder() {
        double[] together = reranker.score(QUERY, DOCUMENTS, "");
        double[] reversed = reranker.score(QUERY, DOCUMENTS.reversed(), "");

        for (int i = 0; i < DOCUMENTS.size(); i++) {
            assertThat(reranker.score(QUERY, List.of(DOCUMENTS.get(i)), "")).containsExactly(together[i]);
            assertThat(reversed[DOCUMENTS.size() - 1 - i]).isEqualTo(together[i]);
        }
    }

    @Test
    void score_repeatedDocument_scoresTheSameAtBothPositions() {
        double[] scores = reranker.score(QUERY, List.of(DOCUMENTS.get(0), DOCUMENTS.get(1), DOCUMENTS.get(0)), "");

        assertThat(scores).hasSize(3);
        assertThat(scores[2]).isEqualTo(scores[0]).isNotEqualTo(scores[1]);
    }

    @Test
    void score_aPairOfExactlyTheLimit_isScored_andOneTokenMore_isRefusedNamingTheDocument() {
        int limit = TinyGgufReranker.CONTEXT_LENGTH;
        String longest = words(limit - QUERY_TOKENS - SPECIAL_TOKENS);

        assertThat(reranker.score(QUERY, List.of(longest), "")[0]).isStrictlyBetween(0.0, 1.0);
        assertThatThrownBy(() -> reranker.score(QUERY, List.of(DOCUMENTS.get(0), longest + " x"), ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("documents[2] with the query is " + (limit + 1) + " tokens, more than the "
                        + limit + " model tiny-gguf-reranker takes at once");
    }

    @Test
    void score_pastTheTrainedContext_isRefused_evenWhenContextAndBatchAreLarger() throws IOException {
        // llama.cpp would look up a position embedding the model does not have and abort the JVM (get_rows assert).
        int trained = TinyGgufReranker.CONTEXT_LENGTH;
        try (LlamaCppReranker wide = LlamaCppReranker.load(settings(2 * trained), "auto", library)) {
            assertThatThrownBy(() -> wide.score(QUERY, List.of(words(trained)), ""))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("documents[1]")
                    .hasMessageContaining("more than the " + trained + " model");
        }
    }

    @Test
    void model_describesTheFile_itsHashAndThePrompt() throws IOException {
        ModelDescriptor descriptor = reranker.model();

        assertThat(descriptor.kind()).isEqualTo(ModelKind.RERANKING);
        assertThat(descriptor.name()).isEqualTo("tiny-gguf-reranker");
        assertThat(descriptor.modelSha256()).isEqualTo(Sha256.of(model));
        assertThat(descriptor.settings()).isEqualTo(LlamaCppReranker.canonical(
                settings(TinyGgufReranker.CONTEXT_LENGTH), RerankPrompt.PAIR));
    }

    @Test
    void score_afterClose_failsClearly() throws IOException {
        LlamaCppReranker closed = LlamaCppReranker.load(settings(TinyGgufReranker.CONTEXT_LENGTH), "auto", library);
        closed.close();
        closed.close();

        assertThatThrownBy(() -> closed.score(QUERY, DOCUMENTS, "")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("model tiny-gguf-reranker is closed");
    }

    @Test
    void load_aVocabularyWithoutEos_failsWithAnIOException() throws IOException {
        // WordPiece has no EOS unless the file names one, and this llama.cpp refuses to rerank without one.
        Path withoutEos = TinyGgufReranker.write(models.resolve("without-eos.gguf"),
                TinyGgufReranker.Variant.WITHOUT_EOS);

        assertThatThrownBy(() -> LlamaCppReranker.load(LlamaSettings.of(withoutEos, 128, 128, 2), "auto", library))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("llama.cpp cannot load reranker")
                .hasMessageContaining("BOS or EOS token");
    }
}
