package dev.steadytext.api.rerank;

import dev.steadytext.api.model.ModelDescriptor;
import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A reranking backend serving one model: it scores how relevant each document is to a query.
 *
 * <p>A document's score depends only on the query, the task, the document and the model, never on the other
 * documents of the call or their order: the platform caches one score per (query, document, task, model) and
 * combines cached and fresh scores in one answer. Higher is more relevant; scores are comparable within one model
 * only (cosine similarity in [-1, 1] for the embedding-similarity backend, a probability in (0, 1) for
 * cross-encoders). Callers may invoke {@link #score} from any thread; implementations serialise internally where
 * their model needs it.
 */
@ConsumerType
public interface Reranker {

    /** The model this backend serves, of kind {@code RERANKING}; its fingerprint keys every cached score. */
    ModelDescriptor model();

    /**
     * Scores documents for a query, one finite score per document in the same order.
     *
     * @param query what the documents are ranked for; not empty
     * @param documents the documents, none null; may repeat (a repeated document gets the same score)
     * @param task the instruction the query is read with (pg_steadytext's {@code task}); a backend that has no use
     *     for it ignores it, and says so in its documentation
     * @throws IllegalArgumentException if the request cannot be served by this model (for example a pair longer than
     *     its context); the message names the argument
     */
    double[] score(String query, List<String> documents, String task);
}
