package dev.hymba.core.model;

import dev.hymba.core.config.HymbaConfigParser;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ModelBenchmarkTest {
    @Test
    void flopCountMatchesAHandCount() {
        var c = HymbaConfigParser.read(GoldenSet.of("tiny-a").dir().resolve("config.json"));
        // tiny-a, L = 16, T = 24: per row 5·416·64 + 320·64 (in_proj; layer 2 is a consumer) + 6·(20·128 + 128·4
        // + 64·128 + 3·176·64) = 423,936 multiply-adds; attention 6·4·24·24·(16+32) = 663,552; lm_head 16·512·64 = 524,288
        assertEquals(2.0 * (24 * 423_936 + 663_552 + 524_288), ModelBenchmark.prefillFlops(c, 16));
    }

    @Test
    void runsOnATinyModelAndReportsEveryFigure() {
        ModelBenchmark.Result r = ModelBenchmark.run(GoldenSet.of("tiny-a").dir(), 16, 4, 1);
        assertEquals(16, r.promptTokens());
        assertTrue(r.prefillSeconds() > 0 && r.prefillTokensPerSecond() > 0 && r.gflopPerSecond() > 0);
        assertTrue(r.decodeSeconds() > 0 && r.decodeTokensPerSecond() > 0);
        assertTrue(r.profile().get(Profile.Phase.LAYER) > 0 && r.profile().get(Profile.Phase.GEMM) > 0, r.profile().toString());
        assertTrue(r.profile().get(Profile.Phase.LAYER) <= r.prefillSeconds());
        assertTrue(r.summary().contains("prefill 16 tokens (+8 meta)"), r.summary());
    }
}
