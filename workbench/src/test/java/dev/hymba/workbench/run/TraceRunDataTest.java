package dev.hymba.workbench.run;

import dev.hymba.core.io.Npy;
import dev.hymba.core.io.SharedData;
import dev.hymba.core.model.HymbaModel;
import dev.hymba.core.trace.Tracer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The adapter over a real engine trace of the golden tiny-a checkpoint (architecture: 8 meta, W = 16, 3 global). */
class TraceRunDataTest {
    private static TraceRunData run;
    private static Npy.Array probs;

    @BeforeAll
    static void trace() throws Exception {
        Path dir = SharedData.golden().map(g -> g.resolve("tiny-a")).orElse(null);
        assumeTrue(dir != null && dir.toFile().isDirectory(), "shared/golden/tiny-a not found: skipping the trace adapter test");
        int[] ids = Npy.read(dir.resolve("input_ids.npy")).intData();
        probs = Npy.read(dir.resolve("attn_probs.npy"));
        try (HymbaModel m = HymbaModel.load(dir)) {
            run = new TraceRunData(Tracer.run(m, Tracer.Request.of(ids, null, "golden ids")));
        }
    }

    @Test
    void tokensLayersAndShape() {
        assertThat(run.length()).isEqualTo(80);
        assertThat(run.metaCount()).isEqualTo(8);
        assertThat(run.bosPosition()).isEqualTo(8); // ids[0] = 1 = BOS
        assertThat(run.tokens().get(8).kind()).isEqualTo(TokenKind.BOS);
        assertThat(run.layers().stream().filter(LayerInfo::global).map(LayerInfo::index).toList()).containsExactly(0, 3, 5);
        assertThat(run.layers().get(2).kvProducer()).isEqualTo(1);
        assertThat(run.layers().get(1).window()).isEqualTo(16);
        assertThat(run.attentionHeads()).isEqualTo(4);
        assertThat(run.provenance().prompt()).isEqualTo("golden ids");
    }

    @Test
    void mapsMatchTheGoldenProbabilities() {
        int t = 80, h = 4;
        for (int[] lh : List.of(new int[] {0, 0}, new int[] {2, 3}, new int[] {4, 1})) {
            AttentionMap a = run.attention(lh[0], lh[1]);
            int base = (lh[0] * h + lh[1]) * t * t;
            double maxDiff = 0;
            for (int i = 0; i < t * t; i++) maxDiff = Math.max(maxDiff, Math.abs(a.values()[i] - probs.floats()[base + i]));
            assertThat(maxDiff).as("layer %d head %d", lh[0], lh[1]).isLessThanOrEqualTo(1e-4); // golden README tolerance
        }
    }

    @Test
    void streamedStatisticsAgreeWithTheWorkbenchsOwnComputationOnTheSameMap() {
        AttentionMap a = run.attention(1, 2);
        RegionMasses mine = AttentionMetrics.regionMasses(a, 8, 8);
        RegionMasses core = run.regionMasses(1, 2);
        assertThat(core.meta()).isCloseTo(mine.meta(), within(1e-5));
        assertThat(core.bos()).isCloseTo(mine.bos(), within(1e-5));
        assertThat(core.self()).isCloseTo(mine.self(), within(1e-5));
        assertThat(run.headMetric(HeadMetric.SINK_SCORE, 1, 2)).isCloseTo(AttentionMetrics.sinkScore(a), within(1e-5));
        assertThat(run.headMetric(HeadMetric.ENTROPY, 1, 2)).isCloseTo(AttentionMetrics.meanEntropy(a, 8), within(1e-4));
    }

    @Test
    void branchNormsAndSsmArraysArePerPosition() {
        BranchNorms b = run.branchNorms(3).orElseThrow();
        assertThat(b.ssmShare()).hasSize(80);
        for (float r : b.ssmShare()) assertThat(r).isBetween(0f, 1f);
        Matrix s = run.ssmStateNorms(3).orElseThrow();
        assertThat(s.rows()).isEqualTo(80);
        assertThat(s.cols()).isEqualTo(128); // I = 2 * 64
        assertThat(run.metaReceived(3, 0)).get().satisfies(r -> assertThat(r).hasSize(8));
        assertThat(run.logits()).get().satisfies(l -> {
            assertThat(l.rows()).isEqualTo(72); // one row per prompt token, meta rows dropped
            assertThat(l.cols()).isEqualTo(512);
        });
    }
}
