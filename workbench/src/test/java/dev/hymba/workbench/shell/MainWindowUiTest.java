package dev.hymba.workbench.shell;

import dev.hymba.workbench.app.Screenshot;
import dev.hymba.workbench.app.Settings;
import dev.hymba.workbench.app.WorkbenchSession;
import dev.hymba.workbench.export.FigureExporter;
import dev.hymba.workbench.run.InMemoryRunData;
import dev.hymba.workbench.run.RunRequest;
import dev.hymba.workbench.run.SyntheticRuns;
import dev.hymba.workbench.views.TestSessions;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.stage.Stage;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Headless UI tests (TestFX + Monocle): run a prompt, switch views, toggle an ablation, export, screenshot. */
@ExtendWith(ApplicationExtension.class)
class MainWindowUiTest {
    private final List<RunRequest> requests = new CopyOnWriteArrayList<>();
    private final TestSessions.Notes notes = new TestSessions.Notes();
    private MainWindow window;

    @TempDir Path dir;

    @Start
    void start(Stage stage) {
        // The fake engine returns a synthetic run whose provenance records the ablation spec it was asked for.
        WorkbenchSession session = new WorkbenchSession((req, progress) -> {
            requests.add(req);
            for (int l = 0; l < 6; l++) progress.progress((l + 1) / 6.0, "layer " + l);
            InMemoryRunData r = SyntheticRuns.run(8, 40, 6, 4, 16, req.ablationSpec().hashCode());
            return new InMemoryRunData(new dev.hymba.workbench.run.RunProvenance(req.model(), "", req.prompt(),
                    r.provenance().tokenIds(), req.ablationSpec(), "test"), r.tokens(), r.layers(), r.maps(), r.metrics());
        }, new TaskRunner(Platform::runLater), notes);
        window = new MainWindow(session, Settings.defaults(), s -> {}, new FigureExporter("test", Clock.systemUTC()));
        stage.setScene(new Scene(window.root(), 1200, 800));
        stage.show();
    }

    private void runPrompt(FxRobot robot) throws Exception {
        robot.interact(() -> window.session().modelProperty().set("/models/synthetic"));
        // Typing through the robot costs seconds per test on a busy machine; setting the text exercises the same binding.
        robot.interact(() -> robot.lookup("#prompt").queryAs(TextArea.class).setText("The cat sat"));
        robot.clickOn("#run");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> window.session().runProperty().get() != null);
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void runPromptSwitchViewsAndChangeHead(FxRobot robot) throws Exception {
        runPrompt(robot);
        assertThat(requests).hasSize(1);
        assertThat(requests.getFirst().prompt()).isEqualTo("The cat sat");
        assertThat(robot.lookup("#model-summary").queryAs(Label.class).getText()).contains("6 layers", "8 meta");
        robot.clickOn("Attention");
        assertThat(window.currentView()).isEqualTo("attention");
        robot.interact(() -> ((javafx.scene.control.Spinner<Integer>) robot.lookup("#head").query()).getValueFactory().setValue(3));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(window.attentionView().heatmap().chart().getTitle().getText()).startsWith("Layer 0, head 3");
        robot.clickOn("Attention sinks");
        assertThat(window.currentView()).isEqualTo("sinks");
        assertThat(window.views().get("sinks").figures()).hasSize(2);
        robot.clickOn("SSM");
        assertThat(window.currentView()).isEqualTo("ssm");
        robot.clickOn("Hidden attention vs attention head");
        // computed on a worker thread: wait for the answer instead of the FX queue
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS,
                () -> robot.lookup("#ssm-pair-status").queryAs(Label.class).getText().contains("cannot give"));
        assertThat(robot.lookup("#ssm-pair-status").queryAs(Label.class).getText()).contains("cannot give the SSM's hidden attention");
        robot.clickOn("Fusion");
        assertThat(window.currentView()).isEqualTo("fusion");
        assertThat(window.views().get("fusion").figures()).isEmpty(); // the fake engine records no branch norms or scales
        robot.clickOn("Meta tokens");
        assertThat(window.currentView()).isEqualTo("meta");
    }

    @Test
    void pluginsPageListsBundledPluginsAndShowsAFailureInItsPanel(FxRobot robot) throws Exception {
        runPrompt(robot);
        robot.clickOn("Plugins");
        assertThat(window.currentView()).isEqualTo("plugins");
        @SuppressWarnings("unchecked")
        javafx.scene.control.ListView<dev.hymba.workbench.views.plugins.PluginsViewModel.Entry> list =
                robot.lookup("#plugin-list").queryAs(javafx.scene.control.ListView.class);
        assertThat(list.getItems()).extracting(e -> e.id()).contains("logit-lens", "head-importance");
        robot.interact(() -> list.getSelectionModel().select(
                list.getItems().stream().filter(e -> e.id().equals("logit-lens")).findFirst().orElseThrow()));
        assertThat(robot.lookup("#plugin-info").queryAs(Label.class).getText()).startsWith("Logit lens 1.0 (logit-lens, analysis");
        assertThat(robot.lookup("#plugin-params").queryAs(org.controlsfx.control.PropertySheet.class).getItems())
                .extracting(i -> i.getName()).containsExactly("target", "position", "k");
        // The fake engine cannot give plugins a model: the run fails in the error panel and the app keeps working.
        robot.clickOn("#plugin-run");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !robot.lookup("#plugin-error").queryAs(TextArea.class).getText().isEmpty());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#plugin-error").queryAs(TextArea.class).getText())
                .isEqualTo("Could not start logit-lens: This engine cannot run analysis plugins");
        assertThat(((dev.hymba.workbench.views.plugins.PluginsView) window.views().get("plugins")).viewModel().stateProperty().get())
                .isEqualTo(dev.hymba.workbench.views.plugins.PluginsViewModel.State.FAILED);
        assertThat(robot.lookup(n -> n instanceof javafx.scene.control.TitledPane t && t.getText().equals("Plugin error")).query().isVisible()).isTrue();
        robot.clickOn("Attention");
        assertThat(window.currentView()).isEqualTo("attention");
        assertThat(window.attentionView().figures()).isNotEmpty();
    }

    @Test
    void sweepsPageExplainsABadSpecAndAnEngineWithoutSweeps(FxRobot robot) throws Exception {
        robot.clickOn("Sweeps");
        assertThat(window.currentView()).isEqualTo("sweeps");
        var vm = ((dev.hymba.workbench.views.sweeps.SweepsView) window.views().get("sweeps")).viewModel();
        robot.interact(() -> vm.load("{\"version\":2}", "s.json"));
        assertThat(robot.lookup("#sweep-error").queryAs(Label.class).getText()).isEqualTo("s.json: version: 2 is not supported (this build reads version 1)");
        Path model = Files.createDirectories(dir.resolve("model"));
        Files.writeString(model.resolve("config.json"), "{}");
        Files.writeString(dir.resolve("p.jsonl"), "{\"id\":\"a\",\"ids\":[1,2,3]}\n");
        Path spec = dir.resolve("sweep.json");
        Files.writeString(spec, "{\"version\":1,\"model\":\"model\",\"prompts\":\"p.jsonl\",\"grid\":[{\"family\":\"meta\"}]}");
        robot.interact(() -> assertThat(vm.load(spec)).isTrue());
        assertThat(robot.lookup("#sweep-spec").queryAs(Label.class).getText()).isEqualTo(spec.toString());
        assertThat(robot.lookup("#sweep-error").queryAs(Label.class).getText()).isEmpty();
        // The fake engine has no sweep support: the failure lands in the error line and the page stays usable.
        robot.clickOn("#sweep-start");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> vm.stateProperty().get() == dev.hymba.workbench.views.sweeps.SweepsViewModel.State.FAILED);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#sweep-error").queryAs(Label.class).getText()).isEqualTo("This engine cannot run sweeps");
        assertThat(robot.lookup("#sweep-start").queryAs(javafx.scene.control.Button.class).isDisabled()).isFalse();
        assertThat(robot.lookup("#sweep-out-dir").queryAs(Label.class).getText()).isEqualTo("Output: in memory");
        Path out = dir.resolve("sweep-out");
        robot.interact(() -> assertThat(vm.setOutputDir(out)).isTrue());
        assertThat(robot.lookup("#sweep-out-dir").queryAs(Label.class).getText()).isEqualTo("Output: " + out);
        robot.clickOn("Model & prompt");
        assertThat(window.currentView()).isEqualTo("model");
        robot.interact(() -> { window.close(); window.close(); }); // releases the plugin jars; twice is harmless
    }

    @Test
    void ablationToggleRerunsAndUndoRestores(FxRobot robot) throws Exception {
        runPrompt(robot);
        robot.clickOn("Ablations");
        ComboBox<?> meta = robot.lookup("#meta-mode").queryAs(ComboBox.class);
        long t0 = System.nanoTime();
        robot.interact(() -> window.ablationsView().orElseThrow().viewModel().setMeta(
                dev.hymba.core.ablation.MetaMode.ZEROED));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS,
                () -> window.session().runProperty().get().provenance().ablationSpec().contains("zeroed"));
        WaitForAsyncUtils.waitForFxEvents();
        System.out.printf("ABLATION toggle -> views updated (synthetic engine, T=49, 6 layers): %.1f ms%n", (System.nanoTime() - t0) / 1e6);
        assertThat(meta.getValue().toString()).isEqualTo("ZEROED");
        assertThat(robot.lookup("#spec").queryAs(TextArea.class).getText()).contains("\"meta\" : \"zeroed\"");
        assertThat(window.session().baselineProperty().get().provenance().ablationSpec()).isEqualTo("{}");
        robot.clickOn("Plugins");
        assertThat(robot.lookup("#plugin-scope").queryAs(Label.class).getText()).startsWith("Ablation active (");
        robot.clickOn("Compare");
        assertThat(window.currentView()).isEqualTo("compare");
        assertThat(robot.lookup("#compare-status").queryAs(Label.class).getText()).startsWith("Top-1 next token changed at");
        assertThat(window.views().get("compare").figures()).extracting(f -> f.name())
                .contains("compare-difference-L0-H0", "region-mass-deltas");
        robot.clickOn("Ablations");
        robot.clickOn("#undo");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(window.session().runProperty().get()).isSameAs(window.session().baselineProperty().get());
        assertThat(robot.lookup("#spec").queryAs(TextArea.class).getText()).doesNotContain("zeroed");
    }

    @Test
    void exportPngSvgPdfFromTheAttentionView(FxRobot robot) throws Exception {
        runPrompt(robot);
        robot.clickOn("Attention");
        Path png = dir.resolve("a.png"), svg = dir.resolve("a.svg"), pdf = dir.resolve("a.pdf");
        robot.interact(() -> {
            assertThat(window.exportCurrentFigure(png)).isTrue();
            assertThat(window.exportCurrentFigure(svg)).isTrue();
            assertThat(window.exportCurrentFigure(pdf)).isTrue();
        });
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(Settings.defaults().exportWidth());
        assertThat(img.getHeight()).isEqualTo(Settings.defaults().exportHeight());
        DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
        dbf.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        assertThat(dbf.newDocumentBuilder().parse(svg.toFile()).getDocumentElement().getNodeName()).isEqualTo("svg");
        try (PDDocument d = Loader.loadPDF(pdf.toFile())) {
            assertThat(d.getNumberOfPages()).isEqualTo(1);
        }
        assertThat(FigureExporter.sidecarOf(pdf)).exists();
        assertThat(Files.readString(FigureExporter.sidecarOf(png))).contains("\"prompt\" : \"The cat sat\"");
        Path small = dir.resolve("small.png");
        robot.interact(() -> {
            assertThat(window.setExportSize("640", "480", "300")).isTrue();
            assertThat(window.setExportSize("0", "480", "300")).isFalse();
            assertThat(window.exportCurrentFigure(small)).isTrue();
        });
        assertThat(ImageIO.read(small.toFile()).getWidth()).isEqualTo(640);
        assertThat(notes.messages).anyMatch(m -> m.contains("Figure size not changed") && m.contains("got 0x480"));
        robot.interact(() -> assertThat(window.exportCurrentFigure(dir.resolve("missing/a.png"))).isFalse());
        assertThat(notes.messages).anyMatch(m -> m.startsWith("error: Export failed: Cannot write") && m.contains("does not exist"));
    }

    @Test
    void workspaceSaveAndOpenAndUnreadableFileKeepsWork(FxRobot robot) throws Exception {
        runPrompt(robot);
        robot.clickOn("Attention");
        Path ws = dir.resolve("ws.json");
        robot.interact(() -> {
            window.views().get("attention").applySettings(java.util.Map.of("layer", "2", "head", "1", "colorScale", "log"));
            assertThat(window.saveWorkspace(ws)).isTrue();
            window.session().promptProperty().set("changed");
            window.show("sinks");
            assertThat(window.openWorkspace(ws)).isTrue();
        });
        assertThat(window.session().promptProperty().get()).isEqualTo("The cat sat");
        assertThat(window.currentView()).isEqualTo("attention");
        assertThat(window.views().get("attention").settings()).containsEntry("layer", "2").containsEntry("colorScale", "log");
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{ not json");
        robot.interact(() -> {
            window.session().promptProperty().set("my unsaved work");
            assertThat(window.openWorkspace(bad)).isFalse();
        });
        assertThat(window.session().promptProperty().get()).isEqualTo("my unsaved work");
        assertThat(notes.messages).anyMatch(m -> m.contains("Workspace not opened") && m.contains("bad.json"));
    }

    @Test
    void screenshotOfTheMainWindowAndRedrawFigures(FxRobot robot) throws Exception {
        runPrompt(robot);
        robot.clickOn("Attention");
        Path out = dir.resolve("shot.png");
        robot.interact(() -> {
            try {
                Screenshot.snapshot(window.root(), 1200, 800, out);
            } catch (java.io.IOException e) {
                throw new RuntimeException(e);
            }
        });
        BufferedImage img = ImageIO.read(out.toFile());
        assertThat(img.getWidth()).isEqualTo(1200);
        assertThat(img.getHeight()).isEqualTo(800);
        // Not uniform: the window drew something (menus, heatmap cells).
        assertThat(img.getRGB(600, 400)).isNotEqualTo(img.getRGB(5, 795));
    }
}
