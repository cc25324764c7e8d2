package dev.hymba.workbench.views.compare;

import dev.hymba.core.analysis.RunComparison;
import dev.hymba.workbench.charts.Figure;
import dev.hymba.workbench.charts.MetricCharts;
import dev.hymba.workbench.run.AttentionMap;
import dev.hymba.workbench.run.Matrix;
import dev.hymba.workbench.run.RunData;
import dev.hymba.workbench.views.sinks.SinksViewModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * Baseline vs ablated run: attention difference of one head, per-token KL and loss change (computed by the core's
 * {@link RunComparison}), top-1 changes, and region-mass deltas per layer.
 */
public final class CompareViewModel {
    private CompareViewModel() {}

    /** Why two runs cannot be compared position by position, or empty when they can. */
    public static Optional<String> incomparable(RunData base, RunData ablated) {
        if (base.length() != ablated.length())
            return Optional.of("The runs have different lengths (" + base.length() + " vs " + ablated.length()
                    + " positions, e.g. meta tokens dropped): position-wise differences are not defined.");
        if (!base.provenance().tokenIds().equals(ablated.provenance().tokenIds()))
            return Optional.of("The runs saw different tokens.");
        return Optional.empty();
    }

    /** ablated − baseline, cell by cell. */
    public static AttentionMap difference(AttentionMap base, AttentionMap ablated) {
        if (base.queries() != ablated.queries() || base.keys() != ablated.keys())
            throw new IllegalArgumentException("maps differ in shape: " + base.queries() + "x" + base.keys() + " vs "
                    + ablated.queries() + "x" + ablated.keys());
        float[] d = new float[base.values().length];
        for (int i = 0; i < d.length; i++) d[i] = ablated.values()[i] - base.values()[i];
        return new AttentionMap(base.queries(), base.keys(), d);
    }

    /** Per-token figures: [0] KL(base ‖ ablated), [1] Δ next-token loss; empty when either run has no logits. */
    public static Optional<double[][]> tokenDeltas(RunData base, RunData ablated) {
        Optional<Matrix> a = base.logits(), b = ablated.logits();
        if (a.isEmpty() || b.isEmpty()) return Optional.empty();
        int rows = a.get().rows(), vocab = a.get().cols();
        int[] ids = base.provenance().tokenIds().stream().mapToInt(Integer::intValue).toArray();
        double[] kl = RunComparison.klDivergence(a.get().values(), b.get().values(), rows, vocab);
        double[] dnll = RunComparison.nllDelta(a.get().values(), b.get().values(), rows, vocab, ids);
        return Optional.of(new double[][] {kl, dnll});
    }

    /** Positions (prompt token index) whose most likely next token changed. */
    public static List<Integer> top1Changes(RunData base, RunData ablated) {
        Optional<Matrix> a = base.logits(), b = ablated.logits();
        if (a.isEmpty() || b.isEmpty()) return List.of();
        List<Integer> out = new ArrayList<>();
        for (RunComparison.TopK t : RunComparison.topKChanges(a.get().values(), b.get().values(), a.get().rows(), a.get().cols(), 5))
            if (t.top1Changed()) out.add(t.position());
        return out;
    }

    /** values[region][layer] = ablated − baseline region masses (mean over heads). */
    public static double[][] regionDeltas(RunData base, RunData ablated) {
        double[][] a = SinksViewModel.regionMassesPerLayer(base), b = SinksViewModel.regionMassesPerLayer(ablated);
        double[][] d = new double[a.length][a[0].length];
        for (int r = 0; r < a.length; r++) for (int l = 0; l < a[r].length; l++) d[r][l] = b[r][l] - a[r][l];
        return d;
    }

    public static Figure regionDeltaFigure(RunData base, RunData ablated) {
        List<String> layers = IntStream.range(0, base.layers().size()).mapToObj(Integer::toString).toList();
        return MetricCharts.bars("region-mass-deltas", "Region mass change (ablated \u2212 baseline)", "Layer", "\u0394 mass",
                layers, SinksViewModel.REGIONS, regionDeltas(base, ablated));
    }

    public static Optional<Figure> tokenDeltaFigure(RunData base, RunData ablated) {
        return tokenDeltas(base, ablated).map(d -> {
            double[] x = IntStream.range(0, d[0].length).asDoubleStream().toArray();
            double[] dnll = new double[d[0].length];
            System.arraycopy(d[1], 0, dnll, 0, d[1].length); // the last position has no next token
            dnll[dnll.length - 1] = Double.NaN;
            return MetricCharts.lines("token-deltas", "Per-token KL(baseline \u2016 ablated) and next-token loss change",
                    "Prompt token", "nats", x, List.of("KL", "\u0394 loss"), new double[][] {d[0], dnll});
        });
    }
}
