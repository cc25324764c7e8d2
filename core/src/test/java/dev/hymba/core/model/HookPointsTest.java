package dev.hymba.core.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hymba.core.hook.HookPoint;
import dev.hymba.core.hook.Hooks;
import dev.hymba.core.io.CheckpointFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The hook points inside a forward on tiny-a (H 4, Hkv 2, dh 16, dv 32, I 128, N 8, M 8, L 72, T 80, W 16; layer 2
 * consumes layer 1's K/V): every documented point fires with its documented shape, readers change nothing, writers
 * are used (and agree with the structural ablations they should equal).
 */
class HookPointsTest {
    private static HymbaModel model;
    private static int[] ids;
    private static float[] baseline;

    @BeforeAll
    static void load() {
        GoldenSet g = GoldenSet.of("tiny-a");
        model = HymbaModel.load(g.dir());
        ids = g.inputIds();
        baseline = run(RunOptions.DEFAULT);
    }

    private static float[] run(RunOptions o) { return model.forward(ids, o).logits(); }

    private static float[] run(Hooks h) { return run(RunOptions.builder().hooks(h).build()); }

    /** A hook set that edits one point with a function of (value, shape). */
    private static Hooks writer(String point, BiFunction<float[], int[], float[]> edit) {
        return new Hooks() {
            public boolean wants(String p) { return p.equals(point); }

            public float[] apply(String p, float[] v, int[] shape) { return edit.apply(v.clone(), shape); }
        };
    }

    private static Hooks zero(String point) { return writer(point, (v, s) -> new float[v.length]); }

    @Test
    void everyPointFiresWithItsDocumentedShapeAndReadersChangeNothing() {
        RecordingHooks all = new RecordingHooks(p -> true);
        assertArrayEquals(baseline, run(all), "readers must not change the run");
        int t = 80, l = 72;
        Map<String, int[]> expected = new LinkedHashMap<>();
        expected.put("embed", new int[]{l, 64});
        expected.put("meta", new int[]{8, 64});
        expected.put("layers.2.resid_pre", new int[]{t, 64});
        expected.put("layers.2.attn.q", new int[]{t, 4 * 16});
        expected.put("layers.2.attn.k", new int[]{t, 2 * 16});
        expected.put("layers.2.attn.v", new int[]{t, 2 * 32});
        expected.put("layers.2.attn.pattern", new int[]{4, t, t});
        expected.put("layers.2.attn.out", new int[]{t, 128});
        expected.put("layers.2.ssm.conv_out", new int[]{t, 128});
        expected.put("layers.2.ssm.delta", new int[]{t, 128});
        expected.put("layers.2.ssm.B", new int[]{t, 8});
        expected.put("layers.2.ssm.C", new int[]{t, 8});
        expected.put("layers.2.ssm.state", new int[]{t, 128});
        expected.put("layers.2.ssm.out", new int[]{t, 128});
        expected.put("layers.2.fusion.attn_norm", new int[]{t, 128});
        expected.put("layers.2.fusion.ssm_norm", new int[]{t, 128});
        expected.put("layers.2.mixer_out", new int[]{t, 64});
        expected.put("layers.2.resid_mid", new int[]{t, 64});
        expected.put("layers.2.mlp_out", new int[]{t, 64});
        expected.put("layers.2.resid_post", new int[]{t, 64});
        expected.put("final_norm", new int[]{l, 64});
        expected.put("logits", new int[]{l, 512});
        expected.forEach((name, shape) -> assertArrayEquals(shape, all.shapes.get(name), name));
        Set<String> names = new TreeSet<>(List.of(HookPoint.EMBED, HookPoint.META, HookPoint.FINAL_NORM, HookPoint.LOGITS));
        for (int i = 0; i < 6; i++) for (String p : HookPoint.LAYER_POINTS) names.add(HookPoint.layer(i, p));
        assertEquals(names, new TreeSet<>(all.values.keySet()), "every documented point of every layer fires");
        for (var e : all.values.entrySet()) {
            long n = 1;
            for (int s : all.shapes.get(e.getKey())) n *= s;
            assertEquals(n, e.getValue().length, e.getKey() + ": length matches shape");
        }
    }

    @Test
    void consumersSeeTheProducersKeysAndWritesPropagateOnlyFromTheProducer() {
        RecordingHooks base = new RecordingHooks(p -> p.startsWith("layers.1.attn") || p.startsWith("layers.2.attn"));
        run(base);
        assertArrayEquals(base.values.get("layers.1.attn.k"), base.values.get("layers.2.attn.k"));
        assertArrayEquals(base.values.get("layers.1.attn.v"), base.values.get("layers.2.attn.v"));
        BiFunction<float[], int[], float[]> half = (v, s) -> {
            for (int i = 0; i < v.length; i++) v[i] *= 0.5f;
            return v;
        };
        RecordingHooks afterProducerEdit = new RecordingHooks(p -> p.equals("layers.2.attn.out"));
        run(Hooks.chain(writer("layers.1.attn.k", half), afterProducerEdit));
        assertTrue(maxDiff(base.values.get("layers.2.attn.out"), afterProducerEdit.values.get("layers.2.attn.out")) > 1e-3,
                "editing the producer's keys reaches its consumer");
        RecordingHooks afterConsumerEdit = new RecordingHooks(p -> p.equals("layers.1.attn.out") || p.equals("layers.2.attn.out"));
        run(Hooks.chain(writer("layers.2.attn.k", half), afterConsumerEdit));
        assertArrayEquals(base.values.get("layers.1.attn.out"), afterConsumerEdit.values.get("layers.1.attn.out"),
                "editing a consumer's view leaves the producer alone");
        assertTrue(maxDiff(base.values.get("layers.2.attn.out"), afterConsumerEdit.values.get("layers.2.attn.out")) > 1e-3);
    }

    @Test
    void patternRowsAreMaskedDistributionsAndAReplacementIsUsed() {
        RecordingHooks rec = new RecordingHooks(p -> p.equals("layers.4.attn.pattern"));
        run(rec);
        float[] a = rec.values.get("layers.4.attn.pattern");
        int t = 80, meta = 8, w = 16;
        for (int h = 0; h < 4; h++)
            for (int q = 0; q < t; q++) {
                double sum = 0;
                for (int u = 0; u < t; u++) {
                    float p = a[(h * t + q) * t + u];
                    if (!(u <= q && (q - u <= w || u < meta))) assertEquals(0f, p, "masked entry h" + h + " q" + q + " u" + u);
                    sum += p;
                }
                assertEquals(1.0, sum, 1e-5);
            }
        assertArrayEquals(baseline, run(writer("layers.4.attn.pattern", (v, s) -> v)), "an unchanged pattern is the identity");
        float[] uniform = new float[4 * t * t];
        for (int h = 0; h < 4; h++) for (int q = 0; q < t; q++) for (int u = 0; u <= q; u++) uniform[(h * t + q) * t + u] = 1f / (q + 1);
        assertTrue(maxDiff(baseline, run(writer("layers.4.attn.pattern", (v, s) -> uniform.clone()))) > 1e-3);
    }

    @Test
    void branchOffEqualsZeroingTheBranchBeforeOrAfterItsNorm() {
        // RMSNorm(0) = 0, so a zeroed stream and a switched-off branch contribute the same nothing
        float[] attnOff = run(RunOptions.builder().attentionOff(3).build());
        assertArrayEquals(attnOff, run(zero("layers.3.attn.out")));
        assertArrayEquals(attnOff, run(zero("layers.3.fusion.attn_norm")));
        float[] ssmOff = run(RunOptions.builder().ssmOff(1).build());
        assertArrayEquals(ssmOff, run(zero("layers.1.ssm.out")));
        assertArrayEquals(ssmOff, run(zero("layers.1.fusion.ssm_norm")));
        assertTrue(maxDiff(baseline, attnOff) > 1e-3 && maxDiff(baseline, ssmOff) > 1e-3);
    }

    @Test
    void zeroedAndMeanMetaModesEqualWritingThoseRowsAtTheMetaPoint() {
        assertArrayEquals(run(RunOptions.builder().metaMode(MetaMode.ZEROED).build()), run(zero(HookPoint.META)));
        Hooks mean = writer(HookPoint.META, (v, s) -> {
            int rows = s[0], d = s[1];
            float[] out = new float[v.length];
            for (int j = 0; j < d; j++) {
                float m = 0;
                for (int r = 0; r < rows; r++) m += v[r * d + j] / rows;
                for (int r = 0; r < rows; r++) out[r * d + j] = m;
            }
            return out;
        });
        assertArrayEquals(run(RunOptions.builder().metaMode(MetaMode.MEAN).build()), run(mean));
    }

    @Test
    void droppedMetaEqualsTheSameWeightsWithoutMetaTokens(@TempDir Path tmp) throws Exception {
        // the checkpoint rewritten with num_memory_tokens = 0 and no model.memory_tokens: positions from 0, no meta
        // exception in the mask, SSM and conv from zero — what DROPPED must reproduce
        Path src = GoldenSet.of("tiny-a").dir();
        ObjectNode cfg = (ObjectNode) new ObjectMapper().readTree(src.resolve("config.json").toFile());
        cfg.put("num_memory_tokens", 0);
        Files.writeString(tmp.resolve("config.json"), cfg.toString());
        List<TestSafetensors.Tensor> tensors = new ArrayList<>();
        try (CheckpointFiles f = CheckpointFiles.open(src)) {
            for (String name : f.names())
                if (!name.equals("model.memory_tokens")) tensors.add(TestSafetensors.of(name, f.info(name).orElseThrow().shape(), f.readFloats(name)));
        }
        TestSafetensors.write(tmp.resolve("model.safetensors"), tensors);
        float[] withoutMeta = HymbaModel.load(tmp).forward(ids, RunOptions.DEFAULT).logits();
        RecordingHooks meta = new RecordingHooks(p -> p.equals(HookPoint.META));
        float[] dropped = run(RunOptions.builder().metaMode(MetaMode.DROPPED).hooks(meta).build());
        assertArrayEquals(withoutMeta, dropped);
        assertTrue(meta.values.isEmpty(), "no meta rows when dropped");
        assertTrue(maxDiff(baseline, dropped) > 1e-3);
    }

    @Test
    void hooksThatReturnTheWrongLengthAreRejected() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> run(Hooks.chain(writer("layers.0.mlp_out", (v, s) -> new float[3]), RecordingHooks_none())));
        assertTrue(e.getMessage().contains("layers.0.mlp_out"), e.getMessage());
    }

    private static Hooks RecordingHooks_none() { return new RecordingHooks(p -> false); }

    private static double maxDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }
}
