package dev.hymba.core.model;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BlasInfoTest {
    @Test
    void avx512KernelsNeedEveryFlag() {
        String zen5 = "flags\t\t: fpu sse2 avx avx2 fma avx512f avx512dq avx512cd avx512bw avx512vl avx512_bf16";
        assertThat(BlasInfo.flagsAllowAvx512(zen5)).isTrue();
        // Knights Landing style: avx512f and cd but no bw/dq/vl — the SkylakeX kernels would fault.
        assertThat(BlasInfo.flagsAllowAvx512("flags : avx2 avx512f avx512cd avx512er")).isFalse();
        assertThat(BlasInfo.flagsAllowAvx512("flags : avx avx2 fma")).isFalse();
        // A prefix of a flag name is not the flag.
        assertThat(BlasInfo.flagsAllowAvx512("flags : avx512fx avx512dq avx512cd avx512bw avx512vl")).isFalse();
    }

    @Test
    void describesTheLoadedKernelSet() {
        String line = BlasInfo.describe();
        assertThat(line).startsWith("OpenBLAS kernels ");
        // ND4J's bundled OpenBLAS exports openblas_get_corename: the name is known, not "(unknown)".
        assertThat(BlasInfo.coreName()).isPresent();
        String forced = System.getenv("OPENBLAS_CORETYPE");
        if (forced != null && !forced.isBlank()) assertThat(BlasInfo.coreName().get()).containsIgnoringCase(forced);
    }
}
