package dev.hymba.workbench.views.fusion;

import dev.hymba.workbench.run.BranchNorms;
import dev.hymba.workbench.run.InMemoryRunData;
import dev.hymba.workbench.run.SyntheticRuns;
import dev.hymba.workbench.views.RichRun;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class FusionViewModelTest {
    // 2 meta tokens + BOS + 2 prompt tokens = 5 positions; means are over positions 2..4 (BOS and prompt).
    private final InMemoryRunData base = SyntheticRuns.run(2, 2, 2, 1, 4, 1);
    private final RichRun run = new RichRun(base, Map.of(
            0, new BranchNorms(new float[] {100, 100, 1, 2, 3}, new float[] {100, 100, 4, 5, 6}, new float[] {.9f, .9f, .2f, .4f, .6f}),
            1, new BranchNorms(null, new float[] {0, 0, 3, 3, 3}, new float[] {1, 1, 1, 1, 1})), Map.of(), Map.of(), null);

    @Test
    void perLayerMeansSkipMetaTokensAndMarkOffBranchesNaN() {
        double[][] v = FusionViewModel.perLayer(run);
        assertThat(v[0][0]).isCloseTo(2, within(1e-9));      // (1 + 2 + 3) / 3
        assertThat(v[1][0]).isCloseTo(5, within(1e-9));      // (4 + 5 + 6) / 3
        assertThat(v[2][0]).isCloseTo(0.4, within(1e-6));    // (.2 + .4 + .6) / 3
        assertThat(v[0][1]).isNaN();                          // attention branch off in layer 1
        assertThat(v[1][1]).isCloseTo(3, within(1e-9));
    }

    @Test
    void tokenShareFigureHasOneBarPerPromptPosition() throws Exception {
        java.io.StringWriter w = new java.io.StringWriter();
        FusionViewModel.tokenShareFigure(run, 0).data().writeCsv(w);
        assertThat(w.toString().split("\n")).hasSize(1 + 3);
        assertThat(FusionViewModel.available(run)).isTrue();
        assertThat(FusionViewModel.available(base)).isFalse();
    }

    @Test
    void layerAxesTickOnWholeLayersAndTheBranchesHaveDistinctColours() {
        var m = FusionViewModel.magnitudesFigure(run).chart().getXYPlot();
        var units = ((org.jfree.chart.axis.NumberAxis) m.getDomainAxis()).getStandardTickUnits();
        assertThat(units.getCeilingTickUnit(0.5).getSize()).isEqualTo(1.0); // no 0.5 steps between layers
        assertThat(m.getRenderer().getSeriesPaint(0)).isEqualTo(dev.hymba.workbench.charts.MetricCharts.ATTENTION);
        assertThat(m.getRenderer().getSeriesPaint(1)).isEqualTo(dev.hymba.workbench.charts.MetricCharts.SSM);
        var units2 = ((org.jfree.chart.axis.NumberAxis) FusionViewModel.shareFigure(run).chart().getXYPlot().getDomainAxis()).getStandardTickUnits();
        assertThat(units2.getCeilingTickUnit(0.3).getSize()).isEqualTo(1.0);
    }

    @Test
    void tokenBarsAreLabelledWithThePiecesThinnedToFit() {
        // 2 meta + BOS + 199 prompt tokens at 600 px: not every label fits, every n-th shows its piece
        var big = SyntheticRuns.run(2, 199, 1, 1, 4, 1);
        float[] share = new float[big.length()];
        var r = new RichRun(big, Map.of(0, new BranchNorms(share, share, share)), Map.of(), Map.of(), null);
        var chart = FusionViewModel.tokenShareFigure(r, 0).chart();
        var axis = (dev.hymba.workbench.charts.ThinnedCategoryAxis) chart.getCategoryPlot().getDomainAxis();
        chart.createBufferedImage(600, 400);
        assertThat(axis.step()).isGreaterThan(1).isLessThan(20);
        chart.createBufferedImage(6000, 400);
        assertThat(axis.step()).isEqualTo(1);
        assertThat(chart.getCategoryPlot().getCategories().get(1).toString()).isEqualTo("3 " + big.tokens().get(3).label());
    }

    /** A run carrying β scales for layer 0 only (layer 1 unknown). */
    private static dev.hymba.workbench.run.RunData withScales(dev.hymba.workbench.run.RunData base) {
        dev.hymba.workbench.run.FusionScales s0 = new dev.hymba.workbench.run.FusionScales(
                new float[] {1, 2, 3, 4, 10}, new float[] {0.5f, 0.5f, 0.5f, 0.5f, -1});
        return new Scaled(base, s0);
    }

    private record Scaled(dev.hymba.workbench.run.RunData base, dev.hymba.workbench.run.FusionScales layer0) implements dev.hymba.workbench.run.RunData {
        @Override public java.util.Optional<dev.hymba.workbench.run.FusionScales> fusionScales(int l) {
            return l == 0 ? java.util.Optional.of(layer0) : java.util.Optional.empty();
        }
        @Override public dev.hymba.workbench.run.RunProvenance provenance() { return base.provenance(); }
        @Override public java.util.List<dev.hymba.workbench.run.TokenInfo> tokens() { return base.tokens(); }
        @Override public java.util.List<dev.hymba.workbench.run.LayerInfo> layers() { return base.layers(); }
        @Override public int attentionHeads() { return base.attentionHeads(); }
        @Override public dev.hymba.workbench.run.AttentionMap attention(int l, int h) { return base.attention(l, h); }
        @Override public double headMetric(dev.hymba.workbench.run.HeadMetric m, int l, int h) { return base.headMetric(m, l, h); }
        @Override public dev.hymba.workbench.run.RegionMasses regionMasses(int l, int h) { return base.regionMasses(l, h); }
    }

    @Test
    void fusionScaleBoxesSummariseEachLayerAndTheScatterHasOnePointPerChannel() throws Exception {
        var r = withScales(base);
        assertThat(FusionViewModel.scalesAvailable(r)).isTrue();
        assertThat(FusionViewModel.scalesAvailable(base)).isFalse();
        java.util.List<String> labels = new java.util.ArrayList<>();
        var b = FusionViewModel.scaleSummaries(r, labels);
        assertThat(labels).containsExactly("0");
        // β1 = 1,2,3,4,10: quartiles at positions 1, 2, 3 of the sorted values
        assertThat(b[0][0]).isEqualTo(new dev.hymba.workbench.charts.BoxSummary(1, 2, 3, 4, 10, 4, 5));
        assertThat(b[1][0].min()).isEqualTo(-1);
        assertThat(b[1][0].median()).isEqualTo(0.5);
        assertThat(b[1][0].mean()).isCloseTo(0.2, within(1e-7));
        java.io.StringWriter w = new java.io.StringWriter();
        FusionViewModel.scaleBoxesFigure(r).data().writeCsv(w);
        assertThat(w.toString().split("\n")).containsExactly("Layer,series,min,q1,median,q3,max,mean",
                "0,\u03b2\u2081 (attention),1.0,2.0,3.0,4.0,10.0,4.0", "0,\u03b2\u2082 (SSM),-1.0,0.5,0.5,0.5,0.5,0.2");
        java.io.StringWriter sc = new java.io.StringWriter();
        FusionViewModel.scaleScatterFigure(r, 0).data().writeCsv(sc);
        assertThat(sc.toString().split("\n")).hasSize(1 + 5).contains("10.0,-1.0");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FusionViewModel.scaleScatterFigure(r, 1)).hasMessageContaining("layer 1");
    }

    @Test
    void quantilesInterpolateBetweenOrderStatistics() {
        var s = dev.hymba.workbench.charts.BoxSummary.of(new float[] {4, 1, 3, 2});
        assertThat(s.q1()).isCloseTo(1.75, within(1e-12));   // position 0.75
        assertThat(s.median()).isCloseTo(2.5, within(1e-12));
        assertThat(s.q3()).isCloseTo(3.25, within(1e-12));
    }
}
