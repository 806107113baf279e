package dev.steadytext.api.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steadytext.api.generate.OutputConstraint;
import dev.steadytext.api.rerank.RerankQuery;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RerankJobTest {

    private static final String MODEL = "f".repeat(64);

    private final Job job = Job.rerank(UUID.randomUUID(), MODEL, List.of("a cat", "a dog"), List.of("k1", "k2"),
            new RerankQuery("pets", "find pets"), 1);

    @Test
    void reranked_keepsOneScorePerDocumentInOrder() {
        JobResult result = JobResult.reranked(job, new double[] {0.25, -0.5}, 3);

        assertThat(result.scores()).containsExactly(0.25, -0.5);
        assertThat(result.texts()).isEmpty();
        assertThat(result.embeddings()).isEmpty();
    }

    @Test
    void reranked_negativeZero_becomesZero() {
        JobResult result = JobResult.reranked(job, new double[] {-0.0, 0.5}, 3);

        assertThat(Double.doubleToRawLongBits(result.scores().get(0))).isZero();
    }

    @Test
    void reranked_withAScoreMissing_isRejected() {
        assertThatThrownBy(() -> JobResult.reranked(job, new double[] {0.25}, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 inputs but 1 outputs");
    }

    @Test
    void reranked_withANonFiniteScore_isRejected() {
        assertThatThrownBy(() -> JobResult.reranked(job, new double[] {0.25, Double.NaN}, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not finite");
    }

    @Test
    void job_ofTypeRerankWithoutAQuery_isRejected() {
        assertThatThrownBy(() -> new Job(UUID.randomUUID(), RequestType.RERANK, MODEL, true, List.of("d"),
                List.of("k"), 0, 0, "[EOS]", 1, OutputConstraint.NONE, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rerank job");
    }

    @Test
    void rerankQuery_emptyQuery_isRejectedButAnEmptyTaskIsAllowed() {
        assertThatThrownBy(() -> new RerankQuery("", "t")).hasMessageContaining("query");
        assertThat(new RerankQuery("q", "").task()).isEmpty();
    }
}
