package dev.hymba.workbench.views.attention;

import dev.hymba.workbench.charts.AttentionHeatmap;
import dev.hymba.workbench.charts.CellImage;
import dev.hymba.workbench.charts.ColorScale;
import dev.hymba.workbench.charts.Colormap;
import dev.hymba.workbench.charts.Figure;
import dev.hymba.workbench.run.AttentionMap;
import dev.hymba.workbench.run.HeadMetric;
import dev.hymba.workbench.views.View;
import javafx.embed.swing.SwingFXUtils;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.Tooltip;
import javafx.scene.image.ImageView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.TilePane;
import javafx.scene.layout.VBox;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.fx.interaction.ChartMouseEventFX;
import org.jfree.chart.fx.interaction.ChartMouseListenerFX;

import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.util.List;
import java.util.Map;

/**
 * One (layer, head) heatmap with exact hover, zoom (drag or wheel) and pan (ctrl-drag); the layer x head overview
 * coloured by a metric; small multiples of all heads of the layer.
 */
public final class AttentionView implements View {
    private final AttentionViewModel vm;
    private final BorderPane root = new BorderPane();
    private final ChartViewer viewer = new ChartViewer(null);
    private final Spinner<Integer> layer = new Spinner<>();
    private final Spinner<Integer> head = new Spinner<>();
    private final HeadGridCanvas overview;
    private final TilePane multiples = new TilePane(4, 4);
    private final CheckBox showMultiples = new CheckBox("All heads of the layer");
    private final CheckBox regions = new CheckBox("Meta / BOS / window");
    private AttentionHeatmap heatmap;
    private long lastRedrawNanos;

    public AttentionView(AttentionViewModel vm) {
        this.vm = vm;
        layer.setId("layer");
        head.setId("head");
        layer.setEditable(true);
        head.setEditable(true);
        ComboBox<ColorScale.Kind> scale = new ComboBox<>();
        scale.getItems().setAll(ColorScale.Kind.values());
        scale.valueProperty().bindBidirectional(vm.scaleProperty());
        dev.hymba.workbench.views.EnumLabels.apply(scale, ColorScale.Kind.class);
        ComboBox<HeadMetric> metric = new ComboBox<>();
        metric.getItems().setAll(HeadMetric.values());
        metric.valueProperty().bindBidirectional(vm.metricProperty());
        metric.setConverter(new javafx.util.StringConverter<>() {
            @Override public String toString(HeadMetric m) { return m == null ? "" : m.label(); }

            @Override public HeadMetric fromString(String s) { return null; }
        });
        layer.setPrefWidth(80);
        head.setPrefWidth(80);
        regions.setSelected(true);
        regions.selectedProperty().addListener((o, a, b) -> { if (heatmap != null) heatmap.setShowRegions(b); });
        overview = new HeadGridCanvas(vm::select);
        Tooltip overviewTip = new Tooltip();
        Tooltip.install(overview, overviewTip);
        overview.setOnMouseMoved(e -> overviewTip.setText(overview.describe(e.getX(), e.getY())));
        Label hover = new Label();
        hover.setId("hover");
        hover.textProperty().bind(vm.hoverProperty());
        hover.setStyle("-fx-font-family: monospace;");
        viewer.addChartMouseListener(new ChartMouseListenerFX() {
            @Override public void chartMouseClicked(ChartMouseEventFX e) {}

            @Override
            public void chartMouseMoved(ChartMouseEventFX e) {
                if (heatmap == null || viewer.getCanvas().getRenderingInfo() == null) return;
                Rectangle2D area = viewer.getCanvas().getRenderingInfo().getPlotInfo().getDataArea();
                vm.hoverProperty().set(heatmap.cellAtJava2D(new Point2D.Double(e.getTrigger().getX(), e.getTrigger().getY()), area)
                        .map(c -> c.text()).orElse(""));
            }
        });
        javafx.scene.layout.FlowPane controls = new javafx.scene.layout.FlowPane(8, 4, new Label("Layer"), layer,
                new Label("Head"), head, new Label("Colour"), scale, regions, new Label("Overview"), metric, showMultiples);
        controls.setPadding(new Insets(6));
        multiples.setPrefColumns(4);
        VBox side = new VBox(6, new Label("Layer \u00d7 head overview (click to select)"), overview,
                new Label("Heads of this layer"), multiples);
        side.setPadding(new Insets(6));
        ScrollPane sideScroll = new ScrollPane(side);
        sideScroll.setPrefWidth(300);
        root.setTop(controls);
        root.setCenter(viewer);
        root.setRight(sideScroll);
        root.setBottom(hover);
        layer.valueProperty().addListener((o, a, b) -> { if (b != null) vm.select(b, vm.headProperty().get()); });
        head.valueProperty().addListener((o, a, b) -> { if (b != null) vm.select(vm.layerProperty().get(), b); });
        vm.layerProperty().addListener((o, a, b) -> { redraw(); redrawMultiples(); redrawOverview(); });
        vm.headProperty().addListener((o, a, b) -> { redraw(); redrawOverview(); });
        vm.scaleProperty().addListener((o, a, b) -> { if (heatmap != null) heatmap.setScaleKind(b); });
        vm.metricProperty().addListener((o, a, b) -> redrawOverview());
        showMultiples.selectedProperty().addListener((o, a, b) -> redrawMultiples());
        vm.runProperty().addListener((o, a, b) -> onRun());
        onRun();
    }

    private void onRun() {
        if (!vm.hasRun()) return;
        layer.setValueFactory(new SpinnerValueFactory.IntegerSpinnerValueFactory(0, vm.layerCount() - 1, vm.layerProperty().get()));
        head.setValueFactory(new SpinnerValueFactory.IntegerSpinnerValueFactory(0, vm.headCount() - 1, vm.headProperty().get()));
        redraw();
        redrawOverview();
        redrawMultiples();
    }

    private void redraw() {
        if (!vm.hasRun()) return;
        long t0 = System.nanoTime();
        layer.getValueFactory().setValue(vm.layerProperty().get());
        head.getValueFactory().setValue(vm.headProperty().get());
        if (heatmap == null) {
            heatmap = new AttentionHeatmap(vm.title(), vm.currentMap(), vm.tokenLabels(), vm.regions());
            heatmap.setScaleKind(vm.scaleProperty().get());
            heatmap.setShowRegions(regions.isSelected());
            viewer.setChart(heatmap.chart());
        } else {
            heatmap.show(vm.title(), vm.currentMap(), vm.tokenLabels(), vm.regions());
        }
        lastRedrawNanos = System.nanoTime() - t0;
    }

    private void redrawOverview() {
        if (vm.hasRun()) overview.draw(vm.overview(), vm.layerProperty().get(), vm.headProperty().get());
    }

    private void redrawMultiples() {
        multiples.getChildren().clear();
        if (!vm.hasRun() || !showMultiples.isSelected()) return;
        int l = vm.layerProperty().get();
        for (int h = 0; h < vm.headCount(); h++) {
            AttentionMap m = vm.map(l, h);
            ImageView iv = new ImageView(SwingFXUtils.toFXImage(CellImage.render(m, ColorScale.linear(m.max()), Colormap.VIRIDIS), null));
            iv.setFitWidth(64);
            iv.setFitHeight(64);
            iv.setSmooth(false);
            int hh = h;
            iv.setOnMouseClicked(e -> vm.select(l, hh));
            Tooltip.install(iv, new Tooltip("head " + h));
            multiples.getChildren().add(iv);
        }
    }

    /** Time the last (layer, head) switch spent updating the chart model (the canvas repaints afterwards). */
    public long lastRedrawNanos() { return lastRedrawNanos; }

    public AttentionHeatmap heatmap() { return heatmap; }

    public javafx.beans.property.IntegerProperty layerProperty() { return vm.layerProperty(); }

    public javafx.beans.property.IntegerProperty headProperty() { return vm.headProperty(); }

    @Override public String id() { return "attention"; }

    @Override public String title() { return "Attention"; }

    @Override public Node node() { return root; }

    @Override
    public List<Figure> figures() {
        if (heatmap == null) return List.of();
        return List.of(Figure.of("attention-L" + vm.layerProperty().get() + "-H" + vm.headProperty().get(), heatmap));
    }

    @Override public Map<String, String> settings() { return vm.settings(); }

    @Override public void applySettings(Map<String, String> s) { vm.applySettings(s); }
}
