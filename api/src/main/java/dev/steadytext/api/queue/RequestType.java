package dev.steadytext.api.queue;

import dev.steadytext.api.model.ModelKind;

/** The kinds of queued requests; {@link #sqlName()} is the value of {@code steadytext_queue.request_type}. */
public enum RequestType {
    /** One prompt, one text. */
    GENERATE("generate", ModelKind.GENERATION),
    /** One text, one vector. */
    EMBED("embed", ModelKind.EMBEDDING),
    /** Several texts under one request id, one vector each. */
    EMBED_BATCH("embed_batch", ModelKind.EMBEDDING),
    /** One query and task, several documents, one score each ({@link Job#rerank()}). */
    RERANK("rerank", ModelKind.RERANKING);

    private final String sqlName;
    private final ModelKind modelKind;

    RequestType(String sqlName, ModelKind modelKind) {
        this.sqlName = sqlName;
        this.modelKind = modelKind;
    }

    public String sqlName() {
        return sqlName;
    }

    /** The kind of model that serves this request. */
    public ModelKind modelKind() {
        return modelKind;
    }

    /** The constant whose {@link #sqlName()} is {@code name}. */
    public static RequestType ofSqlName(String name) {
        for (RequestType type : values()) {
            if (type.sqlName.equals(name)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown request type: " + name);
    }
}
