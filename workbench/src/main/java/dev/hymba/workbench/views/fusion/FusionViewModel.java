package dev.hymba.workbench.views.fusion;

import dev.hymba.workbench.charts.BoxSummary;
import dev.hymba.workbench.charts.Figure;
import dev.hymba.workbench.charts.MetricCharts;
import dev.hymba.workbench.run.BranchNorms;
import dev.hymba.workbench.run.FusionScales;
import dev.hymba.workbench.run.RunData;
import dev.hymba.workbench.run.TokenInfo;
import dev.hymba.workbench.run.TokenKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * How each layer weighs its two branches: mean ‖attention output‖ and ‖SSM output‖ over the prompt tokens per layer
 * (paper Fig. 12), the mean SSM share ρ per layer, and ρ per token for one layer.
 */
public final class FusionViewModel {
    private FusionViewModel() {}

    /** Prompt positions (not meta tokens), where the per-layer means are taken. */
    static int[] promptPositions(RunData run) {
        return run.tokens().stream().filter(t -> t.kind() != TokenKind.META).mapToInt(TokenInfo::position).toArray();
    }

    /** [0] mean ‖attn out‖, [1] mean ‖ssm out‖, [2] mean SSM share, per layer; NaN where not recorded. */
    public static double[][] perLayer(RunData run) {
        int n = run.layers().size();
        int[] pos = promptPositions(run);
        double[][] v = new double[3][n];
        for (int l = 0; l < n; l++) {
            Optional<BranchNorms> b = run.branchNorms(l);
            v[0][l] = b.map(x -> mean(x.attentionOut(), pos)).orElse(Double.NaN);
            v[1][l] = b.map(x -> mean(x.ssmOut(), pos)).orElse(Double.NaN);
            v[2][l] = b.map(x -> mean(x.ssmShare(), pos)).orElse(Double.NaN);
        }
        return v;
    }

    static double mean(float[] a, int[] pos) {
        if (a == null) return Double.NaN; // the branch was off in this run
        double s = 0;
        for (int p : pos) s += a[p];
        return s / pos.length;
    }

    public static boolean available(RunData run) {
        return IntStream.range(0, run.layers().size()).anyMatch(l -> run.branchNorms(l).isPresent());
    }

    public static Figure magnitudesFigure(RunData run) {
        double[][] v = perLayer(run);
        return MetricCharts.colours(MetricCharts.integerX(MetricCharts.lines("branch-magnitudes",
                "Attention vs SSM output magnitude per layer (mean over prompt tokens)", "Layer", "L2 norm", layers(run),
                List.of("attention output", "SSM output"), new double[][] {v[0], v[1]})), MetricCharts.ATTENTION, MetricCharts.SSM);
    }

    public static Figure shareFigure(RunData run) {
        double[][] v = perLayer(run);
        return MetricCharts.colours(MetricCharts.integerX(MetricCharts.lines("ssm-share",
                "SSM share of the fused output per layer (mean \u03c1 over prompt tokens)", "Layer", "\u03c1 = SSM / (attention + SSM)",
                layers(run), List.of("SSM share"), new double[][] {v[2]})), MetricCharts.SSM);
    }

    /** ρ per prompt token of one layer, as bars labelled by the tokens. */
    public static Figure tokenShareFigure(RunData run, int layer) {
        BranchNorms b = run.branchNorms(layer).orElseThrow(() -> new IllegalStateException("layer " + layer + ": no branch norms in this run"));
        int[] pos = promptPositions(run);
        List<String> labels = new ArrayList<>();
        double[] share = new double[pos.length];
        for (int i = 0; i < pos.length; i++) {
            labels.add(pos[i] + " " + run.tokens().get(pos[i]).label());
            share[i] = b.ssmShare()[pos[i]];
        }
        return MetricCharts.colours(MetricCharts.thinnedCategoryLabels(MetricCharts.bars("token-ssm-share-L" + layer,
                "Layer " + layer + ": SSM share per token", "Token", "\u03c1", labels, List.of("SSM share"), new double[][] {share})),
                MetricCharts.SSM);
    }

    public static boolean scalesAvailable(RunData run) {
        return IntStream.range(0, run.layers().size()).anyMatch(l -> run.fusionScales(l).isPresent());
    }

    /** [0] = β₁ summaries, [1] = β₂ summaries, per layer that has scales (layers without them are left out). */
    public static BoxSummary[][] scaleSummaries(RunData run, List<String> layerLabels) {
        List<BoxSummary> b1 = new ArrayList<>(), b2 = new ArrayList<>();
        for (int l = 0; l < run.layers().size(); l++) {
            Optional<FusionScales> s = run.fusionScales(l);
            if (s.isEmpty()) continue;
            layerLabels.add(Integer.toString(l));
            b1.add(BoxSummary.of(s.get().beta1()));
            b2.add(BoxSummary.of(s.get().beta2()));
        }
        return new BoxSummary[][] {b1.toArray(BoxSummary[]::new), b2.toArray(BoxSummary[]::new)};
    }

    /** The distribution of β₁ and β₂ over the channels of each layer, as box plots side by side. */
    public static Figure scaleBoxesFigure(RunData run) {
        List<String> labels = new ArrayList<>();
        BoxSummary[][] b = scaleSummaries(run, labels);
        return MetricCharts.colours(MetricCharts.boxes("fusion-scales",
                "Fusion scales per layer: distribution of \u03b2\u2081 and \u03b2\u2082 over channels", "Layer", "scale", labels,
                List.of("\u03b2\u2081 (attention)", "\u03b2\u2082 (SSM)"), b), MetricCharts.ATTENTION, MetricCharts.SSM);
    }

    /** β₁ against β₂, one point per channel of one layer: channels above the diagonal favour the SSM stream. */
    public static Figure scaleScatterFigure(RunData run, int layer) {
        FusionScales s = run.fusionScales(layer).orElseThrow(() -> new IllegalStateException("layer " + layer + ": no fusion scales in this run"));
        float[] a = s.beta1(), m = s.beta2();
        double[] x = new double[a.length], y = new double[m.length];
        for (int c = 0; c < a.length; c++) {
            x[c] = a[c];
            y[c] = m[c];
        }
        return MetricCharts.scatter("fusion-scales-L" + layer, "Layer " + layer + ": \u03b2\u2081 vs \u03b2\u2082 per channel (" + a.length + " channels)",
                "\u03b2\u2081 (attention stream)", "\u03b2\u2082 (SSM stream)", x, List.of("channel"), new double[][] {y});
    }

    private static double[] layers(RunData run) { return IntStream.range(0, run.layers().size()).asDoubleStream().toArray(); }
}
