package dev.steadytext.api.model;

/** What a model computes; {@link #sqlName()} is the spelling used in the database. */
public enum ModelKind {
    GENERATION("generation"),
    EMBEDDING("embedding"),
    /** Scores documents for a query ({@code dev.steadytext.api.rerank.Reranker}). */
    RERANKING("reranking");

    private final String sqlName;

    ModelKind(String sqlName) {
        this.sqlName = sqlName;
    }

    public String sqlName() {
        return sqlName;
    }
}
