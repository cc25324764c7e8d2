package dev.hymba.workbench.views.sweeps;

import dev.hymba.workbench.charts.AttentionHeatmap;
import dev.hymba.workbench.charts.Figure;
import dev.hymba.workbench.charts.HeatmapRegions;
import dev.hymba.workbench.run.AttentionMap;
import dev.hymba.workbench.run.Matrix;
import dev.hymba.workbench.views.View;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Spinner;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import org.jfree.chart.fx.ChartViewer;

import java.io.File;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * The Sweeps page: open a spec, run it with the local executor (progress bar, Cancel), watch the ablation × metric
 * grid and the layer × unit heatmap fill in, open a row as the ablated run of the other views, export the grid.
 */
public final class SweepsView implements View {
    private final SweepsViewModel vm;
    private final BorderPane root = new BorderPane();
    private final TableView<SweepsViewModel.GridRow> table = new TableView<>();
    private ChartViewer heat;
    private final BorderPane heatPane = new BorderPane();
    private final Label noHeat = new Label("The heatmap shows head or SSM-block rows once they have results.");
    private final ComboBox<String> family = new ComboBox<>();
    private final ComboBox<String> metric = new ComboBox<>();
    private final Label specLabel = new Label("No spec loaded");
    private final Label error = new Label();
    private AttentionHeatmap heatmap;
    private List<Figure> figures = List.of();

    public SweepsView(SweepsViewModel vm) {
        this.vm = vm;
        Button open = new Button("Open spec\u2026");
        open.setId("sweep-open-spec");
        open.setOnAction(e -> {
            FileChooser fc = new FileChooser();
            fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("Sweep spec", "*.json"));
            File f = fc.showOpenDialog(root.getScene().getWindow());
            if (f != null) vm.load(f.toPath());
        });
        Spinner<Integer> workers = new Spinner<>(1, Math.max(1, Runtime.getRuntime().availableProcessors()), 1);
        workers.setId("sweep-workers");
        workers.setPrefWidth(70);
        Button start = new Button("Run sweep");
        start.setId("sweep-start");
        start.setOnAction(e -> vm.start(workers.getValue()));
        Button outDir = new Button("Output folder\u2026");
        outDir.setId("sweep-out");
        outDir.setTooltip(new javafx.scene.control.Tooltip("Write results.csv and summary.csv there, as ./hymba sweep --out; the same folder again resumes"));
        outDir.setOnAction(e -> {
            javafx.stage.DirectoryChooser dc = new javafx.stage.DirectoryChooser();
            java.nio.file.Path current = vm.outputDirProperty().get();
            if (current != null && java.nio.file.Files.isDirectory(current)) dc.setInitialDirectory(current.toFile());
            File f = dc.showDialog(root.getScene().getWindow());
            if (f != null) vm.setOutputDir(f.toPath());
        });
        Button noOut = new Button("\u2715");
        noOut.setId("sweep-out-clear");
        noOut.setTooltip(new javafx.scene.control.Tooltip("Keep results in memory only"));
        noOut.setOnAction(e -> vm.setOutputDir(null));
        noOut.disableProperty().bind(vm.outputDirProperty().isNull());
        Label outLabel = new Label();
        outLabel.setId("sweep-out-dir");
        outLabel.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> {
            java.nio.file.Path d = vm.outputDirProperty().get();
            return d == null ? "Output: in memory" : "Output: " + d;
        }, vm.outputDirProperty()));
        outDir.disableProperty().bind(vm.stateProperty().isEqualTo(SweepsViewModel.State.RUNNING));
        start.disableProperty().bind(vm.stateProperty().isEqualTo(SweepsViewModel.State.RUNNING)
                .or(vm.stateProperty().isEqualTo(SweepsViewModel.State.EMPTY)));
        Button cancel = new Button("Cancel");
        cancel.setId("sweep-cancel");
        cancel.setOnAction(e -> vm.cancel());
        cancel.disableProperty().bind(vm.stateProperty().isNotEqualTo(SweepsViewModel.State.RUNNING));
        ProgressBar bar = new ProgressBar(0);
        bar.setId("sweep-progress");
        bar.setPrefWidth(160);
        bar.progressProperty().bind(vm.tasks().progressProperty());
        Label status = new Label();
        status.setId("sweep-status");
        status.textProperty().bind(vm.tasks().messageProperty().concat("  \u2014  ").concat(vm.statusProperty()));
        Button openRow = new Button("Open row as ablated run");
        openRow.setId("sweep-open-row");
        openRow.setOnAction(e -> openSelected());
        openRow.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull());
        Button export = new Button("Export grid CSV\u2026");
        export.setId("sweep-export");
        export.setOnAction(e -> exportGrid());
        HBox top = new HBox(8, open, new Label("Workers"), workers, start, cancel, bar, openRow, export);
        specLabel.setId("sweep-spec");
        error.setId("sweep-error");
        error.setWrapText(true);
        error.setStyle("-fx-text-fill: #b00020;");
        error.textProperty().bind(vm.errorProperty());
        HBox outRow = new HBox(8, outDir, noOut, outLabel);
        outRow.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        VBox head = new VBox(4, top, outRow, specLabel, status, error);
        head.setPadding(new Insets(6));

        table.setId("sweep-grid");
        table.setPlaceholder(new Label("Load a spec and run it: one row per ablation, metric means over the prompts done."));
        table.setRowFactory(t -> {
            TableRow<SweepsViewModel.GridRow> row = new TableRow<>();
            row.setOnMouseClicked(e -> { if (e.getClickCount() == 2 && !row.isEmpty()) vm.open(row.getItem().index()); });
            return row;
        });
        vm.metrics().addListener((ListChangeListener<String>) c -> rebuildColumns());
        vm.grid().addListener((ListChangeListener<SweepsViewModel.GridRow>) c -> {
            table.getItems().setAll(vm.grid());
            updateHeatmap();
        });
        vm.specProperty().addListener((o, a, b) -> specLabel.setText(b == null ? "No spec loaded" : b.source()));
        family.getItems().setAll("head", "ssm_block");
        family.setValue("head");
        family.setOnAction(e -> updateHeatmap());
        metric.setOnAction(e -> updateHeatmap());
        HBox heatControls = new HBox(8, new Label("Layer \u00d7 unit of"), family, new Label("metric"), metric);
        heatControls.setPadding(new Insets(4));
        heatPane.setCenter(noHeat);
        heatPane.setTop(heatControls);
        SplitPane split = new SplitPane(table, heatPane);
        split.setOrientation(Orientation.HORIZONTAL);
        split.setDividerPositions(0.55);
        root.setTop(head);
        root.setCenter(split);
        rebuildColumns();
    }

    private void rebuildColumns() {
        table.getColumns().clear();
        table.getColumns().add(column("#", r -> r.index()));
        TableColumn<SweepsViewModel.GridRow, Object> ablation = column("ablation", SweepsViewModel.GridRow::ablation);
        ablation.setPrefWidth(190); // keys like head:12:3:zero:pre_norm must stay readable
        table.getColumns().add(ablation);
        table.getColumns().add(column("layer", r -> r.layer() < 0 ? "" : r.layer()));
        table.getColumns().add(column("unit", r -> r.unit() < 0 ? "" : r.unit()));
        table.getColumns().add(column("prompts", r -> r.prompts()));
        for (int m = 0; m < vm.metrics().size(); m++) {
            int k = m;
            table.getColumns().add(column("mean " + vm.metrics().get(m),
                    r -> Double.isNaN(r.means()[k]) ? "" : String.format(Locale.ROOT, "%.6g", r.means()[k])));
        }
        String keep = metric.getValue();
        metric.getItems().setAll(vm.metrics());
        metric.setValue(vm.metrics().contains(keep) ? keep : vm.metrics().isEmpty() ? null : vm.metrics().getFirst());
    }

    private static TableColumn<SweepsViewModel.GridRow, Object> column(String title, java.util.function.Function<SweepsViewModel.GridRow, Object> f) {
        TableColumn<SweepsViewModel.GridRow, Object> c = new TableColumn<>(title);
        c.setCellValueFactory(d -> new ReadOnlyObjectWrapper<>(f.apply(d.getValue())));
        return c;
    }

    /** Cells without a result yet are drawn as 0; the grid's CSV keeps them empty. */
    private void updateHeatmap() {
        int m = metric.getValue() == null ? -1 : vm.metrics().indexOf(metric.getValue());
        var mat = m < 0 ? java.util.Optional.<Matrix>empty() : SweepsViewModel.unitMatrix(vm.grid(), family.getValue(), m);
        if (mat.isEmpty()) {
            heatPane.setCenter(noHeat);
            heatmap = null;
            figures = List.of();
            return;
        }
        Matrix x = mat.get();
        float[] v = x.values().clone();
        boolean signed = false;
        for (int i = 0; i < v.length; i++) {
            if (Float.isNaN(v[i])) v[i] = 0;
            signed |= v[i] < 0;
        }
        AttentionMap map = new AttentionMap(x.rows(), x.cols(), v);
        List<String> rows = IntStream.range(0, x.rows()).mapToObj(i -> "L" + i).toList();
        List<String> cols = IntStream.range(0, x.cols()).mapToObj(i -> (family.getValue().equals("head") ? "h" : "b") + i).toList();
        String title = "Mean " + metric.getValue() + " per " + family.getValue() + " (layer \u00d7 unit)";
        if (heatmap == null) {
            heatmap = AttentionHeatmap.matrix(title, map, rows, cols, "Layer", family.getValue(), metric.getValue());
            if (heat == null) heat = new ChartViewer(heatmap.chart());
            else heat.setChart(heatmap.chart());
            heatPane.setCenter(heat);
        } else {
            heatmap.show(title, map, rows, cols, HeatmapRegions.NONE);
        }
        heatmap.setDiverging(signed);
        figures = List.of(Figure.of("sweep-" + family.getValue() + "-" + metric.getValue(), heatmap));
    }

    private void openSelected() {
        SweepsViewModel.GridRow r = table.getSelectionModel().getSelectedItem();
        if (r != null) vm.open(r.index());
    }

    private void exportGrid() {
        FileChooser fc = new FileChooser();
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("CSV", "*.csv"));
        File f = fc.showSaveDialog(root.getScene().getWindow());
        if (f != null) vm.exportGrid(f.toPath());
    }

    public SweepsViewModel viewModel() { return vm; }

    @Override public String id() { return "sweeps"; }

    @Override public String title() { return "Sweeps"; }

    @Override public Node node() { return root; }

    @Override public List<Figure> figures() { return figures; }
}
