package dev.steadytext.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadytext.api.generate.OutputConstraint;
import dev.steadytext.api.queue.Job;
import dev.steadytext.api.queue.JobResult;
import dev.steadytext.api.queue.RequestType;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Outcomes completed in the background: the lane goes on while a group is written, and nothing is left behind. */
class OutcomesTest {

    /** A queue whose completions wait until the test lets them go. */
    private static final class HeldQueue extends QuietQueue {
        final List<UUID> completed = new CopyOnWriteArrayList<>();
        final CountDownLatch completing = new CountDownLatch(1);
        final CountDownLatch letGo = new CountDownLatch(1);

        @Override
        public void complete(UUID workerId, List<JobResult> results) {
            completing.countDown();
            try {
                letGo.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            results.forEach(result -> completed.add(result.job().requestId()));
        }
    }

    private static Job embedJob() {
        return new Job(UUID.randomUUID(), RequestType.EMBED, "f".repeat(64), true, List.of("text"),
                List.of("k".repeat(64)), 0, 0, "[EOS]", 1, OutputConstraint.NONE, false);
    }

    @Test
    void inBackground_flushReturnsWhileTheGroupIsWritten_andCloseWaitsForIt() throws Exception {
        HeldQueue queue = new HeldQueue();
        InFlight inFlight = new InFlight();
        AtomicLong jobsDone = new AtomicLong();
        Outcomes outcomes = Outcomes.inBackground(UUID.randomUUID(), queue, inFlight, jobsDone, 0, "test-completion");
        Job job = embedJob();
        inFlight.add(job.requestId());

        outcomes.completed(JobResult.embedded(job, List.of(new float[] {1f}), 1));
        assertThat(queue.completing.await(10, TimeUnit.SECONDS)).as("the group is being written").isTrue();

        assertThat(queue.completed).as("flush returned before the write ended").isEmpty();
        assertThat(inFlight.snapshot()).as("held until its completion is recorded").containsExactly(job.requestId());

        queue.letGo.countDown();
        outcomes.close();

        assertThat(queue.completed).containsExactly(job.requestId());
        assertThat(inFlight.snapshot()).isEmpty();
        assertThat(jobsDone.get()).isOne();
    }

    @Test
    void onTheCallingThread_flushReturnsOnceTheGroupIsWritten() {
        HeldQueue queue = new HeldQueue();
        queue.letGo.countDown();
        InFlight inFlight = new InFlight();
        Outcomes outcomes = new Outcomes(UUID.randomUUID(), queue, inFlight, new AtomicLong(), 0);
        Job job = embedJob();
        inFlight.add(job.requestId());

        outcomes.completed(JobResult.embedded(job, List.of(new float[] {1f}), 1));

        assertThat(queue.completed).containsExactly(job.requestId());
        assertThat(inFlight.snapshot()).isEmpty();
    }
}
