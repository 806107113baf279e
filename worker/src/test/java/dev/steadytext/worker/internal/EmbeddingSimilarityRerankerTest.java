package dev.steadytext.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.steadytext.api.embed.Embedder;
import dev.steadytext.api.model.ModelDescriptor;
import dev.steadytext.api.model.ModelKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddingSimilarityRerankerTest {

    /** Vectors of letter counts (a, b, c), unnormalised; records every batch it is given. */
    private static final class LetterEmbedder implements Embedder {
        final List<List<String>> batches = new ArrayList<>();
        final String sha;

        LetterEmbedder(String sha) {
            this.sha = sha;
        }

        @Override
        public ModelDescriptor model() {
            return new ModelDescriptor(ModelKind.EMBEDDING, "letters", "test", "1", sha, "", 3);
        }

        @Override
        public int maxBatchSize() {
            return 2;
        }

        @Override
        public List<float[]> embed(List<String> texts) {
            assertThat(texts.size()).isLessThanOrEqualTo(maxBatchSize());
            batches.add(List.copyOf(texts));
            return texts.stream().map(t -> new float[] {count(t, 'a'), count(t, 'b'), count(t, 'c')}).toList();
        }

        private static float count(String text, char c) {
            return (float) text.chars().filter(x -> x == c).count();
        }
    }

    private final LetterEmbedder embedder = new LetterEmbedder("1".repeat(64));

    @Test
    void score_isTheCosineOfQueryAndDocument_inDocumentOrder() {
        EmbeddingSimilarityReranker reranker = new EmbeddingSimilarityReranker(embedder, "sim", false);

        double[] scores = reranker.score("ab", List.of("ab", "ba", "c", "aab", "zzz"), "any task");

        assertThat(scores[0]).isCloseTo(1.0, within(1e-15));
        assertThat(scores[1]).isEqualTo(scores[0]);
        assertThat(scores[2]).isZero();
        assertThat(scores[3]).isCloseTo(3 / Math.sqrt(2 * 5), within(1e-15));
        assertThat(scores[4]).as("a document without letters").isZero();
    }

    @Test
    void score_embedsEachDistinctTextOnce_inBatchesOfTheEmbeddersSize() {
        EmbeddingSimilarityReranker reranker = new EmbeddingSimilarityReranker(embedder, "sim", false);

        reranker.score("ab", List.of("c", "ab", "c", "bb"), "t");

        assertThat(embedder.batches).containsExactly(List.of("ab", "c"), List.of("bb"));
    }

    @Test
    void score_ofADocument_doesNotDependOnTheOtherDocuments() {
        EmbeddingSimilarityReranker reranker = new EmbeddingSimilarityReranker(embedder, "sim", false);

        double alone = reranker.score("abc", List.of("aabbc"), "t")[0];
        double inCompany = reranker.score("abc", List.of("c", "a", "aabbc", "bbb"), "t")[2];

        assertThat(Double.doubleToRawLongBits(inCompany)).isEqualTo(Double.doubleToRawLongBits(alone));
    }

    @Test
    void queryInstruction_embedsTheTaskWithTheQuery_andChangesTheFingerprint() {
        EmbeddingSimilarityReranker plain = new EmbeddingSimilarityReranker(embedder, "sim", false);
        EmbeddingSimilarityReranker instructed = new EmbeddingSimilarityReranker(embedder, "sim", true);

        instructed.score("ab", List.of("c"), "find c");

        assertThat(embedder.batches.get(0).get(0)).isEqualTo("Instruct: find c\nQuery: ab");
        assertThat(plain.queryText("ab", "find c")).isEqualTo("ab");
        assertThat(instructed.model().fingerprint()).isNotEqualTo(plain.model().fingerprint());
    }

    @Test
    void model_isAReranker_keyedToTheEmbeddersModel() {
        ModelDescriptor model = new EmbeddingSimilarityReranker(embedder, "sim", false).model();
        ModelDescriptor other = new EmbeddingSimilarityReranker(new LetterEmbedder("2".repeat(64)), "sim", false).model();

        assertThat(model.kind()).isEqualTo(ModelKind.RERANKING);
        assertThat(model.backend()).isEqualTo("embedding-similarity");
        assertThat(model.settings()).contains(embedder.model().fingerprint());
        assertThat(model.fingerprint()).isNotEqualTo(other.fingerprint());
    }

    @Test
    void score_emptyQueryOrNullDocument_isRejected() {
        EmbeddingSimilarityReranker reranker = new EmbeddingSimilarityReranker(embedder, "sim", false);

        assertThatThrownBy(() -> reranker.score("", List.of("a"), "t")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("query");
        assertThatThrownBy(() -> reranker.score("a", java.util.Arrays.asList("a", null), "t"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("documents[2]");
    }
}
