package dev.hymba.workbench.views.ssm;

import dev.hymba.workbench.charts.Figure;
import dev.hymba.workbench.charts.MetricCharts;
import dev.hymba.workbench.run.AttentionMap;
import dev.hymba.workbench.run.Matrix;
import dev.hymba.workbench.run.RunData;
import dev.hymba.workbench.run.TokenInfo;

import java.util.List;
import java.util.stream.IntStream;

/**
 * SSM state magnitudes of one layer (position x channel, or averaged over head-sized channel blocks) and the mean
 * step size Δ per position.
 */
public final class SsmViewModel {
    private SsmViewModel() {}

    /**
     * State norms as a heatmap matrix; with {@code blocks > 0} the I channels are averaged in {@code blocks} equal
     * blocks (block b = channels b·I/blocks … (b+1)·I/blocks − 1, the span of attention head b).
     */
    public static AttentionMap stateMatrix(Matrix norms, int blocks) {
        if (blocks <= 0) return new AttentionMap(norms.rows(), norms.cols(), norms.values());
        if (norms.cols() % blocks != 0)
            throw new IllegalArgumentException(norms.cols() + " channels do not split into " + blocks + " equal blocks");
        int w = norms.cols() / blocks;
        float[] v = new float[norms.rows() * blocks];
        for (int t = 0; t < norms.rows(); t++)
            for (int b = 0; b < blocks; b++) {
                double s = 0;
                for (int c = b * w; c < (b + 1) * w; c++) s += norms.get(t, c);
                v[t * blocks + b] = (float) (s / w);
            }
        return new AttentionMap(norms.rows(), blocks, v);
    }

    public static List<String> columnLabels(int cols, boolean blocks) {
        return IntStream.range(0, cols).mapToObj(c -> blocks ? "block " + c : "ch " + c).toList();
    }

    public static List<String> rowLabels(RunData run) { return run.tokens().stream().map(TokenInfo::label).toList(); }

    /** Mean Δ over channels at each position. */
    public static double[] meanDelta(Matrix delta) {
        double[] m = new double[delta.rows()];
        for (int t = 0; t < delta.rows(); t++) {
            double s = 0;
            for (int c = 0; c < delta.cols(); c++) s += delta.get(t, c);
            m[t] = s / delta.cols();
        }
        return m;
    }

    public static Figure deltaFigure(RunData run, int layer) {
        Matrix d = run.ssmDelta(layer).orElseThrow(() -> new IllegalStateException("layer " + layer + ": no \u0394 in this run"));
        double[] x = IntStream.range(0, d.rows()).asDoubleStream().toArray();
        return MetricCharts.lines("ssm-delta-L" + layer, "Layer " + layer + ": mean step size \u0394 per position", "Position",
                "mean \u0394", x, List.of("mean \u0394"), new double[][] {meanDelta(d)});
    }
}
