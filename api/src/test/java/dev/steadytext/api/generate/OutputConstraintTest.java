package dev.steadytext.api.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutputConstraintTest {

    @Test
    void of_constrained_hasNoStopStrings_unconstrainedKeepsTheDefaults() {
        GenerationRequest json = GenerationRequest.of("p", 10, 42, "END", new OutputConstraint.JsonSchema("{}"));
        GenerationRequest plain = GenerationRequest.of("p", 10, 42, "END", OutputConstraint.NONE);

        assertThat(json.stopStrings()).isEmpty();
        assertThat(plain).isEqualTo(GenerationRequest.of("p", 10, 42, "END"));
        assertThat(plain.stopStrings()).endsWith("END");
        assertThat(new GenerationRequest("p", 10, 42, List.of()).constraint()).isSameAs(OutputConstraint.NONE);
    }

    @Test
    void choiceKeyParameters_areJsonbTextOfTheArray() {
        assertThat(new OutputConstraint.Choice(List.of("yes", "tab\there", "q\"b\\", "\u0001é")).keyParameters())
                .isEqualTo(Map.of("choices", "[\"yes\", \"tab\\there\", \"q\\\"b\\\\\", \"\\u0001é\"]"));
        assertThat(OutputConstraint.NONE.keyParameters()).isEmpty();
        assertThat(new OutputConstraint.Regex("a+").keyParameters()).isEqualTo(Map.of("regex", "a+"));
    }

    @Test
    void choice_badLists_areRejectedNamingTheElement() {
        assertThatThrownBy(() -> new OutputConstraint.Choice(List.of("a"))).hasMessage(
                "choices must have at least two elements, not 1");
        assertThatThrownBy(() -> new OutputConstraint.Choice(Arrays.asList("a", null)))
                .isInstanceOf(NullPointerException.class).hasMessage("choices[2] is NULL");
        assertThatThrownBy(() -> new OutputConstraint.Choice(List.of("a", "b", "a"))).hasMessage(
                "choices[3] repeats \"a\"");
    }
}
