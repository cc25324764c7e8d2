package dev.hymba.workbench.views.plugins;

import dev.hymba.plugins.api.AnalysisResult;
import dev.hymba.plugins.api.ParameterSpec;
import dev.hymba.plugins.host.PluginRefusal;
import dev.hymba.workbench.charts.Figure;
import dev.hymba.workbench.views.View;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TitledPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.controlsfx.control.PropertySheet;
import org.jfree.chart.fx.ChartViewer;

import java.util.List;
import java.util.Optional;

/**
 * The Plugins page: discovered plugins on the left (refused ones below with the reason), the selected plugin's info
 * and parameters (a ControlsFX property sheet), Run / Cancel, and the result as tables and charts; a failure shows in
 * its own error panel and leaves the rest of the page usable.
 */
public final class PluginsView implements View {
    private final PluginsViewModel vm;
    private final BorderPane root = new BorderPane();
    private final ListView<PluginsViewModel.Entry> list = new ListView<>();
    private final Label info = new Label();
    private final PropertySheet sheet = new PropertySheet();
    private final Button run = new Button("Run on current run");
    private final Button cancel = new Button("Cancel");
    private final Button openView = new Button("Open view");
    private final ProgressIndicator busy = new ProgressIndicator();
    private final Label status = new Label();
    private final Label scope = new Label();
    private final TabPane results = new TabPane();
    private final TextArea errorText = new TextArea();
    private final TitledPane errorPane = new TitledPane("Plugin error", errorText);
    private List<Figure> figures = List.of();

    public PluginsView(PluginsViewModel vm) {
        this.vm = vm;
        list.setId("plugin-list");
        list.getItems().setAll(vm.entries());
        list.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(PluginsViewModel.Entry e, boolean empty) {
                super.updateItem(e, empty);
                setText(empty || e == null ? null : e.name() + "  " + e.version() + "  [" + e.kind() + "]");
            }
        });
        list.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> { if (b != null) vm.select(b.id()); });
        Label refused = new Label(refusalText(vm.refusals()));
        refused.setId("plugin-refusals");
        refused.setWrapText(true);
        VBox left = new VBox(6, new Label("Plugins (class path and plugins folder)"), list, refused);
        VBox.setVgrow(list, Priority.ALWAYS);
        left.setPadding(new Insets(6));
        left.setPrefWidth(280);

        info.setId("plugin-info");
        info.setWrapText(true);
        sheet.setId("plugin-params");
        sheet.setModeSwitcherVisible(false);
        sheet.setSearchBoxVisible(false);
        sheet.setPrefHeight(160);
        run.setId("plugin-run");
        cancel.setId("plugin-cancel");
        status.setId("plugin-status");
        busy.setPrefSize(20, 20);
        busy.visibleProperty().bind(vm.stateProperty().isEqualTo(PluginsViewModel.State.RUNNING));
        cancel.disableProperty().bind(vm.stateProperty().isNotEqualTo(PluginsViewModel.State.RUNNING));
        run.setOnAction(e -> vm.runSelected());
        cancel.setOnAction(e -> vm.cancel());
        status.textProperty().bind(vm.statusProperty());
        scope.setId("plugin-scope");
        scope.setWrapText(true);
        scope.textProperty().bind(vm.scopeProperty());
        openView.setId("plugin-open-view");
        openView.setOnAction(e -> openSelectedView());
        HBox actions = new HBox(8, run, openView, cancel, busy, status);
        errorText.setId("plugin-error");
        errorText.setEditable(false);
        errorText.setWrapText(false);
        errorText.textProperty().bind(vm.errorProperty());
        errorPane.setCollapsible(false);
        errorPane.visibleProperty().bind(vm.stateProperty().isEqualTo(PluginsViewModel.State.FAILED));
        errorPane.managedProperty().bind(errorPane.visibleProperty());
        results.setId("plugin-results");
        VBox center = new VBox(8, info, sheet, actions, scope, errorPane, results);
        VBox.setVgrow(results, Priority.ALWAYS);
        center.setPadding(new Insets(6));

        SplitPane split = new SplitPane(left, center);
        split.setDividerPositions(0.25);
        root.setCenter(split);

        vm.selectedProperty().addListener((o, a, b) -> showSelected());
        vm.resultProperty().addListener((o, a, b) -> showResult(b));
        vm.stateProperty().addListener((o, a, b) -> updateRunButton());
        vm.selectedProperty().addListener((o, a, b) -> updateRunButton());
        showSelected();
        if (!list.getItems().isEmpty()) list.getSelectionModel().select(0);
    }

    private static String refusalText(List<PluginRefusal> rs) {
        if (rs.isEmpty()) return "";
        StringBuilder sb = new StringBuilder("Refused:");
        for (PluginRefusal r : rs) sb.append("\n\u2022 ").append(r);
        return sb.toString();
    }

    /**
     * Builds the selected view plugin's node on the FX thread and shows it in its own closable tab, with a context menu
     * that exports what it shows as PNG. A plugin that throws while building shows in the error panel.
     */
    private void openSelectedView() {
        Optional<String> no = vm.cannotOpenView();
        if (no.isPresent()) {
            status.textProperty().unbind();
            status.setText(no.get());
            status.textProperty().bind(vm.statusProperty());
            return;
        }
        String id = vm.selectedProperty().get().id();
        try {
            PluginsViewModel.ViewRequest req = vm.viewRequest();
            Node node = req.plugin().createView(req.context());
            if (node == null) throw new IllegalStateException("createView returned no node");
            Tab tab = new Tab("View: " + req.plugin().title(), node);
            tab.setId("plugin-view-" + id);
            javafx.scene.control.MenuItem export = new javafx.scene.control.MenuItem("Export as PNG\u2026");
            export.setOnAction(e -> exportPng(node, id));
            tab.setContextMenu(new javafx.scene.control.ContextMenu(export));
            results.getTabs().add(tab);
            results.getSelectionModel().select(tab);
            vm.viewOpened(id);
        } catch (Exception | LinkageError e) {
            vm.viewFailed(id, e);
        }
    }

    /** The plugin's own export: a snapshot of its node, at its current size. */
    private void exportPng(Node node, String id) {
        javafx.stage.FileChooser fc = new javafx.stage.FileChooser();
        fc.setInitialFileName(id + ".png");
        java.io.File f = fc.showSaveDialog(root.getScene() == null ? null : root.getScene().getWindow());
        if (f == null) return;
        try {
            if (!javax.imageio.ImageIO.write(javafx.embed.swing.SwingFXUtils.fromFXImage(node.snapshot(null, null), null), "png", f))
                throw new java.io.IOException("no PNG writer");
            vm.viewOpened(id + " (exported " + f.getName() + ")");
        } catch (java.io.IOException | RuntimeException e) {
            vm.viewFailed(id, new java.io.IOException("could not write " + f + ": " + e.getMessage(), e));
        }
    }

    /** The button stays enabled so that a click explains why nothing runs (no run yet, not an analysis). */
    private void updateRunButton() {
        Optional<String> why = vm.cannotRun();
        run.setTooltip(new Tooltip(why.orElse("Runs the plugin off the UI thread; Cancel or the time limit stops it.")));
    }

    private void showSelected() {
        PluginsViewModel.Entry e = vm.selectedProperty().get();
        sheet.getItems().clear();
        if (e == null) {
            info.setText("No plugins found.");
            return;
        }
        info.setText(e.name() + " " + e.version() + " (" + e.id() + ", " + e.kind() + ", from " + e.origin() + ")\n" + e.description());
        var values = vm.parameterValues();
        for (ParameterSpec p : e.parameters()) sheet.getItems().add(new Param(p, values.getOrDefault(p.name(), "")));
    }

    private void showResult(AnalysisResult r) {
        results.getTabs().clear();
        figures = List.of();
        if (r == null) return;
        for (AnalysisResult.Table t : r.tables()) results.getTabs().add(new Tab(t.name(), table(t)));
        figures = PluginsViewModel.figures(r);
        for (Figure f : figures) {
            ChartViewer v = new ChartViewer(f.chart());
            results.getTabs().add(new Tab(f.chart().getTitle() == null ? f.name() : f.chart().getTitle().getText(), v));
        }
        if (!r.notes().isEmpty()) {
            Label notes = new Label(String.join("\n", r.notes()));
            notes.setWrapText(true);
            notes.setPadding(new Insets(6));
            results.getTabs().add(new Tab("Notes", notes));
        }
        results.getTabs().forEach(t -> t.setClosable(false));
    }

    private static TableView<List<String>> table(AnalysisResult.Table t) {
        TableView<List<String>> tv = new TableView<>();
        tv.setId("plugin-table");
        for (int c = 0; c < t.columns().size(); c++) {
            int col = c;
            TableColumn<List<String>, String> tc = new TableColumn<>(t.columns().get(c));
            tc.setCellValueFactory(d -> new ReadOnlyStringWrapper(d.getValue().get(col)));
            tv.getColumns().add(tc);
        }
        tv.getItems().setAll(t.rows());
        return tv;
    }

    /** One plugin parameter as a text row of the property sheet; edits go straight to the view model. */
    private final class Param implements PropertySheet.Item {
        private final ParameterSpec spec;
        private String value;

        Param(ParameterSpec spec, String value) {
            this.spec = spec;
            this.value = value;
        }

        @Override public Class<?> getType() { return String.class; }
        @Override public String getCategory() { return "Parameters"; }
        @Override public String getName() { return spec.name(); }
        @Override public String getDescription() { return spec.description() + (spec.defaultValue() == null || spec.defaultValue().isEmpty() ? "" : " (default " + spec.defaultValue() + ")"); }
        @Override public Object getValue() { return value; }

        @Override
        public void setValue(Object v) {
            value = v == null ? "" : v.toString();
            vm.setParameter(spec.name(), value);
        }

        @Override public Optional<ObservableValue<?>> getObservableValue() { return Optional.empty(); }
    }

    public PluginsViewModel viewModel() { return vm; }

    @Override public String id() { return "plugins"; }

    @Override public String title() { return "Plugins"; }

    @Override public Node node() { return root; }

    @Override public List<Figure> figures() { return figures; }
}
