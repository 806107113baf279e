package dev.steadytext.worker.internal;

import dev.steadytext.api.embed.Embedder;
import dev.steadytext.api.queue.Job;
import dev.steadytext.api.queue.JobResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * Runs a claimed batch of embedding jobs as few model calls as possible: the distinct texts of all jobs for one model
 * are embedded together, in chunks of the model's batch size. Vectors do not depend on their batch companions, so
 * this changes no output bit.
 */
final class EmbeddingProcessor implements Processor {

    private final Models models;
    private final Outcomes outcomes;

    EmbeddingProcessor(Models models, Outcomes outcomes) {
        this.models = models;
        this.outcomes = outcomes;
    }

    @Override
    public void process(List<Job> jobs, BooleanSupplier stopping) {
        Map<String, List<Job>> byModel = jobs.stream()
                .collect(Collectors.groupingBy(Job::modelFingerprint, LinkedHashMap::new, Collectors.toList()));
        for (Map.Entry<String, List<Job>> group : byModel.entrySet()) {
            Embedder embedder = models.embedder(group.getKey());
            if (stopping.getAsBoolean() || embedder == null) {
                outcomes.released(group.getValue());
                continue;
            }
            embedGroup(embedder, group.getValue());
        }
        outcomes.flush();
    }

    private void embedGroup(Embedder embedder, List<Job> jobs) {
        long start = System.nanoTime();
        Map<String, float[]> vectors;
        try {
            vectors = embedDistinct(embedder, jobs);
        } catch (IllegalArgumentException e) {
            jobs.forEach(job -> outcomes.failed(job, e, false));
            return;
        } catch (RuntimeException e) {
            jobs.forEach(job -> outcomes.failed(job, e, true));
            return;
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        for (Job job : jobs) {
            List<float[]> jobVectors = job.inputs().stream().map(vectors::get).toList();
            outcomes.completed(JobResult.embedded(job, jobVectors, millis));
        }
    }

    private static Map<String, float[]> embedDistinct(Embedder embedder, List<Job> jobs) {
        List<String> texts = new ArrayList<>(jobs.stream()
                .flatMap(job -> job.inputs().stream())
                .collect(Collectors.toCollection(LinkedHashSet::new)));
        return Embeddings.of(embedder, texts);
    }
}
