package dev.hymba.workbench.views.fusion;

import dev.hymba.workbench.charts.Figure;
import dev.hymba.workbench.run.RunData;
import dev.hymba.workbench.views.View;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import org.jfree.chart.fx.ChartViewer;

import java.util.List;

/** Branch magnitudes and SSM share per layer, and the SSM share per token of a chosen layer. */
public final class FusionView implements View {
    private final ReadOnlyObjectProperty<RunData> run;
    private final BorderPane root = new BorderPane();
    private final ChartViewer magnitudes = new ChartViewer(null), share = new ChartViewer(null), tokens = new ChartViewer(null);
    private final ChartViewer scaleBoxes = new ChartViewer(null), scaleScatter = new ChartViewer(null);
    private final Label scaleStatus = new Label();
    private final Spinner<Integer> layer = new Spinner<>(0, 0, 0);
    private final Label status = new Label();
    private List<Figure> figures = List.of();
    private boolean dirty = true;

    public FusionView(ReadOnlyObjectProperty<RunData> run) {
        this.run = run;
        layer.setPrefWidth(80);
        GridPane grid = new GridPane();
        grid.add(magnitudes, 0, 0);
        grid.add(share, 1, 0);
        grid.add(tokens, 0, 1, 2, 1);
        for (ChartViewer v : List.of(magnitudes, share, tokens)) {
            GridPane.setHgrow(v, Priority.ALWAYS);
            GridPane.setVgrow(v, Priority.ALWAYS);
        }
        HBox top = new HBox(8, new Label("Layer (per-token share, \u03b2 scatter)"), layer, status);
        top.setPadding(new Insets(6));
        root.setTop(top);
        GridPane scales = new GridPane();
        scales.add(scaleStatus, 0, 0, 2, 1);
        scales.add(scaleBoxes, 0, 1);
        scales.add(scaleScatter, 1, 1);
        for (ChartViewer v : List.of(scaleBoxes, scaleScatter)) {
            GridPane.setHgrow(v, Priority.ALWAYS);
            GridPane.setVgrow(v, Priority.ALWAYS);
        }
        javafx.scene.control.Tab dynamic = new javafx.scene.control.Tab("Branch magnitudes and share", grid);
        javafx.scene.control.Tab fixed = new javafx.scene.control.Tab("Fusion scales \u03b2\u2081, \u03b2\u2082", scales);
        javafx.scene.control.TabPane tabs = new javafx.scene.control.TabPane(dynamic, fixed);
        tabs.setTabClosingPolicy(javafx.scene.control.TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.setId("fusion-tabs");
        root.setCenter(tabs);
        layer.valueProperty().addListener((o, a, b) -> invalidate());
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
        var f = (javafx.scene.control.SpinnerValueFactory.IntegerSpinnerValueFactory) layer.getValueFactory();
        f.setMax(r.layers().size() - 1);
        int l = layer.getValue();
        List<Figure> scaleFigures = scaleFigures(r, l);
        if (!FusionViewModel.available(r)) {
            status.setText("This run recorded no branch norms.");
            figures = scaleFigures;
            return;
        }
        Figure m = FusionViewModel.magnitudesFigure(r), s = FusionViewModel.shareFigure(r);
        magnitudes.setChart(m.chart());
        share.setChart(s.chart());
        if (r.branchNorms(l).isPresent()) {
            Figure t = FusionViewModel.tokenShareFigure(r, l);
            tokens.setChart(t.chart());
            figures = concat(List.of(m, s, t), scaleFigures);
            status.setText("");
        } else {
            figures = concat(List.of(m, s), scaleFigures);
            status.setText("Layer " + l + " recorded no branch norms.");
        }
    }

    /** The static β charts: they come from the model's weights, so they exist even when no norms were traced. */
    private List<Figure> scaleFigures(RunData r, int l) {
        if (!FusionViewModel.scalesAvailable(r)) {
            scaleStatus.setText("This run does not carry the model's fusion scales (a loaded trace or another engine).");
            return List.of();
        }
        Figure boxes = FusionViewModel.scaleBoxesFigure(r);
        scaleBoxes.setChart(boxes.chart());
        if (r.fusionScales(l).isEmpty()) {
            scaleStatus.setText("Layer " + l + " has no fusion scales.");
            return List.of(boxes);
        }
        Figure scatter = FusionViewModel.scaleScatterFigure(r, l);
        scaleScatter.setChart(scatter.chart());
        scaleStatus.setText("");
        return List.of(boxes, scatter);
    }

    private static List<Figure> concat(List<Figure> a, List<Figure> b) {
        List<Figure> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    @Override public String id() { return "fusion"; }

    @Override public String title() { return "Fusion"; }

    @Override public Node node() { return root; }

    @Override
    public List<Figure> figures() {
        if (dirty) update();
        return figures;
    }
}
