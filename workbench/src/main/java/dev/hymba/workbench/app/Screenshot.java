package dev.hymba.workbench.app;

import dev.hymba.workbench.export.FigureExporter;
import dev.hymba.workbench.run.RunData;
import dev.hymba.workbench.shell.MainWindow;
import dev.hymba.workbench.shell.Notifier;
import dev.hymba.workbench.shell.TaskRunner;
import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.image.WritableImage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Renders the real main window showing one view to a PNG, without a display (Monocle headless + software
 * rendering), for {@code ./hymba screenshot --view NAME --out FILE.png}.
 */
public final class Screenshot {
    private static final Logger LOG = LoggerFactory.getLogger(Screenshot.class);

    private Screenshot() {}

    /** Writes a PNG of a scene root laid out at width x height. Must run on the FX thread. */
    public static void snapshot(Parent root, int width, int height, Path out) throws IOException {
        Scene scene = root.getScene() != null ? root.getScene() : new Scene(root, width, height);
        root.applyCss();
        root.layout();
        WritableImage img = scene.snapshot(null);
        if (!ImageIO.write(SwingFXUtils.fromFXImage(img, null), "png", out.toFile()))
            throw new IOException("no PNG writer available");
    }

    /**
     * Starts the toolkit if needed (headless when there is no display), shows the run in the main window, opens the
     * view and writes the PNG.
     *
     * @throws IllegalArgumentException for an unknown view (the message lists the known ones)
     */
    public static void render(String viewId, RunData run, Path out, int width, int height) throws IOException {
        onFxThread(out, "Screenshot of view '" + viewId + "'", () -> {
            try (TaskRunner tasks = new TaskRunner(Runnable::run)) {
                Notifier log = new Notifier() {
                    @Override public void info(String t, String x) { LOG.info("{}: {}", t, x); }
                    @Override public void error(String t, String x) { LOG.warn("{}: {}", t, x); }
                };
                WorkbenchSession session = new WorkbenchSession((r, p) -> run, tasks, log);
                session.modelProperty().set(run.provenance().model());
                session.promptProperty().set(run.provenance().prompt());
                try (MainWindow w = new MainWindow(session, Settings.defaults(), s -> {}, new FigureExporter(WorkbenchApp.VERSION, Clock.systemUTC()))) {
                    session.show(run);
                    w.show(viewId);
                    snapshot(w.root(), width, height, out);
                }
            }
        });
    }

    /**
     * Renders a node built on the FX thread (a view plugin's view) to a PNG at width x height, headless when there is
     * no display: how {@code ./hymba plugin VIEW --out FILE.png} uses a view plugin from the command line.
     */
    public static void renderNode(java.util.concurrent.Callable<javafx.scene.Node> build, Path out, int width, int height) throws IOException {
        onFxThread(out, "Rendering the view", () -> {
            javafx.scene.Node n = build.call();
            if (n == null) throw new IllegalStateException("the view plugin returned no node");
            snapshot(n instanceof Parent p ? p : new javafx.scene.layout.StackPane(n), width, height, out);
        });
    }

    private interface FxWork { void run() throws Exception; }

    /**
     * Checks that out's folder exists, starts the toolkit (headless without a display), runs work on the FX thread and
     * waits up to 60 s. An IllegalArgumentException from the work (an unknown view) is rethrown as it is.
     */
    private static void onFxThread(Path out, String what, FxWork work) throws IOException {
        Path parent = out.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) throw new IOException("Cannot write " + out + ": folder " + parent + " does not exist");
        startToolkit();
        CompletableFuture<Void> done = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                work.run();
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        try {
            done.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IllegalArgumentException iae) throw iae;
            throw new IOException(what + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IOException(what + " did not finish: " + e, e);
        }
    }

    /** Starts JavaFX once; without a display it selects Monocle's headless platform and software rendering. */
    static synchronized void startToolkit() throws IOException {
        if (GuiLauncher.missingDisplay(System.getenv(), System.getProperty("os.name", ""), System.getProperty("glass.platform")) != null) {
            try {
                Class.forName("com.sun.glass.ui.monocle.MonoclePlatformFactory");
            } catch (ClassNotFoundException e) {
                throw new IOException("no display and no headless JavaFX platform (openjfx-monocle) on the class path");
            }
            System.setProperty("glass.platform", "Monocle");
            System.setProperty("monocle.platform", "Headless");
            System.setProperty("prism.order", "sw");
        }
        CompletableFuture<Void> started = new CompletableFuture<>();
        try {
            Platform.startup(() -> started.complete(null));
            Platform.setImplicitExit(false);
        } catch (IllegalStateException alreadyRunning) {
            started.complete(null);
        }
        try {
            started.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException("JavaFX did not start: " + e.getMessage(), e);
        }
    }
}
