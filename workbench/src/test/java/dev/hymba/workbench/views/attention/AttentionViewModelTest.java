package dev.hymba.workbench.views.attention;

import dev.hymba.workbench.charts.ColorScale;
import dev.hymba.workbench.charts.HeatmapRegions;
import dev.hymba.workbench.run.AttentionMetrics;
import dev.hymba.workbench.run.HeadMetric;
import dev.hymba.workbench.run.InMemoryRunData;
import dev.hymba.workbench.run.SyntheticRuns;
import dev.hymba.workbench.views.TestSessions;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class AttentionViewModelTest {
    private final InMemoryRunData run = SyntheticRuns.run(4, 20, 6, 3, 8, 2);
    private final AttentionViewModel vm = new AttentionViewModel(TestSessions.showing(run).runProperty());

    @Test
    void selectionIsClampedAndTitleDescribesTheLayer() {
        vm.select(9, -2);
        assertThat(vm.layerProperty().get()).isEqualTo(5);
        assertThat(vm.headProperty().get()).isZero();
        vm.select(1, 2);
        assertThat(vm.title()).isEqualTo("Layer 1, head 2 (local, window 8)");
        assertThat(vm.regions()).isEqualTo(new HeatmapRegions(4, 4, 8));
        vm.select(0, 0);
        assertThat(vm.regions().window()).isZero();
    }

    @Test
    void mapsComeFromTheRunAndAreCached() {
        vm.select(2, 1);
        assertThat(vm.currentMap()).isSameAs(run.attention(2, 1));
        assertThat(vm.map(2, 1)).isSameAs(vm.currentMap());
        assertThat(vm.tokenLabels()).startsWith("m0", "m1", "m2", "m3", "<s>", "\u2423w0");
    }

    @Test
    void overviewHoldsTheChosenMetricForEveryHead() {
        vm.metricProperty().set(HeadMetric.BOS_MASS);
        double[][] o = vm.overview();
        assertThat(o).hasDimensions(6, 3);
        assertThat(o[3][2]).isCloseTo(AttentionMetrics.regionMasses(run.attention(3, 2), 4, 4).bos(), within(1e-12));
    }

    @Test
    void settingsRoundTripAndBadValuesAreIgnored() {
        vm.select(4, 1);
        vm.scaleProperty().set(ColorScale.Kind.LOG);
        Map<String, String> s = vm.settings();
        AttentionViewModel other = new AttentionViewModel(TestSessions.showing(run).runProperty());
        other.applySettings(s);
        assertThat(other.settings()).isEqualTo(s);
        other.applySettings(Map.of("colorScale", "purple", "layer", "x"));
        assertThat(other.settings()).isEqualTo(s);
    }
}
