package dev.hymba.core.trace;

import dev.hymba.core.analysis.RunComparison;

import java.util.*;
import java.util.function.ToDoubleFunction;

/**
 * A/B comparison of two traces of the same tokens (issue 3): per-token KL divergence and next-token loss change,
 * top-k changes, and per-layer / per-head deltas (B − A) of every per-head statistic and per-layer branch measure.
 */
public record TraceComparison(double[] klPerToken, double[] nllA, double[] nllB, List<RunComparison.TopK> topK,
                              Map<String, double[][]> headDeltas, Map<String, double[]> layerDeltas) {

    /** Per-head statistics compared, by name. */
    public static final Map<String, ToDoubleFunction<HeadSummary>> HEAD_METRICS = headMetrics();

    private static Map<String, ToDoubleFunction<HeadSummary>> headMetrics() {
        Map<String, ToDoubleFunction<HeadSummary>> m = new LinkedHashMap<>();
        m.put("meta_mass", HeadSummary::metaMass);
        m.put("bos_mass", HeadSummary::bosMass);
        m.put("self_mass", HeadSummary::selfMass);
        m.put("cross_mass", HeadSummary::crossMass);
        m.put("entropy", HeadSummary::entropy);
        m.put("first_token_score", HeadSummary::firstTokenScore);
        return Collections.unmodifiableMap(m);
    }

    public static TraceComparison of(Trace a, Trace b, int k) {
        if (!Arrays.equals(a.ids(), b.ids())) throw new IllegalArgumentException("the two runs must be on the same tokens");
        int L = a.ids().length, V = a.config().vocabSize();
        float[] la = a.logits().logits(), lb = b.logits().logits();
        double[] kl = RunComparison.klDivergence(la, lb, L, V);
        double[] nllA = RunComparison.nextTokenNll(la, L, V, a.ids());
        double[] nllB = RunComparison.nextTokenNll(lb, L, V, b.ids());
        List<RunComparison.TopK> top = RunComparison.topKChanges(la, lb, L, V, k);
        int n = a.layers().size(), H = a.config().numAttentionHeads();
        Map<String, double[][]> heads = new LinkedHashMap<>();
        HEAD_METRICS.forEach((name, f) -> {
            double[][] d = new double[n][H];
            for (int l = 0; l < n; l++) {
                List<HeadSummary> ha = a.layers().get(l).heads(), hb = b.layers().get(l).heads();
                for (int h = 0; h < H; h++)
                    d[l][h] = ha.size() > h && hb.size() > h ? f.applyAsDouble(hb.get(h)) - f.applyAsDouble(ha.get(h)) : Double.NaN;
            }
            heads.put(name, d);
        });
        Map<String, double[]> layers = new LinkedHashMap<>();
        layers.put("branch_share_mean", layerDelta(a, b, lt -> mean(lt.branchShare())));
        layers.put("attn_out_norm_mean", layerDelta(a, b, lt -> mean(lt.attnOutNorm())));
        layers.put("ssm_out_norm_mean", layerDelta(a, b, lt -> mean(lt.ssmOutNorm())));
        return new TraceComparison(kl, nllA, nllB, top, heads, layers);
    }

    private static double[] layerDelta(Trace a, Trace b, ToDoubleFunction<LayerTrace> f) {
        double[] d = new double[a.layers().size()];
        for (int l = 0; l < d.length; l++) d[l] = f.applyAsDouble(b.layers().get(l)) - f.applyAsDouble(a.layers().get(l));
        return d;
    }

    private static double mean(float[] x) {
        if (x == null || x.length == 0) return Double.NaN;
        double s = 0;
        for (float v : x) s += v;
        return s / x.length;
    }

    public double meanKl() { return Arrays.stream(klPerToken).average().orElse(0); }

    /** Mean next-token loss change B − A (positive: B predicts the prompt worse). */
    public double meanNllDelta() {
        double s = 0;
        for (int i = 0; i < nllA.length; i++) s += nllB[i] - nllA[i];
        return nllA.length == 0 ? 0 : s / nllA.length;
    }

    public long top1Changes() { return topK.stream().filter(RunComparison.TopK::top1Changed).count(); }
}
