package dev.hymba.workbench.shell;

import dev.hymba.workbench.app.Settings;
import dev.hymba.workbench.app.Workspace;
import dev.hymba.workbench.app.WorkspaceException;
import dev.hymba.workbench.app.WorkspaceStore;
import dev.hymba.workbench.app.WorkbenchSession;
import dev.hymba.workbench.charts.Figure;
import dev.hymba.workbench.export.ExportException;
import dev.hymba.workbench.export.ExportOptions;
import dev.hymba.workbench.export.FigureExporter;
import dev.hymba.workbench.run.RunData;
import dev.hymba.workbench.views.View;
import dev.hymba.workbench.views.ablations.AblationsView;
import dev.hymba.workbench.views.ablations.AblationsViewModel;
import dev.hymba.workbench.views.attention.AttentionView;
import dev.hymba.workbench.views.attention.AttentionViewModel;
import dev.hymba.workbench.views.model.ModelView;
import dev.hymba.workbench.views.model.ModelViewModel;
import dev.hymba.workbench.views.plugins.PluginsView;
import dev.hymba.workbench.views.plugins.PluginsViewModel;
import dev.hymba.workbench.views.sinks.SinksView;
import dev.hymba.workbench.views.sweeps.SweepsView;
import dev.hymba.workbench.views.sweeps.SweepsViewModel;
import dev.hymba.plugins.host.PluginRegistry;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.StackPane;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import org.controlsfx.control.StatusBar;

import java.io.File;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The main window: menu, navigation list, the open view, and a status bar with run progress and Cancel. Views never
 * call each other; they all observe the {@link WorkbenchSession}.
 */
public final class MainWindow implements AutoCloseable {
    /** As long as ./hymba plugin allows by default: a hanging plugin is stopped, the app keeps going. */
    static final java.time.Duration PLUGIN_TIME_LIMIT = java.time.Duration.ofMinutes(10);
    private final WorkbenchSession session;
    private final FigureExporter exporter;
    private final BorderPane root = new BorderPane();
    private final StackPane center = new StackPane();
    private final ListView<String> nav = new ListView<>();
    private final Map<String, View> views = new LinkedHashMap<>();
    private final ObservableList<String> recentModels;
    private final AttentionView attentionView;
    private Settings settings;
    private final Consumer<Settings> saveSettings;
    private AblationsView ablationsView;
    private String currentView = "model";
    private PluginRegistry plugins;

    public MainWindow(WorkbenchSession session, Settings settings, Consumer<Settings> saveSettings, FigureExporter exporter) {
        this.session = session;
        this.settings = settings;
        this.saveSettings = saveSettings;
        this.exporter = exporter;
        this.recentModels = FXCollections.observableArrayList(settings.recentModels());
        add(new ModelView(new ModelViewModel(session), recentModels, this::modelOpened));
        attentionView = new AttentionView(new AttentionViewModel(session.runProperty()));
        add(attentionView);
        add(new SinksView(session.runProperty()));
        add(new dev.hymba.workbench.views.ssm.SsmView(session.runProperty()));
        add(new dev.hymba.workbench.views.fusion.FusionView(session.runProperty()));
        add(new dev.hymba.workbench.views.meta.MetaView(session.runProperty()));
        add(placeholder("ablations", "Ablations", "Run a prompt first: the ablation panel needs the model's layers and heads."));
        add(new dev.hymba.workbench.views.compare.CompareView(session.baselineProperty(), session.runProperty()));
        add(pluginsView());
        add(new SweepsView(new SweepsViewModel(session::startSweep, javafx.application.Platform::runLater, this::openSweepAblation)));
        session.baselineProperty().addListener((o, a, b) -> rebuildAblations(b));
        rebuildAblations(session.baselineProperty().get());
        nav.setId("nav");
        nav.getItems().setAll(views.values().stream().map(View::title).toList());
        nav.getSelectionModel().selectedIndexProperty().addListener((o, a, i) -> {
            if (i.intValue() >= 0) show(List.copyOf(views.keySet()).get(i.intValue()));
        });
        nav.setPrefWidth(170);
        root.setTop(menus());
        root.setLeft(nav);
        root.setCenter(center);
        root.setBottom(statusBar());
        nav.getSelectionModel().select(0);
    }

    public Parent root() { return root; }

    public WorkbenchSession session() { return session; }

    public Map<String, View> views() { return views; }

    public AttentionView attentionView() { return attentionView; }

    public Optional<AblationsView> ablationsView() { return Optional.ofNullable(ablationsView); }

    public String currentView() { return currentView; }

    /** Shows a view by id; unknown ids throw with the list of known ones. */
    public void show(String id) {
        View v = views.get(id);
        if (v == null) throw new IllegalArgumentException("unknown view '" + id + "' (known: " + String.join(", ", views.keySet()) + ")");
        currentView = id;
        center.getChildren().setAll(v.node());
        int i = List.copyOf(views.keySet()).indexOf(id);
        if (nav.getSelectionModel().getSelectedIndex() != i) nav.getSelectionModel().select(i);
    }

    private void add(View v) { views.put(v.id(), v); }

    /**
     * A sweep row becomes the current ablation: through the Ablations panel when it can show the spec (so undo and
     * the spec text follow), else straight to the session (SSM-block or K/V ablations the panel has no control for).
     */
    private void openSweepAblation(String spec) {
        if (ablationsView != null) {
            try {
                ablationsView.viewModel().load(spec);
                return;
            } catch (IllegalArgumentException e) {
                // not representable in the panel; the engine still runs it
            }
        }
        session.applyAblation(spec);
        if (session.baselineProperty().get() == null)
            session.notifier().info("Ablation set", "Run a prompt to see the sweep's ablation in the views.");
    }

    /**
     * Releases what the window holds outside the JVM heap: the plugin registry keeps the plugins folder's jars open
     * in its class loaders (on Windows that locks them until exit). Call once, when the window goes away.
     */
    @Override
    public void close() {
        if (plugins != null) plugins.close();
        plugins = null;
    }

    /** Where users drop plugin jars; the CLI's ./hymba plugin reads the same folder. */
    public static Path userPluginsFolder() { return Path.of(System.getProperty("user.home"), ".hymba-workbench", "plugins"); }

    /** Plugins are discovered once per window; a broken jar is listed as refused, never fatal. */
    private View pluginsView() {
        PluginRegistry reg = PluginRegistry.discover(MainWindow.class.getClassLoader(), userPluginsFolder());
        plugins = reg;
        return new PluginsView(new PluginsViewModel(reg.plugins(), reg.refusals(), session.runProperty(), session::analysisServices,
                session.tasks(), PLUGIN_TIME_LIMIT));
    }

    private static View placeholder(String id, String title, String text) {
        Label l = new Label(text);
        return new View() {
            @Override public String id() { return id; }
            @Override public String title() { return title; }
            @Override public Node node() { return l; }
            @Override public List<Figure> figures() { return List.of(); }
        };
    }

    private void rebuildAblations(RunData base) {
        if (base == null) return;
        if (ablationsView != null && ablationsView.viewModel().layerCount() == base.layers().size()
                && ablationsView.viewModel().headCount() == base.attentionHeads()) return;
        int window = base.layers().stream().filter(l -> !l.global()).mapToInt(l -> l.window()).max().orElse(1024);
        ablationsView = new AblationsView(new AblationsViewModel(base.layers().size(), base.attentionHeads(), window, session::applyAblation));
        views.put("ablations", ablationsView);
        if (currentView.equals("ablations")) show("ablations");
    }

    private void modelOpened(String path) {
        settings = settings.withRecentModel(path);
        recentModels.setAll(settings.recentModels());
        saveSettings.accept(settings);
    }

    private StatusBar statusBar() {
        StatusBar bar = new StatusBar();
        bar.setId("status");
        bar.textProperty().bind(session.tasks().messageProperty());
        bar.progressProperty().bind(session.tasks().progressProperty());
        Button cancel = new Button("Cancel");
        cancel.setId("cancel");
        cancel.disableProperty().bind(session.tasks().runningProperty().not());
        cancel.setOnAction(e -> session.tasks().cancelCurrent());
        bar.getRightItems().add(cancel);
        return bar;
    }

    private MenuBar menus() {
        Menu file = new Menu("File");
        file.getItems().addAll(
                item("Open workspace\u2026", () -> chooseFile(false, "Workspace", "*.json").ifPresent(this::openWorkspace)),
                item("Save workspace\u2026", () -> chooseFile(true, "Workspace", "*.json").ifPresent(this::saveWorkspace)),
                item("Export figure\u2026", () -> chooseFile(true, "Figure", "*.png", "*.svg", "*.pdf").ifPresent(this::exportCurrentFigure)),
                item("Export data (CSV)\u2026", () -> chooseFile(true, "CSV", "*.csv").ifPresent(this::exportCurrentData)),
                item("Figure size and DPI\u2026", this::editExportSize),
                item("Export all figures of this run\u2026", () -> {
                    DirectoryChooser dc = new DirectoryChooser();
                    File d = dc.showDialog(root.getScene().getWindow());
                    if (d != null) exportAll(d.toPath());
                }));
        Menu run = new Menu("Run");
        run.getItems().addAll(item("Run prompt", session::runPrompt), item("Cancel", () -> session.tasks().cancelCurrent()));
        return new MenuBar(file, run);
    }

    private static MenuItem item(String text, Runnable action) {
        MenuItem m = new MenuItem(text);
        m.setOnAction(e -> action.run());
        return m;
    }

    private Optional<Path> chooseFile(boolean save, String what, String... patterns) {
        FileChooser fc = new FileChooser();
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter(what, patterns));
        File f = save ? fc.showSaveDialog(root.getScene().getWindow()) : fc.showOpenDialog(root.getScene().getWindow());
        return Optional.ofNullable(f).map(File::toPath);
    }

    /** Asks for width x height (pixels) and DPI; invalid values are explained and nothing changes. */
    private void editExportSize() {
        javafx.scene.control.Dialog<javafx.scene.control.ButtonType> d = new javafx.scene.control.Dialog<>();
        d.setTitle("Figure size");
        javafx.scene.control.TextField w = new javafx.scene.control.TextField(Integer.toString(settings.exportWidth()));
        javafx.scene.control.TextField h = new javafx.scene.control.TextField(Integer.toString(settings.exportHeight()));
        javafx.scene.control.TextField dpi = new javafx.scene.control.TextField(Integer.toString(settings.exportDpi()));
        javafx.scene.layout.GridPane g = new javafx.scene.layout.GridPane(8, 6);
        g.addRow(0, new Label("Width (px)"), w);
        g.addRow(1, new Label("Height (px)"), h);
        g.addRow(2, new Label("DPI (PNG metadata; text keeps its printed size)"), dpi);
        d.getDialogPane().setContent(g);
        d.getDialogPane().getButtonTypes().addAll(javafx.scene.control.ButtonType.OK, javafx.scene.control.ButtonType.CANCEL);
        d.showAndWait().filter(b -> b == javafx.scene.control.ButtonType.OK).ifPresent(b -> setExportSize(w.getText(), h.getText(), dpi.getText()));
    }

    /** Validates and stores the export size; returns false (and notifies) when a value is not acceptable. */
    public boolean setExportSize(String width, String height, String dpi) {
        try {
            ExportOptions o = new ExportOptions(Integer.parseInt(width.trim()), Integer.parseInt(height.trim()), Integer.parseInt(dpi.trim()));
            settings = settings.withExport(settings.lastExportFolder(), o.width(), o.height(), o.dpi());
            saveSettings.accept(settings);
            return true;
        } catch (NumberFormatException e) {
            session.notifier().error("Figure size not changed", "width, height and DPI must be whole numbers: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            session.notifier().error("Figure size not changed", e.getMessage());
        }
        return false;
    }

    private ExportOptions exportOptions() {
        return new ExportOptions(settings.exportWidth(), settings.exportHeight(), settings.exportDpi());
    }

    /** Exports the open view's first figure (format from the extension) and notifies; errors are notified, not thrown. */
    public boolean exportCurrentFigure(Path file) {
        return withFigure(f -> exporter.export(f, file, exportOptions(), session.runProperty().get().provenance()), file);
    }

    public boolean exportCurrentData(Path file) {
        return withFigure(f -> exporter.exportCsv(f, file, session.runProperty().get().provenance()), file);
    }

    /**
     * Charts are drawn on the FX thread, which also paints them; exporting there keeps one thread per chart
     * (a single figure takes tens of milliseconds).
     */
    public boolean exportAll(Path folder) {
        List<Figure> figures = views.values().stream().flatMap(v -> v.figures().stream()).toList();
        if (figures.isEmpty() || session.runProperty().get() == null) {
            session.notifier().error("Nothing to export", "Run a prompt first.");
            return false;
        }
        try {
            int n = exporter.exportAll(figures, folder, exportOptions(), session.runProperty().get().provenance()).size();
            session.notifier().info("Exported", n + " files to " + folder);
            return true;
        } catch (ExportException e) {
            session.notifier().error("Export failed", e.getMessage());
            return false;
        }
    }

    private boolean withFigure(Consumer<Figure> action, Path file) {
        List<Figure> fs = views.get(currentView).figures();
        if (fs.isEmpty() || session.runProperty().get() == null) {
            session.notifier().error("Nothing to export", "The open view has no figure yet.");
            return false;
        }
        try {
            action.accept(fs.getFirst());
            session.notifier().info("Exported", file.toString());
            return true;
        } catch (ExportException e) {
            session.notifier().error("Export failed", e.getMessage());
            return false;
        }
    }

    public Workspace workspace() {
        Map<String, Map<String, String>> vs = new HashMap<>();
        views.forEach((id, v) -> { if (!v.settings().isEmpty()) vs.put(id, v.settings()); });
        return new Workspace(Workspace.CURRENT_VERSION, session.modelProperty().get(), session.promptProperty().get(),
                session.ablationSpecProperty().get(), currentView, vs);
    }

    public boolean saveWorkspace(Path file) {
        try {
            WorkspaceStore.save(workspace(), file);
            session.notifier().info("Workspace saved", file.toString());
            return true;
        } catch (WorkspaceException e) {
            session.notifier().error("Workspace not saved", e.getMessage());
            return false;
        }
    }

    /** Opens a workspace; an unreadable file is reported and the current work is left exactly as it was. */
    public boolean openWorkspace(Path file) {
        Workspace w;
        try {
            w = WorkspaceStore.open(file);
        } catch (WorkspaceException e) {
            session.notifier().error("Workspace not opened", e.getMessage());
            return false;
        }
        session.modelProperty().set(w.model());
        session.promptProperty().set(w.prompt());
        session.ablationSpecProperty().set(w.ablationSpec());
        if (ablationsView != null) {
            try {
                ablationsView.viewModel().load(w.ablationSpec());
            } catch (IllegalArgumentException e) {
                session.notifier().error("Ablation spec in workspace ignored", e.getMessage());
            }
        }
        w.viewSettings().forEach((id, s) -> { if (views.containsKey(id)) views.get(id).applySettings(s); });
        if (views.containsKey(w.openView())) show(w.openView());
        return true;
    }
}
