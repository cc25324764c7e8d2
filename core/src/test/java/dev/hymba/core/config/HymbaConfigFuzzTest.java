package dev.hymba.core.config;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.BeforeAll;
import dev.hymba.core.io.CheckpointLayout;
import dev.hymba.core.io.FuzzSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes HymbaConfigParser.parse with arbitrary bytes read as UTF-8 text. Regression mode replays the committed corpus in
 * {@code src/test/resources/dev/hymba/core/config/HymbaConfigFuzzTestInputs/}; see core/FUZZING.md. Contract: a
 * {@link ConfigException} or a config whose derived sizes are positive and consistent, that survives a
 * toJson/parse round trip unchanged, and (for sane layer counts) yields a checkpoint layout.
 */
class HymbaConfigFuzzTest {
    @BeforeAll
    static void noAgentInRegressionMode() { FuzzSupport.noAgentInRegressionMode(); }

    @FuzzTest(maxDuration = "2m")
    void parse(byte[] data) {
        // Plain bytes decoded as UTF-8 (invalid sequences become U+FFFD), so corpus files are ordinary JSON files.
        String json = new String(data, java.nio.charset.StandardCharsets.UTF_8);
        HymbaConfig c;
        try {
            c = HymbaConfigParser.parse(json);
        } catch (ConfigException expected) {
            assertThat(expected.getMessage()).isNotBlank();
            return;
        }
        assertThat(c.headDim()).isPositive().isEven();
        assertThat(c.innerSize()).isPositive();
        assertThat(c.valueHeadDim()).isPositive();
        assertThat(c.numAttentionHeads() % c.numKeyValueHeads()).isZero();
        assertThat(c.ropeBase()).isPositive().isFinite();
        assertThat(HymbaConfigParser.parse(HymbaConfigParser.toJson(c))).isEqualTo(c);
        if (c.numHiddenLayers() <= 256) {
            for (int l = 0; l < c.numHiddenLayers(); l++) {
                assertThat(c.inProjRows(l)).isPositive();
                int p = c.kvProducerOf(l);
                assertThat(p).isBetween(0, l);
                assertThat(c.isGlobal(p) && p != l).isFalse();
            }
            assertThat(CheckpointLayout.expected(c)).isNotEmpty();
        }
    }
}
