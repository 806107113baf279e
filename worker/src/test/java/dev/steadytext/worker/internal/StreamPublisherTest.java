package dev.steadytext.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StreamPublisherTest {

    /** What a reader of the stream sees: the pieces at their positions, in order. */
    private record Piece(int position, String text) {}

    private final List<Piece> published = new ArrayList<>();
    private boolean wanted = true;

    private StreamPublisher publisher(long intervalNanos) {
        return new StreamPublisher(String::strip, (position, text) -> {
            published.add(new Piece(position, text));
            return wanted;
        }, intervalNanos);
    }

    private String concatenation() {
        StringBuilder text = new StringBuilder();
        for (Piece piece : published) {
            assertThat(piece.position()).as("positions follow on").isEqualTo(text.codePointCount(0, text.length()));
            text.append(piece.text());
        }
        return text.toString();
    }

    @Test
    void accept_leadingWhitespace_isNeverPublished() {
        StreamPublisher publisher = publisher(0);
        publisher.accept(" ");
        publisher.accept("\n ");
        assertThat(published).isEmpty();

        publisher.accept(" Once");

        assertThat(published).containsExactly(new Piece(0, "Once"));
    }

    @Test
    void accept_trailingWhitespace_waitsForTheTextAfterIt() {
        StreamPublisher publisher = publisher(0);
        publisher.accept("Once");
        publisher.accept(" ");
        publisher.accept("\n");
        assertThat(concatenation()).isEqualTo("Once");

        publisher.accept("upon");

        assertThat(concatenation()).isEqualTo("Once \nupon");
    }

    @Test
    void accept_firstVisibleTextAtOnce_thenAtMostOncePerInterval() {
        StreamPublisher publisher = publisher(StreamPublisher.INTERVAL_NANOS);
        publisher.accept("Once");
        publisher.accept(" upon");
        publisher.accept(" a");

        assertThat(published).containsExactly(new Piece(0, "Once"));
    }

    @Test
    void accept_positionsCountCodePoints_asPostgresCountsCharacters() {
        StreamPublisher publisher = publisher(0);
        publisher.accept("🐶 dog");
        publisher.accept(" ran");

        assertThat(published).containsExactly(new Piece(0, "🐶 dog"), new Piece(5, " ran"));
    }

    @Test
    void accept_answersWhetherTheOutputIsStillWanted() {
        StreamPublisher publisher = publisher(0);
        assertThat(publisher.accept("Once")).isTrue();

        wanted = false;

        assertThat(publisher.accept(" upon")).isFalse();
    }

    @Test
    void accept_randomTokens_publishedTextIsAlwaysAPrefixOfTheStrippedResult() {
        Random random = new Random(7);
        String[] alphabet = {" ", "\n", "\t", "a", "b", "c.", " the", "🐶", "  "};
        for (int round = 0; round < 500; round++) {
            published.clear();
            StreamPublisher publisher = publisher(random.nextBoolean() ? 0 : Long.MAX_VALUE);
            StringBuilder raw = new StringBuilder();
            for (int i = random.nextInt(12); i > 0; i--) {
                String token = alphabet[random.nextInt(alphabet.length)];
                raw.append(token);
                publisher.accept(token);
                assertThat(raw.toString().strip()).startsWith(concatenation());
            }
        }
    }
}
