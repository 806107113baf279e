package dev.steadytext.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadytext.api.model.ModelDescriptor;
import dev.steadytext.api.model.ModelKind;
import dev.steadytext.api.queue.Job;
import dev.steadytext.api.queue.JobResult;
import dev.steadytext.api.rerank.RerankQuery;
import dev.steadytext.api.rerank.Reranker;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RerankProcessorTest {

    /** Records what the processor tells the queue. */
    private static final class RecordingQueue extends QuietQueue {
        final List<JobResult> completed = new ArrayList<>();
        final List<String> failed = new ArrayList<>();
        final List<UUID> released = new ArrayList<>();

        @Override
        public void complete(UUID workerId, List<JobResult> results) {
            completed.addAll(results);
        }

        @Override
        public void fail(UUID workerId, Job job, String error, boolean retryable) {
            failed.add(error + (retryable ? " (retry)" : " (permanent)"));
        }

        @Override
        public void release(UUID workerId, Collection<UUID> requestIds) {
            released.addAll(requestIds);
        }
    }

    /** Scores a document by its length; refuses documents named "too long". */
    private static final class LengthReranker implements Reranker {
        @Override
        public ModelDescriptor model() {
            return new ModelDescriptor(ModelKind.RERANKING, "length", "test", "1", "e".repeat(64), "", 0);
        }

        @Override
        public double[] score(String query, List<String> documents, String task) {
            if (documents.contains("too long")) {
                throw new IllegalArgumentException("documents[1] is too long");
            }
            return documents.stream().mapToDouble(d -> d.length() + task.length()).toArray();
        }
    }

    private final RecordingQueue queue = new RecordingQueue();
    private final Models models = new Models();
    private final RerankProcessor processor = new RerankProcessor(models,
            new Outcomes(UUID.randomUUID(), queue, new InFlight(), new AtomicLong(), 0));
    private final LengthReranker reranker = new LengthReranker();

    private Job job(String... documents) {
        List<String> keys = java.util.Arrays.stream(documents).map(d -> "key " + d).toList();
        return Job.rerank(UUID.randomUUID(), reranker.model().fingerprint(), List.of(documents), keys,
                new RerankQuery("q", "tt"), 1);
    }

    @Test
    void process_completesEachJobWithItsRerankersScores() {
        models.add(reranker, true);

        processor.process(List.of(job("a", "bbb"), job("cc")), () -> false);

        assertThat(queue.completed).extracting(JobResult::scores)
                .containsExactly(List.of(3.0, 5.0), List.of(4.0));
    }

    @Test
    void process_aRequestTheModelCannotServe_failsForGood_andTheNextJobStillRuns() {
        models.add(reranker, true);

        processor.process(List.of(job("too long"), job("a")), () -> false);

        assertThat(queue.failed).containsExactly("documents[1] is too long (permanent)");
        assertThat(queue.completed).hasSize(1);
    }

    @Test
    void process_withoutItsModel_orStopping_releasesTheJobs() {
        Job first = job("a");
        processor.process(List.of(first), () -> false);
        models.add(reranker, true);
        Job second = job("b");
        processor.process(List.of(second), () -> true);

        assertThat(queue.released).containsExactly(first.requestId(), second.requestId());
        assertThat(queue.completed).isEmpty();
    }
}
