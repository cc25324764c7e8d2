package dev.hymba.core.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hymba.core.config.HymbaConfig;
import dev.hymba.core.config.HymbaConfigParser;
import dev.hymba.core.io.Npy;
import dev.hymba.core.io.SharedData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The reference attention probabilities of the golden sets (NVIDIA's code, FlexAttention mask_mod) against our mask
 * and streaming statistics: the mask is exactly the support of every row (T1), rows sum to 1, and the per-head mean
 * normalised entropy (C5) equals the value the golden generator recorded in meta.json.
 */
class GoldenAttentionStatisticsTest {

    @ParameterizedTest
    @ValueSource(strings = {"tiny-a", "tiny-b"})
    void referenceProbabilitiesAgreeWithMaskAndEntropy(String set) throws Exception {
        Path dir = SharedData.golden().map(g -> g.resolve(set)).filter(Files::isDirectory).orElse(null);
        assumeTrue(dir != null, "shared golden data for " + set + " not found; skipping");
        HymbaConfig cfg = HymbaConfigParser.read(dir.resolve("config.json"));
        Npy.Array probs = Npy.read(dir.resolve("attn_probs.npy"));
        JsonNode entropy = new ObjectMapper().readTree(dir.resolve("meta.json").toFile())
                .path("attention_entropy").path("per_layer_per_head");
        int layers = (int) probs.shape()[0], heads = (int) probs.shape()[1], t = (int) probs.shape()[2];
        int m = cfg.numMemoryTokens();
        boolean hasBos = Npy.read(dir.resolve("input_ids.npy")).intData()[0] == cfg.bosTokenId();
        AttentionStatistics stats = new AttentionStatistics(layers, heads, t,
                l -> cfg.isGlobal(l) ? AttentionMask.global(m) : AttentionMask.local(cfg.slidingWindow(), m),
                hasBos, cfg.slidingWindow());
        float[] p = probs.floats();
        for (int l = 0; l < layers; l++) {
            AttentionMask mask = cfg.isGlobal(l) ? AttentionMask.global(m) : AttentionMask.local(cfg.slidingWindow(), m);
            for (int h = 0; h < heads; h++) {
                int base = (l * heads + h) * t * t;
                for (int q = 0; q < t; q++) {
                    for (int u = 0; u < t; u++)
                        if (mask.allowed(q, u) != p[base + q * t + u] > 0)
                            fail("layer " + l + " head " + h + " (" + q + "," + u + "): mask says " + mask.allowed(q, u)
                                    + ", reference probability " + p[base + q * t + u]);
                    stats.accept(l, h, q, p, base + q * t);
                }
            }
        }
        for (int l = 0; l < layers; l++)
            for (int h = 0; h < heads; h++) {
                HeadSummary s = stats.summary(l, h);
                assertTrue(s.maxRowSumError() < 1e-5, "row sums " + s.maxRowSumError());
                assertEquals(0.0, s.maxMaskedMass());
                // meta.json rounds to 4 decimals
                assertEquals(entropy.get(l).get(h).asDouble(), s.meanNormalisedEntropy(), 5.1e-5, set + " layer " + l + " head " + h);
                assertEquals(1.0, s.regions().total(), 1e-5);
            }
    }
}
