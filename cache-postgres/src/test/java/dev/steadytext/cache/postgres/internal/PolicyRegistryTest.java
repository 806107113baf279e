package dev.steadytext.cache.postgres.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadytext.api.eviction.EvictionPolicy;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyRegistryTest {

    private final PolicyRegistry registry = new PolicyRegistry();
    private final FifoTestPolicy arc = new FifoTestPolicy();
    private final FifoTestPolicy lru = new FifoTestPolicy();
    private final FifoTestPolicy plugin = new FifoTestPolicy();

    PolicyRegistryTest() {
        registry.add(arc, Map.of(EvictionPolicy.NAME_PROPERTY, "arc"));
        registry.add(lru, Map.of(EvictionPolicy.NAME_PROPERTY, "lru"));
        registry.add(plugin, Map.of(EvictionPolicy.NAME_PROPERTY, "sieve"));
    }

    private PolicyRegistry.Choice choose(String sql, String file) {
        return PolicyRegistry.choose(registry.available(), sql, file);
    }

    @Test
    void choose_sqlWins_thenTheFile_thenArc() {
        assertThat(choose("lru", "sieve").chosen().name()).isEqualTo("lru");
        assertThat(choose(null, "sieve").chosen().name()).isEqualTo("sieve");
        assertThat(choose(null, "").chosen().name()).isEqualTo("arc");
        assertThat(choose(null, "").fellBack()).isFalse();
    }

    @Test
    void choose_aMissingPolicy_fallsBackToArc_andSaysSo() {
        registry.remove(plugin);

        PolicyRegistry.Choice choice = choose("sieve", "");

        assertThat(choice.chosen().policy()).isSameAs(arc);
        assertThat(choice.requested()).isEqualTo("sieve");
        assertThat(choice.fellBack()).isTrue();
    }

    @Test
    void choose_withoutArc_takesTheFirstByName_andWithoutAnyChoosesNothing() {
        registry.remove(arc);
        assertThat(choose("gone", "").chosen().name()).isEqualTo("lru");
        registry.remove(lru);
        registry.remove(plugin);
        assertThat(choose("gone", "").chosen()).isNull();
    }

    @Test
    void version_changesWithEveryAddAndEffectiveRemove() {
        long before = registry.version();
        registry.remove(new FifoTestPolicy()); // never added
        assertThat(registry.version()).isEqualTo(before);
        registry.remove(lru);
        assertThat(registry.version()).isEqualTo(before + 1);
    }

    @Test
    void add_withoutTheNameProperty_usesThePolicysName() {
        registry.add(new FifoTestPolicy(), Map.of());
        assertThat(registry.available()).containsKey(FifoTestPolicy.NAME);
    }
}
