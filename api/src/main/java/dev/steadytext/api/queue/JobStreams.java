package dev.steadytext.api.queue;

import java.util.UUID;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The live output of streaming jobs ({@link Job#stream()}): the text a worker has generated so far, which the job's
 * callers read while the job still runs.
 *
 * <p>What is published is always a prefix of the job's final result, so a caller that missed pieces, or outlived a
 * retry, continues from the result itself. Publishing also tells the worker whether the output is still wanted: a
 * streaming job whose callers have all gone (cancelled, disconnected) is not worth finishing.
 */
@ProviderType
public interface JobStreams {

    /**
     * Begins a streaming job's output (discarding what an earlier attempt published).
     *
     * @return whether the job is still wanted: this worker holds it and a caller is reading
     */
    boolean begin(UUID workerId, Job job);

    /**
     * Publishes the next piece of a streaming job's output.
     *
     * @param position where {@code text} starts in the job's final result, in Unicode code points
     * @return whether the job is still wanted; false once it was cancelled, taken over by another worker, or every
     *     caller reading it has gone: the worker should stop and {@link #abandon} it
     */
    boolean publish(UUID workerId, Job job, int position, String text);

    /**
     * Ends a streaming job nobody wants any more: it ends {@code cancelled} with {@code reason} (unless it already
     * ended), and its output is discarded.
     */
    void abandon(UUID workerId, Job job, String reason);

    /** Discards a job's published output, once its result is recorded (or it failed). */
    void end(UUID requestId);
}
