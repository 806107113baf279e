package dev.steadytext.models.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ContentRangeTest {

    @Test
    void parse_satisfiedRange_givesStartEndAndTotal() {
        assertThat(ContentRange.parse("bytes 100-1185375/1185376")).contains(new ContentRange(100, 1185375, 1185376));
    }

    @Test
    void parse_unsatisfiedRange_givesOnlyTheTotal() {
        assertThat(ContentRange.parse("bytes */1185376")).contains(new ContentRange(-1, -1, 1185376));
    }

    @Test
    void parse_unknownTotal_isMinusOne() {
        assertThat(ContentRange.parse("bytes 0-99/*")).contains(new ContentRange(0, 99, -1));
    }

    @Test
    void parse_garbageOrMissing_isEmpty() {
        assertThat(ContentRange.parse("items 0-9/10")).isEmpty();
        assertThat(ContentRange.parse(null)).isEmpty();
    }
}
