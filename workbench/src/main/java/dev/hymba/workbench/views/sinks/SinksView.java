package dev.hymba.workbench.views.sinks;

import dev.hymba.workbench.charts.Figure;
import dev.hymba.workbench.run.RunData;
import dev.hymba.workbench.views.View;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.control.SplitPane;
import org.jfree.chart.fx.ChartViewer;

import java.util.List;

/** Region masses per layer (stacked bars) above the first-token sink score per layer. */
public final class SinksView implements View {
    private final ReadOnlyObjectProperty<RunData> run;
    private final ChartViewer regions = new ChartViewer(null);
    private final ChartViewer score = new ChartViewer(null);
    private final SplitPane root = new SplitPane(regions, score);
    private List<Figure> figures = List.of();
    private boolean dirty = true;

    public SinksView(ReadOnlyObjectProperty<RunData> run) {
        this.run = run;
        root.setOrientation(Orientation.VERTICAL);
        run.addListener((o, a, b) -> invalidate());
        root.sceneProperty().addListener((o, a, b) -> { if (b != null && dirty) update(); });
        invalidate();
    }

    /**
     * Marks the figures stale and rebuilds them now only when the view is on screen: hidden views must not slow
     * down a layer switch or an ablation re-run; they rebuild when shown or exported.
     */
    private void invalidate() {
        dirty = true;
        if (root.getScene() != null) update();
    }

    private void update() {
        dirty = false;
        RunData r = run.get();
        if (r == null) return;
        Figure f1 = SinksViewModel.regionFigure(r), f2 = SinksViewModel.sinkScoreFigure(r);
        regions.setChart(f1.chart());
        score.setChart(f2.chart());
        figures = List.of(f1, f2);
    }

    @Override public String id() { return "sinks"; }

    @Override public String title() { return "Attention sinks"; }

    @Override public Node node() { return root; }

    @Override
    public List<Figure> figures() {
        if (dirty) update();
        return figures;
    }
}
