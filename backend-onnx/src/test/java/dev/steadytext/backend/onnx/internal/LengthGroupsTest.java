package dev.steadytext.backend.onnx.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LengthGroupsTest {

    @Test
    void of_separatesLongTextsFromShortOnes_andKeepsEveryIndexOnce() {
        int[][] ids = {new int[256], new int[8], new int[9], new int[250], new int[7], new int[8]};

        List<int[]> groups = LengthGroups.of(ids);

        assertThat(groups).hasSize(2);
        assertThat(groups.get(0)).containsExactlyInAnyOrder(1, 2, 4, 5);
        assertThat(groups.get(1)).containsExactlyInAnyOrder(0, 3);
    }

    @Test
    void of_equalLengths_makeOneGroup() {
        int[][] ids = IntStream.range(0, 32).mapToObj(i -> new int[12]).toArray(int[][]::new);

        assertThat(LengthGroups.of(ids)).hasSize(1);
    }

    @Test
    void of_singleText_isOneGroup() {
        assertThat(LengthGroups.of(new int[][] {new int[3]})).singleElement()
                .satisfies(group -> assertThat(Arrays.stream(group).boxed()).containsExactly(0));
    }

    @Test
    void of_passagesOfCloseLengths_goInGroupsOfNearEqualLength() {
        // Ten texts of 100 and ten of 128 tokens: together they would pad 280 tokens, more than a second run costs.
        int[][] ids = IntStream.range(0, 20).mapToObj(i -> new int[i % 2 == 0 ? 100 : 128]).toArray(int[][]::new);

        List<int[]> groups = LengthGroups.of(ids);

        assertThat(groups).hasSize(2);
        assertThat(Arrays.stream(groups.get(0)).map(i -> ids[i].length)).containsOnly(100).hasSize(10);
        assertThat(Arrays.stream(groups.get(1)).map(i -> ids[i].length)).containsOnly(128).hasSize(10);
    }

    @Test
    void of_aSlightlyLongerText_staysWithItsGroup_whenPaddingItCostsLessThanARun() {
        // Padding 31 texts by one token (31) costs more than a run (16); padding 15 by one token (15) costs less.
        int[][] many = IntStream.range(0, 32).mapToObj(i -> new int[i == 0 ? 13 : 12]).toArray(int[][]::new);
        int[][] few = IntStream.range(0, 16).mapToObj(i -> new int[i == 0 ? 13 : 12]).toArray(int[][]::new);

        assertThat(LengthGroups.of(many)).hasSize(2);
        assertThat(LengthGroups.of(few)).hasSize(1);
    }
}
