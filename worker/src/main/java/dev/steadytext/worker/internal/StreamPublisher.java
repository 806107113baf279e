package dev.steadytext.worker.internal;

import dev.steadytext.api.generate.TextSink;
import java.util.function.UnaryOperator;

/**
 * Receives a streaming job's tokens and publishes, now and then, what of them is certain to be part of the result.
 *
 * <p>The job's result is the raw text made presentable (trimmed, for plain text): {@code visible} applied to the
 * text so far is always a prefix of it, since trimming never takes back what more text confirms. So what is
 * published concatenates to a prefix of the result, whatever happens later: leading whitespace is never published,
 * and trailing whitespace only once text follows it. The first visible text is published at once (time to first
 * row), then at most every {@link #INTERVAL_NANOS} (a write per token would slow a fast model down).
 */
final class StreamPublisher implements TextSink {

    /** The longest a published piece waits for company. */
    static final long INTERVAL_NANOS = 50_000_000;

    /** Where published pieces go. */
    @FunctionalInterface
    interface Publication {
        /**
         * Publishes {@code text} at {@code position} (in code points) of the result.
         *
         * @return whether the output is still wanted
         */
        boolean publish(int position, String text);
    }

    private final UnaryOperator<String> visible;
    private final Publication publication;
    private final long intervalNanos;
    private final StringBuilder raw = new StringBuilder();
    private int publishedChars;
    private int publishedCodePoints;
    private long lastPublished;

    StreamPublisher(UnaryOperator<String> visible, Publication publication) {
        this(visible, publication, INTERVAL_NANOS);
    }

    StreamPublisher(UnaryOperator<String> visible, Publication publication, long intervalNanos) {
        this.visible = visible;
        this.publication = publication;
        this.intervalNanos = intervalNanos;
    }

    @Override
    public boolean accept(String piece) {
        raw.append(piece);
        long now = System.nanoTime();
        if (publishedChars > 0 && now - lastPublished < intervalNanos) {
            return true;
        }
        String shown = visible.apply(raw.toString());
        if (shown.length() <= publishedChars) {
            return true;
        }
        String text = shown.substring(publishedChars);
        boolean wanted = publication.publish(publishedCodePoints, text);
        publishedChars = shown.length();
        publishedCodePoints += text.codePointCount(0, text.length());
        lastPublished = now;
        return wanted;
    }
}
