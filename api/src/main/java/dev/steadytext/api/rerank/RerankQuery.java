package dev.steadytext.api.rerank;

import java.util.Objects;

/**
 * What a rerank job's documents are scored against: the query and the task (instruction) it is read with.
 *
 * @param query the query; not empty
 * @param task the instruction; may be empty
 */
public record RerankQuery(String query, String task) {

    public RerankQuery {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(task, "task");
        if (query.isEmpty()) {
            throw new IllegalArgumentException("query must not be empty");
        }
    }
}
