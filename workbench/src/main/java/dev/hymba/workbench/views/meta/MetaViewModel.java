package dev.hymba.workbench.views.meta;

import dev.hymba.workbench.charts.AttentionHeatmap;
import dev.hymba.workbench.charts.Figure;
import dev.hymba.workbench.charts.MetricCharts;
import dev.hymba.workbench.run.AttentionMap;
import dev.hymba.workbench.run.RunData;

import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * Meta tokens: the attention mass each meta token receives (analyses C4 r_k), per layer as a layer x meta-token map
 * (mean over heads) and for one layer as bars.
 */
public final class MetaViewModel {
    private MetaViewModel() {}

    /** [layer][meta token] mean over heads of r_k; empty when the run has no meta tokens or no statistics. */
    public static Optional<float[][]> receivedPerLayer(RunData run) {
        int m = run.metaCount(), heads = run.attentionHeads();
        if (m == 0) return Optional.empty();
        float[][] v = new float[run.layers().size()][m];
        boolean any = false;
        for (int l = 0; l < v.length; l++) {
            int counted = 0;
            for (int h = 0; h < heads; h++) {
                Optional<float[]> r = run.metaReceived(l, h);
                if (r.isEmpty()) continue;
                float[] x = r.get();
                if (x.length != m) throw new IllegalStateException("layer " + l + " head " + h + ": " + x.length + " meta masses for " + m + " meta tokens");
                for (int k = 0; k < m; k++) v[l][k] += x[k];
                counted++;
            }
            if (counted > 0) {
                any = true;
                for (int k = 0; k < m; k++) v[l][k] /= counted;
            }
        }
        return any ? Optional.of(v) : Optional.empty();
    }

    public static Figure mapFigure(RunData run, float[][] v) {
        int m = v[0].length;
        float[] flat = new float[v.length * m];
        for (int l = 0; l < v.length; l++) System.arraycopy(v[l], 0, flat, l * m, m);
        AttentionHeatmap h = AttentionHeatmap.matrix("Attention received by each meta token (mean over heads)",
                new AttentionMap(v.length, m, flat), IntStream.range(0, v.length).mapToObj(l -> "L" + l).toList(),
                IntStream.range(0, m).mapToObj(k -> "m" + k).toList(), "Layer", "Meta token", "received mass");
        return Figure.of("meta-received", h);
    }

    public static Figure layerFigure(float[][] v, int layer) {
        int m = v[layer].length;
        double[] y = new double[m];
        for (int k = 0; k < m; k++) y[k] = v[layer][k];
        return MetricCharts.bars("meta-received-L" + layer, "Layer " + layer + ": attention received per meta token",
                "Meta token", "mean over heads of r_k", IntStream.range(0, m).mapToObj(k -> "m" + k).toList(),
                List.of("received mass"), new double[][] {y});
    }
}
