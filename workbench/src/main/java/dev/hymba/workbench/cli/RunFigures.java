package dev.hymba.workbench.cli;

import dev.hymba.core.model.HymbaModel;
import dev.hymba.core.model.LayerWeights;
import dev.hymba.core.trace.HeadSummary;
import dev.hymba.core.trace.LayerTrace;
import dev.hymba.core.trace.Trace;
import dev.hymba.core.trace.TraceComparison;
import dev.hymba.workbench.charts.AttentionHeatmap;
import dev.hymba.workbench.charts.Figure;
import dev.hymba.workbench.charts.HeatmapRegions;
import dev.hymba.workbench.charts.MetricCharts;
import dev.hymba.workbench.run.TraceRunData;
import dev.hymba.workbench.run.TokenInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The figures of each view, built from a trace without a display (for {@code ./hymba figure} and {@code report}).
 * Definitions follow analyses.md: region masses C4, meta received mass C4, branch magnitudes and β (paper Fig. 12).
 */
public final class RunFigures {
    public static final List<String> VIEWS = List.of("attention", "sinks", "ssm", "fusion", "meta", "compare");

    private RunFigures() {}

    /** Attention map of one (layer, head) with meta, BOS and window regions shaded. */
    public static Figure attention(TraceRunData run, int layer, int head) {
        Trace t = run.trace();
        LayerTrace lt = t.layers().get(layer);
        HeatmapRegions regions = new HeatmapRegions(t.metaCount(), t.bosPosition(), lt.window() == Integer.MAX_VALUE ? 0 : lt.window());
        List<String> labels = run.tokens().stream().map(TokenInfo::label).toList();
        AttentionHeatmap h = new AttentionHeatmap("Layer " + layer + " head " + head + (lt.window() == Integer.MAX_VALUE ? " (global)" : " (window " + lt.window() + ")"),
                run.attention(layer, head), labels, regions);
        return Figure.of("attention_L" + layer + "_H" + head, h);
    }

    /** Meta / BOS / Self / Cross attention mass per layer, averaged over heads (paper Fig. 7). */
    public static Figure sinks(Trace t) {
        int n = t.layers().size();
        double[][] v = new double[4][n];
        List<ToDoubleFunction<HeadSummary>> parts = List.of(HeadSummary::metaMass, HeadSummary::bosMass, HeadSummary::selfMass, HeadSummary::crossMass);
        for (int l = 0; l < n; l++) for (int p = 0; p < 4; p++) v[p][l] = meanOverHeads(t.layers().get(l), parts.get(p));
        return MetricCharts.stackedBars("sinks_region_mass", "Attention mass by region (mean over heads)", "layer", "mass",
                layerLabels(n), List.of("Meta", "BOS", "Self", "Cross"), v);
    }

    /** Attention entropy per layer with and without the meta prefix (two traces of the same prompt). */
    public static Figure entropy(Trace withMeta, Trace withoutMeta) {
        int n = withMeta.layers().size();
        double[][] v = new double[2][n];
        for (int l = 0; l < n; l++) {
            v[0][l] = meanOverHeads(withMeta.layers().get(l), HeadSummary::entropy);
            v[1][l] = meanOverHeads(withoutMeta.layers().get(l), HeadSummary::entropy);
        }
        return MetricCharts.bars("entropy_meta", "Normalised attention entropy (mean over heads)", "layer", "entropy",
                layerLabels(n), List.of("meta tokens as trained", "meta tokens dropped (out of distribution)"), v);
    }

    /** Mean SSM state norm and Δ per position in one layer. */
    public static Figure ssm(Trace t, int layer) {
        LayerTrace lt = t.layers().get(layer);
        int T = t.positions(), I = t.config().innerSize();
        double[] x = new double[T];
        double[][] y = new double[2][T];
        for (int p = 0; p < T; p++) {
            x[p] = p;
            for (int c = 0; c < I; c++) {
                y[0][p] += lt.stateNorms()[p * I + c] / I;
                y[1][p] += lt.delta()[p * I + c] / I;
            }
        }
        return MetricCharts.lines("ssm_L" + layer, "Layer " + layer + ": SSM state norm and Δ (mean over channels)", "position", "value", x,
                List.of("mean ‖s_t‖", "mean Δ"), y);
    }

    /** Attention vs SSM output magnitudes and mean |β₁|, |β₂| per layer (paper Fig. 12). */
    public static List<Figure> fusion(Trace t, HymbaModel model) {
        int n = t.layers().size();
        double[] x = new double[n];
        double[][] mags = new double[2][n], betas = new double[2][n];
        for (int l = 0; l < n; l++) {
            x[l] = l;
            LayerTrace lt = t.layers().get(l);
            mags[0][l] = mean(lt.attnOutNorm());
            mags[1][l] = mean(lt.ssmOutNorm());
            LayerWeights w = model.weights().layers().get(l);
            betas[0][l] = meanAbs(w.beta1());
            betas[1][l] = meanAbs(w.beta2());
        }
        return List.of(
                MetricCharts.lines("fusion_magnitudes", "Branch output magnitude ‖·‖ before the pre-average norms", "layer", "mean norm", x,
                        List.of("attention", "SSM"), mags),
                MetricCharts.lines("fusion_beta", "Fusion scales: mean |β₁| (attention), mean |β₂| (SSM)", "layer", "mean |β|", x,
                        List.of("β₁ attention", "β₂ SSM"), betas));
    }

    /** Attention received by each meta token in one layer, averaged over heads and real queries (paper Fig. 5). */
    public static Figure meta(Trace t, int layer, String series) {
        return meta(List.of(t), layer, List.of(series));
    }

    public static Figure meta(List<Trace> traces, int layer, List<String> series) {
        int M = traces.get(0).metaCount();
        if (M == 0) throw new IllegalArgumentException("this run has no meta tokens");
        double[][] v = new double[traces.size()][M];
        for (int s = 0; s < traces.size(); s++) {
            List<HeadSummary> hs = traces.get(s).layers().get(layer).heads();
            for (HeadSummary h : hs) for (int k = 0; k < M; k++) v[s][k] += h.metaReceived()[k] / hs.size();
        }
        List<String> cats = new ArrayList<>();
        for (int k = 0; k < M; k++) cats.add(Integer.toString(k));
        return MetricCharts.bars("meta_received_L" + layer, "Layer " + layer + ": attention received per meta token", "meta token", "mass", cats, series, v);
    }

    /** Per-token KL divergence and loss change between a baseline and an ablated run. */
    public static Figure compare(TraceComparison c) {
        int L = c.klPerToken().length;
        double[] x = new double[L];
        double[][] y = new double[2][L];
        for (int t = 0; t < L; t++) {
            x[t] = t;
            y[0][t] = c.klPerToken()[t];
            y[1][t] = t < c.nllA().length ? c.nllB()[t] - c.nllA()[t] : 0;
        }
        return MetricCharts.lines("compare", "Ablated vs baseline per token", "token", "nats", x, List.of("KL(baseline‖ablated)", "Δ next-token loss"), y);
    }

    private static double meanOverHeads(LayerTrace lt, ToDoubleFunction<HeadSummary> f) {
        return lt.heads().isEmpty() ? 0 : lt.heads().stream().mapToDouble(f).average().orElse(0);
    }

    private static List<String> layerLabels(int n) {
        List<String> out = new ArrayList<>();
        for (int l = 0; l < n; l++) out.add(Integer.toString(l));
        return out;
    }

    private static double mean(float[] a) {
        if (a == null || a.length == 0) return 0;
        double s = 0;
        for (float v : a) s += v;
        return s / a.length;
    }

    private static double meanAbs(float[] a) {
        double s = 0;
        for (float v : a) s += Math.abs(v);
        return s / a.length;
    }
}
