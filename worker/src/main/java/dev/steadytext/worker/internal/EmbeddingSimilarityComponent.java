package dev.steadytext.worker.internal;

import dev.steadytext.api.embed.Embedder;
import dev.steadytext.api.model.ModelDescriptor;
import dev.steadytext.api.rerank.Reranker;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The DS component that serves the embedding-similarity reranker ({@link EmbeddingSimilarityReranker}) over the
 * default {@link Embedder}: the reranker every worker has, without configuration and offline.
 *
 * <p>It is a default reranking model, and SQL prefers any other live default reranker (a configured llama.cpp or ONNX
 * cross-encoder model) over it (090-reranking.sql), so configuring a reranker model needs no change here; it stays
 * available as {@code model => 'embedding-similarity'}. A better embedder appearing (greedy reference) reactivates it.
 */
@Component(service = Reranker.class, configurationPid = EmbeddingSimilarityComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = {JobWorker.DEFAULT_PROPERTY + ":Boolean=true",
                "steadytext.backend=" + EmbeddingSimilarityReranker.BACKEND,
                // Between a configured default reranker (100) and the models that are no default (0), so that asking
                // the service registry for "the" Reranker gets the one SQL calls naming no model get.
                "service.ranking:Integer=50"})
@Designate(ocd = EmbeddingSimilarityComponent.Config.class)
public final class EmbeddingSimilarityComponent implements Reranker {

    static final String PID = "dev.steadytext.rerank.similarity";

    @ObjectClassDefinition(name = "SteadyText embedding-similarity reranker",
            description = "Scores documents by the cosine similarity of their embeddings with the query's.")
    @interface Config {
        @AttributeDefinition(description = "Model name, as rerank requests name it.")
        String name() default "embedding-similarity";

        @AttributeDefinition(description = "Embed the query as 'Instruct: <task>\\nQuery: <query>' (for instruction-tuned"
                + " embedders); false embeds the query alone and ignores the task.")
        boolean queryInstruction() default false;

        @AttributeDefinition(name = "steadytext.model.default",
                description = "Serve rerank requests that name no model when no other reranker model does.")
        boolean steadytext_model_default() default true;

        @AttributeDefinition(name = "Embedder.target", description = "Which embedding model to use (an LDAP filter).")
        String Embedder_target() default "(" + JobWorker.DEFAULT_PROPERTY + "=true)";
    }

    private final EmbeddingSimilarityReranker reranker;

    @Activate
    public EmbeddingSimilarityComponent(
            @Reference(name = "Embedder", target = "(" + JobWorker.DEFAULT_PROPERTY + "=true)",
                    policyOption = ReferencePolicyOption.GREEDY) Embedder embedder,
            Config config) {
        String name = config.name() == null || config.name().isBlank() ? "embedding-similarity" : config.name().trim();
        this.reranker = new EmbeddingSimilarityReranker(embedder, name, config.queryInstruction());
    }

    @Override
    public ModelDescriptor model() {
        return reranker.model();
    }

    @Override
    public double[] score(String query, List<String> documents, String task) {
        return reranker.score(query, documents, task);
    }
}
