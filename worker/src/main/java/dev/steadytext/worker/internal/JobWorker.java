package dev.steadytext.worker.internal;

import dev.steadytext.api.embed.Embedder;
import dev.steadytext.api.generate.Generator;
import dev.steadytext.api.queue.JobQueue;
import dev.steadytext.api.queue.JobStreams;
import dev.steadytext.api.queue.WorkerRegistry;
import dev.steadytext.api.rerank.Reranker;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The worker: claims jobs from the queue, runs them on whichever model backends are present, and completes them.
 *
 * <p>Activation only starts the worker's own threads; everything that touches the database happens there, so SCR
 * is never blocked. The {@link dev.steadytext.api.queue.Worker} service appears once the worker is registered and
 * claiming.
 */
@Component(immediate = true, configurationPid = JobWorker.PID)
@Designate(ocd = JobWorker.Config.class)
public final class JobWorker {

    static final String PID = "dev.steadytext.worker";
    static final String DEFAULT_PROPERTY = "steadytext.model.default";

    @ObjectClassDefinition(name = "SteadyText worker")
    public @interface Config {
        @AttributeDefinition(description = "How long a claim lasts unless extended; a dead worker's jobs return after it")
        long leaseMillis() default 30_000;

        @AttributeDefinition(description = "Longest wait for work when no notification arrives")
        long pollMillis() default 1_000;

        @AttributeDefinition(description = "Most generation jobs claimed at once (fewer while jobs are slow)")
        int generationClaimBatch() default 64;

        @AttributeDefinition(description = "Most embedding jobs claimed and computed together")
        int embeddingClaimBatch() default 64;

        @AttributeDefinition(description = "Most rerank jobs claimed at once (fewer while jobs are slow)")
        int rerankingClaimBatch() default 16;

        @AttributeDefinition(description = "Work one claim should hold: slow jobs are claimed one by one, fast ones in bulk")
        long claimTargetMillis() default 50;

        // Embeddings take milliseconds each and ONNX Runtime computes them best 32 or more at a time: at 50 ms a claim
        // held about 20 of them, and SQL batches reached 0.69 of in-process throughput; at 200 ms, 0.80.
        @AttributeDefinition(description = "Work one claim of embedding jobs should hold (they are computed together)")
        long embeddingClaimTargetMillis() default 200;

        long heartbeatMillis() default 2_000;

        @AttributeDefinition(description = "How long shutdown waits for running jobs before handing them back")
        long shutdownGraceMillis() default 10_000;

        @AttributeDefinition(description = "Longest time a fast result waits to be completed together with others")
        long completionGroupMillis() default 5;
    }

    private final Models models = new Models();
    @Reference
    private JobQueue queue;
    @Reference
    private JobStreams streams;
    @Reference
    private WorkerRegistry registry;
    private WorkerRuntime runtime;

    @Activate
    void activate(BundleContext context, Config config) {
        runtime = new WorkerRuntime(context, queue, streams, registry, models, config);
        runtime.start();
    }

    @Deactivate
    void deactivate() {
        runtime.stop();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addGenerator(Generator generator, Map<String, Object> properties) {
        models.add(generator, isDefault(properties));
    }

    void removeGenerator(Generator generator) {
        models.remove(generator);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addEmbedder(Embedder embedder, Map<String, Object> properties) {
        models.add(embedder, isDefault(properties));
    }

    void removeEmbedder(Embedder embedder) {
        models.remove(embedder);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addReranker(Reranker reranker, Map<String, Object> properties) {
        models.add(reranker, isDefault(properties));
    }

    void removeReranker(Reranker reranker) {
        models.remove(reranker);
    }

    private static boolean isDefault(Map<String, Object> properties) {
        Object value = properties.get(DEFAULT_PROPERTY);
        return value == null || Boolean.parseBoolean(value.toString());
    }
}
