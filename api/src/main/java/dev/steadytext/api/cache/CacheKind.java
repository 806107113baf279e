package dev.steadytext.api.cache;

/** The kinds of cached results; {@link #sqlName()} is the value of {@code steadytext_cache.kind}. */
public enum CacheKind {
    GENERATION("generation"),
    EMBEDDING("embedding"),
    /** One document's relevance score for one query and task. */
    RERANKING("reranking");

    private final String sqlName;

    CacheKind(String sqlName) {
        this.sqlName = sqlName;
    }

    public String sqlName() {
        return sqlName;
    }
}
