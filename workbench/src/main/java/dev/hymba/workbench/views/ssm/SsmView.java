package dev.hymba.workbench.views.ssm;

import dev.hymba.workbench.charts.AttentionHeatmap;
import dev.hymba.workbench.charts.Figure;
import dev.hymba.workbench.charts.HeatmapRegions;
import dev.hymba.workbench.run.AttentionMap;
import dev.hymba.workbench.run.Matrix;
import dev.hymba.workbench.run.RunData;
import dev.hymba.workbench.views.View;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.SplitPane;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import org.jfree.chart.fx.ChartViewer;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SSM state magnitudes (position x channel or x head-sized block) with exact hover, and the Δ strip below. */
public final class SsmView implements View {
    private final ReadOnlyObjectProperty<RunData> run;
    private final BorderPane root = new BorderPane();
    private final ChartViewer states = new ChartViewer(null), delta = new ChartViewer(null);
    private final Spinner<Integer> layer = new Spinner<>(0, 0, 0);
    private final CheckBox blocks = new CheckBox("Average per head-sized channel block");
    private final Label status = new Label();
    private final Spinner<Integer> block = new Spinner<>(0, 0, 0);
    private final ChartViewer hiddenViewer = new ChartViewer(null), headViewer = new ChartViewer(null);
    private final Label pairStatus = new Label();
    private final javafx.scene.control.Tab pairTab;
    private AttentionHeatmap heatmap, hiddenHeat, headHeat;
    private List<Figure> pairFigures = List.of();
    private List<Figure> figures = List.of(), stateFigures = List.of();
    private boolean dirty = true;
    private final javafx.scene.control.ProgressIndicator busy = new javafx.scene.control.ProgressIndicator(-1);
    private final javafx.scene.control.Button cancelPair = new javafx.scene.control.Button("Cancel");
    // One daemon worker of its own: the shared TaskRunner cancels its task on submit, which would stop a model run.
    private final SsmViewModel.HiddenPairs pairs = new SsmViewModel.HiddenPairs(
            java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "ssm-hidden-attention");
                t.setDaemon(true);
                return t;
            }), javafx.application.Platform::runLater);

    public SsmView(ReadOnlyObjectProperty<RunData> run) {
        this.run = run;
        layer.setPrefWidth(80);
        blocks.setSelected(true);
        HBox top = new HBox(8, new Label("Layer"), layer, blocks, status);
        top.setPadding(new Insets(6));
        SplitPane split = new SplitPane(states, delta);
        split.setOrientation(Orientation.VERTICAL);
        split.setDividerPositions(0.7);
        root.setTop(top);
        block.setId("ssm-block");
        block.setPrefWidth(80);
        pairStatus.setId("ssm-pair-status");
        busy.setId("ssm-pair-busy");
        busy.setPrefSize(18, 18);
        cancelPair.setId("ssm-pair-cancel");
        cancelPair.setOnAction(e -> {
            pairs.cancel();
            showBusy(false);
            pairStatus.setText("Cancelled; change the block or layer to compute again.");
        });
        showBusy(false);
        HBox pairTop = new HBox(8, new Label("Channel block = attention head"), block, busy, cancelPair, pairStatus);
        pairTop.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        pairTop.setPadding(new Insets(6));
        SplitPane pair = new SplitPane(hiddenViewer, headViewer);
        BorderPane pairPane = new BorderPane(pair);
        pairPane.setTop(pairTop);
        javafx.scene.control.Tab statesTab = new javafx.scene.control.Tab("State magnitudes and \u0394", split);
        pairTab = new javafx.scene.control.Tab("Hidden attention vs attention head", pairPane);
        javafx.scene.control.TabPane tabs = new javafx.scene.control.TabPane(statesTab, pairTab);
        tabs.setId("ssm-tabs");
        tabs.setTabClosingPolicy(javafx.scene.control.TabPane.TabClosingPolicy.UNAVAILABLE);
        root.setCenter(tabs);
        // The hidden attention costs O(T²·N) per channel: computed only while its tab is open (or for an export).
        pairTab.selectedProperty().addListener((o, a, b) -> invalidate());
        block.valueProperty().addListener((o, a, b) -> invalidate());
        layer.valueProperty().addListener((o, a, b) -> invalidate());
        blocks.selectedProperty().addListener((o, a, b) -> invalidate());
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
        ((javafx.scene.control.SpinnerValueFactory.IntegerSpinnerValueFactory) layer.getValueFactory()).setMax(r.layers().size() - 1);
        int l = layer.getValue();
        Optional<Matrix> norms = r.ssmStateNorms(l);
        List<Figure> fs = new ArrayList<>();
        if (norms.isEmpty()) {
            status.setText("Layer " + l + ": this run recorded no SSM states.");
        } else {
            status.setText("");
            AttentionMap m = SsmViewModel.stateMatrix(norms.get(), blocks.isSelected() ? r.attentionHeads() : 0);
            List<String> cols = SsmViewModel.columnLabels(m.keys(), blocks.isSelected());
            String title = "Layer " + l + ": SSM state magnitude \u2016s_t\u2016";
            if (heatmap == null) {
                heatmap = AttentionHeatmap.matrix(title, m, SsmViewModel.rowLabels(r), cols, "Position", "Channel", "state norm");
                states.setChart(heatmap.chart());
            } else {
                heatmap.show(title, m, SsmViewModel.rowLabels(r), cols, HeatmapRegions.NONE);
            }
            fs.add(Figure.of("ssm-state-L" + l, heatmap));
        }
        if (r.ssmDelta(l).isPresent()) {
            Figure d = SsmViewModel.deltaFigure(r, l);
            delta.setChart(d.chart());
            fs.add(d);
        }
        stateFigures = List.copyOf(fs);
        figures = stateFigures;
        if (pairTab.isSelected()) updatePair(r, l);
        else {
            pairs.cancel(); // a pending pair nobody looks at
            showBusy(false);
            pairFigures = List.of();
        }
    }

    private void updatePair(RunData r, int l) {
        ((javafx.scene.control.SpinnerValueFactory.IntegerSpinnerValueFactory) block.getValueFactory()).setMax(Math.max(0, r.attentionHeads() - 1));
        int b = block.getValue();
        pairFigures = List.of(); // nothing to export until the new pair is there
        pairStatus.setText("Computing the hidden attention of layer " + l + ", block " + b + "\u2026");
        showBusy(true);
        pairs.request(r, l, b, p -> {
            showBusy(false);
            showPair(r, l, b, p);
            figures = withPair();
        }, e -> {
            showBusy(false);
            pairStatus.setText("Could not compute the hidden attention: " + e.getMessage());
        });
        if (!pairs.busy()) showBusy(false); // answered from the cache
    }

    private void showBusy(boolean on) {
        busy.setVisible(on);
        cancelPair.setVisible(on);
    }

    /** The state figures of the current layer followed by the current pair figures. */
    private List<Figure> withPair() {
        List<Figure> out = new ArrayList<>(stateFigures);
        out.addAll(pairFigures);
        return List.copyOf(out);
    }

    private void showPair(RunData r, int l, int b, Optional<SsmViewModel.SidePair> p) {
        if (p.isEmpty()) {
            pairStatus.setText("Layer " + l + ": this run cannot give the SSM's hidden attention (no SSM tensors or weights).");
            pairFigures = List.of();
            return;
        }
        SsmViewModel.SidePair sp = p.get();
        List<String> tokens = SsmViewModel.rowLabels(r);
        String ht = "Layer " + l + ", SSM channels " + sp.from() + "\u2013" + (sp.to() - 1) + ": hidden attention (mean |\u03b1|)";
        if (hiddenHeat == null) {
            hiddenHeat = AttentionHeatmap.matrix(ht, sp.hidden(), tokens, tokens, "Query", "Key", "mean |\u03b1|");
            hiddenViewer.setChart(hiddenHeat.chart());
        } else {
            hiddenHeat.show(ht, sp.hidden(), tokens, tokens, HeatmapRegions.NONE);
        }
        List<Figure> fs = new ArrayList<>(List.of(Figure.of("ssm-hidden-attention-L" + l + "-B" + b, hiddenHeat)));
        if (sp.attention() != null) {
            String at = "Layer " + l + ", head " + b + ": attention";
            if (headHeat == null) {
                headHeat = new AttentionHeatmap(at, sp.attention(), tokens, HeatmapRegions.NONE);
                headViewer.setChart(headHeat.chart());
            } else {
                headHeat.show(at, sp.attention(), tokens, HeatmapRegions.NONE);
            }
            fs.add(Figure.of("attention-L" + l + "-H" + b, headHeat));
            pairStatus.setText(String.format(java.util.Locale.ROOT, "Correlation over causal prompt cells: %.3f", sp.correlation()));
        } else {
            pairStatus.setText("Layer " + l + " ran without its attention branch: no head map to compare.");
        }
        pairFigures = List.copyOf(fs);
    }

    @Override public String id() { return "ssm"; }

    @Override public String title() { return "SSM"; }

    @Override public Node node() { return root; }

    @Override
    public List<Figure> figures() {
        if (dirty) update();
        return figures;
    }
}
