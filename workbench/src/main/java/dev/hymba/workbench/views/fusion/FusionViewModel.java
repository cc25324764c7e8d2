package dev.hymba.workbench.views.fusion;

import dev.hymba.workbench.charts.Figure;
import dev.hymba.workbench.charts.MetricCharts;
import dev.hymba.workbench.run.BranchNorms;
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
        return MetricCharts.lines("branch-magnitudes", "Attention vs SSM output magnitude per layer (mean over prompt tokens)",
                "Layer", "L2 norm", layers(run), List.of("attention output", "SSM output"), new double[][] {v[0], v[1]});
    }

    public static Figure shareFigure(RunData run) {
        double[][] v = perLayer(run);
        return MetricCharts.lines("ssm-share", "SSM share of the fused output per layer (mean \u03c1 over prompt tokens)",
                "Layer", "\u03c1 = SSM / (attention + SSM)", layers(run), List.of("SSM share"), new double[][] {v[2]});
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
        return MetricCharts.bars("token-ssm-share-L" + layer, "Layer " + layer + ": SSM share per token", "Token", "\u03c1",
                labels, List.of("SSM share"), new double[][] {share});
    }

    private static double[] layers(RunData run) { return IntStream.range(0, run.layers().size()).asDoubleStream().toArray(); }
}
