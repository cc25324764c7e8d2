package dev.hymba.core.trace;

import dev.hymba.core.config.HymbaConfig;
import dev.hymba.core.hook.HookPoint;
import dev.hymba.core.hook.Hooks;

import java.util.*;

/**
 * A read-only {@link Hooks} that records what a {@link Trace} keeps. Attention probabilities are summarised per head
 * as each layer streams them ({@link HeadSummaries}) and never kept; full maps are recomputed on demand from q/k.
 */
final class TraceRecorder implements Hooks {
    private static final Set<String> LAYER_POINTS = Set.of(HookPoint.ATTN_Q, HookPoint.ATTN_K, HookPoint.ATTN_V,
            HookPoint.ATTN_PATTERN, HookPoint.ATTN_OUT, HookPoint.SSM_CONV_OUT, HookPoint.SSM_DELTA, HookPoint.SSM_B,
            HookPoint.SSM_C, HookPoint.SSM_STATE, HookPoint.SSM_OUT, HookPoint.FUSION_ATTN_NORM, HookPoint.FUSION_SSM_NORM,
            HookPoint.RESID_PRE, HookPoint.RESID_POST);
    static final int TRUST_ROWS = 64;

    private final HymbaConfig c;
    private final int metaCount;
    private final boolean bosPresent;
    private final int[] windows;
    private final Set<Integer> attentionEdited;
    final Map<String, float[]> values = new HashMap<>();
    final Map<Integer, List<HeadSummary>> heads = new HashMap<>();
    final Map<Integer, LayerTrace.TrustCheck> trust = new HashMap<>();
    final float[][] hiddenNorms;
    float[] logits;

    TraceRecorder(HymbaConfig c, int metaCount, boolean bosPresent, int[] windows, Set<Integer> attentionEdited) {
        this.c = c;
        this.metaCount = metaCount;
        this.bosPresent = bosPresent;
        this.windows = windows;
        this.attentionEdited = attentionEdited;
        this.hiddenNorms = new float[c.numHiddenLayers() + 1][];
    }

    @Override
    public boolean wants(String point) {
        if (point.equals(HookPoint.LOGITS)) return true;
        int l = HookPoint.layerOf(point);
        if (l < 0) return false;
        String s = HookPoint.suffixOf(point);
        if ((s.equals(HookPoint.ATTN_K) || s.equals(HookPoint.ATTN_V)) && c.isKvConsumer(l)) return false; // the producer's copy serves
        return LAYER_POINTS.contains(s);
    }

    @Override
    public float[] apply(String point, float[] value, int[] shape) {
        if (point.equals(HookPoint.LOGITS)) {
            logits = value.clone();
            return value;
        }
        int l = HookPoint.layerOf(point);
        String s = HookPoint.suffixOf(point);
        int T = shape[0];
        switch (s) {
            case HookPoint.ATTN_PATTERN -> heads.put(l, HeadSummaries.of(value, shape[0], shape[1], shape[2], metaCount, bosPresent, windows[l]));
            case HookPoint.RESID_PRE -> { if (l == 0) hiddenNorms[0] = rowNorms(value, T, shape[1]); }
            case HookPoint.RESID_POST -> {
                hiddenNorms[l + 1] = rowNorms(value, T, shape[1]);
                values.put(point, Arrays.copyOf(value, metaCount * shape[1])); // meta rows only
            }
            case HookPoint.ATTN_OUT -> {
                values.put(HookPoint.layer(l, "attn.out_norm"), rowNorms(value, T, shape[1]));
                trust.put(l, attentionEdited.contains(l)
                        ? new LayerTrace.TrustCheck(LayerTrace.TrustCheck.Status.SKIPPED_ABLATED, 0, 0, 0)
                        : checkAttention(l, value, T));
            }
            case HookPoint.SSM_OUT -> values.put(HookPoint.layer(l, "ssm.out_norm"), rowNorms(value, T, shape[1]));
            case HookPoint.FUSION_ATTN_NORM, HookPoint.FUSION_SSM_NORM -> values.put(point + "_rows", rowNorms(value, T, shape[1]));
            default -> values.put(point, value.clone());
        }
        return value;
    }

    private static float[] rowNorms(float[] v, int rows, int width) {
        float[] n = new float[rows];
        for (int r = 0; r < rows; r++) {
            double ss = 0;
            for (int i = 0; i < width; i++) ss += (double) v[r * width + i] * v[r * width + i];
            n[r] = (float) Math.sqrt(ss);
        }
        return n;
    }

    /** Recomputes softmax(qkᵀ/√dh + mask)·V for evenly spread rows and compares with the engine's attention stream. */
    private LayerTrace.TrustCheck checkAttention(int l, float[] attnOut, int T) {
        float[] q = values.get(HookPoint.layer(l, HookPoint.ATTN_Q));
        int producer = c.kvProducerOf(l);
        float[] k = values.get(HookPoint.layer(producer, HookPoint.ATTN_K));
        float[] v = values.get(HookPoint.layer(producer, HookPoint.ATTN_V));
        int H = c.numAttentionHeads(), Hkv = c.numKeyValueHeads(), dh = c.headDim(), dv = c.valueHeadDim(), I = c.innerSize();
        int rows = Math.min(TRUST_ROWS, T);
        int[] sampled = new int[rows];
        for (int i = 0; i < rows; i++) sampled[i] = rows == T ? i : (int) ((long) i * (T - 1) / (rows - 1));
        double[][] perHead = new double[H][]; // {max |diff|, max |ref|}
        java.util.stream.IntStream.range(0, H).parallel().forEach(h -> {
            int kh = h / (H / Hkv);
            // all sampled rows of this head in one GEMM (one row per call cost a K copy and a GEMM set-up each)
            float[] maps = AttentionMaps.rowsAt(q, k, T, H, Hkv, dh, h, windows[l], metaCount, sampled);
            double diff = 0, ref = 0;
            double[] acc = new double[dv];
            for (int i = 0; i < rows; i++) {
                int t = sampled[i], off = i * T;
                Arrays.fill(acc, 0);
                for (int u = 0; u <= t; u++) {
                    double a = maps[off + u];
                    if (a == 0) continue; // masked
                    int vb = (u * Hkv + kh) * dv;
                    for (int j = 0; j < dv; j++) acc[j] += a * v[vb + j];
                }
                for (int j = 0; j < dv; j++) {
                    double r = attnOut[t * I + h * dv + j];
                    ref = Math.max(ref, Math.abs(r));
                    diff = Math.max(diff, Math.abs(acc[j] - r));
                }
            }
            perHead[h] = new double[]{diff, ref};
        });
        double maxDiff = 0, maxRef = 0;
        for (double[] d : perHead) {
            maxDiff = Math.max(maxDiff, d[0]);
            maxRef = Math.max(maxRef, d[1]);
        }
        boolean ok = maxDiff <= 1e-5 * Math.max(maxRef, 1e-30);
        return new LayerTrace.TrustCheck(ok ? LayerTrace.TrustCheck.Status.PASSED : LayerTrace.TrustCheck.Status.FAILED, rows * H, maxDiff, maxRef);
    }
}
