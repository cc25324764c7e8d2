package dev.hymba.workbench.views.sinks;

import dev.hymba.workbench.charts.Figure;
import dev.hymba.workbench.charts.MetricCharts;
import dev.hymba.workbench.run.HeadMetric;
import dev.hymba.workbench.run.RegionMasses;
import dev.hymba.workbench.run.RunData;

import java.util.List;
import java.util.stream.IntStream;

/**
 * Attention-sink summaries per layer: Meta / BOS / Self / Cross masses (mean over heads) as stacked bars, and the
 * first-token sink score (mean and max over heads) per layer.
 */
public final class SinksViewModel {
    public static final List<String> REGIONS = List.of("Meta", "BOS", "Self", "Cross");

    private SinksViewModel() {}

    /** values[region][layer], each the mean over heads. */
    public static double[][] regionMassesPerLayer(RunData run) {
        int layers = run.layers().size(), heads = run.attentionHeads();
        double[][] v = new double[4][layers];
        for (int l = 0; l < layers; l++) {
            for (int h = 0; h < heads; h++) {
                RegionMasses m = run.regionMasses(l, h);
                v[0][l] += m.meta() / heads;
                v[1][l] += m.bos() / heads;
                v[2][l] += m.self() / heads;
                v[3][l] += m.cross() / heads;
            }
        }
        return v;
    }

    /** [0] = mean over heads, [1] = max over heads, per layer. */
    public static double[][] sinkScorePerLayer(RunData run) {
        int layers = run.layers().size(), heads = run.attentionHeads();
        double[][] v = new double[2][layers];
        for (int l = 0; l < layers; l++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int h = 0; h < heads; h++) {
                double s = run.headMetric(HeadMetric.SINK_SCORE, l, h);
                sum += s;
                max = Math.max(max, s);
            }
            v[0][l] = sum / heads;
            v[1][l] = max;
        }
        return v;
    }

    public static Figure regionFigure(RunData run) {
        return MetricCharts.stackedBars("region-masses", "Attention mass by region (mean over heads)", "Layer",
                "Attention mass", layerLabels(run), REGIONS, regionMassesPerLayer(run));
    }

    public static Figure sinkScoreFigure(RunData run) {
        double[] x = IntStream.range(0, run.layers().size()).asDoubleStream().toArray();
        return MetricCharts.lines("sink-score", "First-token sink score per layer", "Layer", "Sink score",
                x, List.of("mean over heads", "max over heads"), sinkScorePerLayer(run));
    }

    private static List<String> layerLabels(RunData run) {
        return IntStream.range(0, run.layers().size()).mapToObj(Integer::toString).toList();
    }
}
