package dev.hymba.workbench.app;

import dev.hymba.workbench.export.FigureExporter;
import dev.hymba.workbench.run.RunService;
import dev.hymba.workbench.shell.FxNotifier;
import dev.hymba.workbench.shell.MainWindow;
import dev.hymba.workbench.shell.TaskRunner;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;

/** The JavaFX application: loads settings, builds the main window, saves settings on exit. */
public final class WorkbenchApp extends Application {
    private static final Logger LOG = LoggerFactory.getLogger(WorkbenchApp.class);
    public static final String VERSION = "0.1.0";

    /** Set by {@link GuiLauncher} before launch (Application.launch creates this class reflectively). */
    static volatile RunService engine;

    private TaskRunner tasks;
    private SettingsStore store;
    private Stage stage;
    private MainWindow window;

    @Override
    public void start(Stage stage) {
        this.stage = stage;
        store = new SettingsStore(SettingsStore.defaultFolder(), Clock.systemUTC());
        SettingsStore.Loaded loaded = store.load();
        tasks = new TaskRunner(Platform::runLater);
        FxNotifier notifier = new FxNotifier(() -> this.stage);
        RunService service = engine != null ? engine : RunService.discover();
        WorkbenchSession session = new WorkbenchSession(service, tasks, notifier);
        // Reopen where the user left off: the most recent model (the prompt comes from a workspace, if they open one).
        if (!loaded.settings().recentModels().isEmpty()) session.modelProperty().set(loaded.settings().recentModels().getFirst());
        window = new MainWindow(session, loaded.settings(), this::save, new FigureExporter(VERSION, Clock.systemUTC()));
        stage.setTitle("Hymba Workbench");
        stage.setScene(new Scene(window.root(), 1280, 860));
        stage.show();
        loaded.problem().ifPresent(p -> notifier.error("Settings", p));
    }

    private void save(Settings s) {
        try {
            store.save(s);
        } catch (IOException e) {
            LOG.warn("Could not save settings to {}: {}", store.file(), e.getMessage());
        }
    }

    @Override
    public void stop() {
        if (tasks != null) tasks.close();
        if (window != null) window.close(); // plugin jars stay open in their class loaders otherwise
    }
}
