package dev.steadytext.api.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RerankingKeyTest {

    private static final String MODEL = "a".repeat(64);

    @Test
    void forReranking_isTheCanonicalKeyWithQueryAndTaskAsParameters() {
        assertThat(CacheKey.forReranking(MODEL, "task", "query", "document"))
                .isEqualTo(CacheKey.compute(CacheKind.RERANKING, MODEL, Map.of("query", "query", "task", "task"),
                        "document"));
    }

    @Test
    void forReranking_swappingQueryAndDocument_changesTheKey() {
        assertThat(CacheKey.forReranking(MODEL, "t", "a", "b")).isNotEqualTo(CacheKey.forReranking(MODEL, "t", "b", "a"));
        assertThat(CacheKey.forReranking(MODEL, "t", "a", "b")).isNotEqualTo(CacheKey.forReranking(MODEL, "", "a", "b"));
    }
}
