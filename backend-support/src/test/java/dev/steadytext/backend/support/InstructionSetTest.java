package dev.steadytext.backend.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InstructionSetTest {

    @Test
    void classify_avx512FlagWins() {
        assertThat(InstructionSet.classify("x86_64", "processor\t: 0\nflags\t\t: fpu sse avx avx2 fma avx512f\n"))
                .isEqualTo("x86_64-avx512");
    }

    @Test
    void classify_avx2NeedsFma() {
        assertThat(InstructionSet.classify("x86_64", "flags\t: avx avx2 fma\n")).isEqualTo("x86_64-avx2");
        assertThat(InstructionSet.classify("x86_64", "flags\t: avx avx2\n")).isEqualTo("x86_64-avx");
    }

    @Test
    void classify_noFlagsIsGeneric() {
        assertThat(InstructionSet.classify("x86_64", "processor\t: 0\n")).isEqualTo("x86_64-generic");
        assertThat(InstructionSet.classify("aarch64", "flags\t: avx2 fma\n")).isEqualTo("aarch64-generic");
    }

    @Test
    void detect_namesAnArchitecture() {
        assertThat(InstructionSet.detect()).matches("[a-z0-9_]+-[a-z0-9]+");
    }
}
