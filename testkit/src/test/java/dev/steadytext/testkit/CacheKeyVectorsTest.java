package dev.steadytext.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadytext.api.cache.CacheKey;
import dev.steadytext.api.cache.CacheKind;
import dev.steadytext.testkit.CacheKeyVectors.Vector;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The Java {@link CacheKey} reproduces every shared vector; the schema module's CacheKeyVectorsIT does so in SQL. */
class CacheKeyVectorsTest {

    private final List<Vector> vectors = CacheKeyVectors.load();

    @Test
    void javaCacheKey_matchesEveryVector() {
        assertThat(vectors).hasSizeGreaterThanOrEqualTo(20);
        for (Vector v : vectors) {
            String actual = v.kind().equals("reranking")
                    ? CacheKey.forReranking(v.model(), v.extraParams().get("task"), v.extraParams().get("query"), v.input())
                    : !v.extraParams().isEmpty() ? keyWithExtraParams(v)
                    : v.kind().equals("generation")
                    ? CacheKey.forGeneration(v.model(), v.maxTokens(), v.seed(), v.eosString(), v.input())
                    : CacheKey.forEmbedding(v.model(), v.input());
            assertThat(actual).as(v.name()).isEqualTo(v.key());
        }
    }

    private static String keyWithExtraParams(Vector v) {
        Map<String, String> params = new HashMap<>(v.extraParams());
        params.put("eos_string", v.eosString());
        params.put("max_tokens", v.maxTokens().toString());
        params.put("seed", v.seed().toString());
        return CacheKey.compute(CacheKind.GENERATION, v.model(), params, v.input());
    }

    @Test
    void vectors_coverReranking() {
        assertThat(vectors).filteredOn(v -> v.kind().equals("reranking")).hasSizeGreaterThanOrEqualTo(5)
                .allSatisfy(v -> assertThat(v.extraParams()).containsOnlyKeys("query", "task"));
    }

    @Test
    void vectors_haveDistinctKeysAndNames() {
        Set<String> keys = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (Vector v : vectors) {
            assertThat(keys.add(v.key())).as("duplicate key in " + v.name()).isTrue();
            assertThat(names.add(v.name())).as("duplicate name " + v.name()).isTrue();
        }
    }

    @Test
    void escape_roundTripsAwkwardText() {
        String text = "a\tb\nc\r\\N\\t é 🎉";
        assertThat(CacheKeyVectors.unescape(CacheKeyVectors.escape(text))).isEqualTo(text);
        assertThat(CacheKeyVectors.unescape(CacheKeyVectors.escape(null))).isNull();
    }
}
