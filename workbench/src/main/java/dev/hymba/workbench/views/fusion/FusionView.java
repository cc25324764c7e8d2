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
        HBox top = new HBox(8, new Label("Layer for the per-token share"), layer, status);
        top.setPadding(new Insets(6));
        root.setTop(top);
        root.setCenter(grid);
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
        if (!FusionViewModel.available(r)) {
            status.setText("This run recorded no branch norms.");
            return;
        }
        var f = (javafx.scene.control.SpinnerValueFactory.IntegerSpinnerValueFactory) layer.getValueFactory();
        f.setMax(r.layers().size() - 1);
        int l = layer.getValue();
        Figure m = FusionViewModel.magnitudesFigure(r), s = FusionViewModel.shareFigure(r);
        magnitudes.setChart(m.chart());
        share.setChart(s.chart());
        if (r.branchNorms(l).isPresent()) {
            Figure t = FusionViewModel.tokenShareFigure(r, l);
            tokens.setChart(t.chart());
            figures = List.of(m, s, t);
            status.setText("");
        } else {
            figures = List.of(m, s);
            status.setText("Layer " + l + " recorded no branch norms.");
        }
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
