package dev.hymba.workbench.views.compare;

import dev.hymba.workbench.charts.AttentionHeatmap;
import dev.hymba.workbench.charts.Figure;
import dev.hymba.workbench.charts.HeatmapRegions;
import dev.hymba.workbench.run.RunData;
import dev.hymba.workbench.run.TokenInfo;
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

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Baseline and ablated attention side by side with their difference; per-token KL / loss change; region deltas. */
public final class CompareView implements View {
    private final ReadOnlyObjectProperty<RunData> baseline, ablated;
    private final BorderPane root = new BorderPane();
    private final ChartViewer base = new ChartViewer(null), abl = new ChartViewer(null), diff = new ChartViewer(null),
            tokens = new ChartViewer(null), regions = new ChartViewer(null);
    private final Spinner<Integer> layer = new Spinner<>(0, 0, 0), head = new Spinner<>(0, 0, 0);
    private final Label status = new Label();
    private List<Figure> figures = List.of();
    private boolean dirty = true;

    public CompareView(ReadOnlyObjectProperty<RunData> baseline, ReadOnlyObjectProperty<RunData> ablated) {
        this.baseline = baseline;
        this.ablated = ablated;
        layer.setPrefWidth(80);
        head.setPrefWidth(80);
        status.setId("compare-status");
        GridPane grid = new GridPane();
        grid.add(base, 0, 0);
        grid.add(abl, 1, 0);
        grid.add(diff, 2, 0);
        grid.add(tokens, 0, 1, 2, 1);
        grid.add(regions, 2, 1);
        for (ChartViewer v : List.of(base, abl, diff, tokens, regions)) {
            GridPane.setHgrow(v, Priority.ALWAYS);
            GridPane.setVgrow(v, Priority.ALWAYS);
        }
        HBox top = new HBox(8, new Label("Layer"), layer, new Label("Head"), head, status);
        top.setPadding(new Insets(6));
        root.setTop(top);
        root.setCenter(grid);
        layer.valueProperty().addListener((o, a, b) -> invalidate());
        head.valueProperty().addListener((o, a, b) -> invalidate());
        baseline.addListener((o, a, b) -> invalidate());
        ablated.addListener((o, a, b) -> invalidate());
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
        RunData b = baseline.get(), a = ablated.get();
        if (b == null || a == null) return;
        ((javafx.scene.control.SpinnerValueFactory.IntegerSpinnerValueFactory) layer.getValueFactory()).setMax(b.layers().size() - 1);
        ((javafx.scene.control.SpinnerValueFactory.IntegerSpinnerValueFactory) head.getValueFactory()).setMax(b.attentionHeads() - 1);
        if (b == a) {
            status.setText("No ablation is active: the current run is the baseline.");
        }
        Optional<String> why = CompareViewModel.incomparable(b, a);
        List<Figure> fs = new ArrayList<>();
        if (why.isPresent()) {
            status.setText(why.get());
        } else {
            if (b != a) status.setText("Top-1 next token changed at " + CompareViewModel.top1Changes(b, a).size() + " prompt positions.");
            int l = layer.getValue(), h = head.getValue();
            List<String> labels = b.tokens().stream().map(TokenInfo::label).toList();
            HeatmapRegions reg = new HeatmapRegions(b.metaCount(), b.bosPosition(), 0);
            AttentionHeatmap hb = new AttentionHeatmap("Baseline L" + l + " H" + h, b.attention(l, h), labels, reg);
            AttentionHeatmap ha = new AttentionHeatmap("Ablated L" + l + " H" + h, a.attention(l, h), labels, reg);
            AttentionHeatmap hd = new AttentionHeatmap("Ablated \u2212 baseline", CompareViewModel.difference(b.attention(l, h), a.attention(l, h)), labels, reg);
            hd.setDiverging(true);
            base.setChart(hb.chart());
            abl.setChart(ha.chart());
            diff.setChart(hd.chart());
            fs.add(Figure.of("compare-baseline-L" + l + "-H" + h, hb));
            fs.add(Figure.of("compare-ablated-L" + l + "-H" + h, ha));
            fs.add(Figure.of("compare-difference-L" + l + "-H" + h, hd));
            CompareViewModel.tokenDeltaFigure(b, a).ifPresent(f -> {
                tokens.setChart(f.chart());
                fs.add(f);
            });
        }
        if (b.layers().size() == a.layers().size()) {
            Figure r = CompareViewModel.regionDeltaFigure(b, a);
            regions.setChart(r.chart());
            fs.add(r);
        }
        figures = List.copyOf(fs);
    }

    @Override public String id() { return "compare"; }

    @Override public String title() { return "Compare"; }

    @Override public Node node() { return root; }

    @Override
    public List<Figure> figures() {
        if (dirty) update();
        return figures;
    }
}
