package dev.hymba.workbench.views.plugins;

import dev.hymba.plugins.api.AnalysisContext;
import dev.hymba.plugins.api.AnalysisPlugin;
import dev.hymba.plugins.api.AnalysisResult;
import dev.hymba.plugins.api.PluginApi;
import dev.hymba.plugins.api.PluginInfo;
import dev.hymba.plugins.host.LoadedPlugin;
import dev.hymba.plugins.host.PluginRegistry;
import dev.hymba.workbench.app.WorkbenchSession;
import dev.hymba.workbench.engine.EngineRunService;
import dev.hymba.workbench.run.SyntheticRuns;
import dev.hymba.workbench.shell.TaskRunner;
import dev.hymba.workbench.testing.TinyModels;
import dev.hymba.workbench.views.TestSessions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class PluginsViewModelTest {
    /** Waits until the model leaves RUNNING (callbacks run on the worker thread in these tests). */
    private static void awaitEnd(PluginsViewModel vm) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        vm.stateProperty().addListener((o, a, b) -> { if (b != PluginsViewModel.State.RUNNING) done.countDown(); });
        if (vm.stateProperty().get() != PluginsViewModel.State.RUNNING) return;
        assertThat(done.await(60, TimeUnit.SECONDS)).as("plugin finished").isTrue();
    }

    @Test
    void runsTheLogitLensOnTheTinyModelAndShowsItsTable(@TempDir Path tmp) throws Exception {
        Path model = TinyModels.withRealTokenizer(tmp.resolve("m"));
        try (EngineRunService engine = new EngineRunService(); PluginRegistry reg = PluginRegistry.discover(getClass().getClassLoader(), null)) {
            WorkbenchSession session = new WorkbenchSession(engine, new TaskRunner(Runnable::run), new TestSessions.Notes());
            session.modelProperty().set(model.toString());
            session.promptProperty().set("The cat sat on the mat.");
            CountDownLatch ran = new CountDownLatch(1);
            session.runProperty().addListener((o, a, b) -> ran.countDown());
            session.runPrompt();
            assertThat(ran.await(60, TimeUnit.SECONDS)).isTrue();

            PluginsViewModel vm = new PluginsViewModel(reg.plugins(), reg.refusals(), session.runProperty(), session::analysisServices,
                    session.tasks(), Duration.ofSeconds(60));
            assertThat(vm.entries()).extracting(PluginsViewModel.Entry::id).contains("logit-lens", "head-importance");
            assertThat(vm.entries()).filteredOn(e -> e.kind().equals("intervention")).allMatch(e -> !e.runnable());
            vm.select("logit-lens");
            assertThat(vm.parameterValues()).containsEntry("k", "5").containsEntry("position", "-1").containsEntry("target", "");
            vm.setParameter("k", "3");
            assertThat(vm.runSelected()).isTrue();
            awaitEnd(vm);
            assertThat(vm.stateProperty().get()).as(vm.errorProperty().get()).isEqualTo(PluginsViewModel.State.DONE);

            AnalysisResult r = vm.resultProperty().get();
            AnalysisResult.Table t = r.tables().getFirst();
            int promptLen = session.runProperty().get().provenance().tokenIds().size();
            // embed + 3 layers; label, P(target) and the k = 3 top tokens
            assertThat(t.columns()).hasSize(5).startsWith("layer");
            assertThat(t.rows()).extracting(row -> row.getFirst()).containsExactly("embed", "layer 0", "layer 1", "layer 2");
            assertThat(t.name()).isEqualTo("top-k at position " + (promptLen - 1));
            // The default target is the model's top token, and the last layer's lens is the model's output.
            String target = t.columns().get(1).replaceAll("\\D", "");
            assertThat(t.rows().getLast().get(2)).startsWith(target + " (");
            for (List<String> row : t.rows()) assertThat(Double.parseDouble(row.get(1))).isBetween(0.0, 1.0);

            var figs = PluginsViewModel.figures(r);
            assertThat(figs).hasSize(1);
            StringWriter csv = new StringWriter();
            figs.getFirst().data().writeCsv(csv);
            String[] lines = csv.toString().split("\n");
            assertThat(lines).hasSize(1 + 4); // header of positions, then one line per lens row
            assertThat(lines[4]).startsWith("3 layer 2,");
            assertThat(lines[4].split(",")).hasSize(1 + promptLen);
        }
    }

    /** The body of a test plugin. */
    interface Body { AnalysisResult analyze(AnalysisContext c) throws Exception; }

    private static LoadedPlugin plugin(String id, Body body) {
        return new LoadedPlugin(new AnalysisPlugin() {
            @Override public PluginInfo info() { return new PluginInfo(id, id, "0.1", PluginApi.VERSION, "test"); }

            @Override public AnalysisResult analyze(AnalysisContext c) throws Exception { return body.analyze(c); }
        }, null);
    }

    private static PluginsViewModel vm(Duration limit, LoadedPlugin... ps) {
        WorkbenchSession s = TestSessions.showing(SyntheticRuns.run(2, 3, 2, 2, 4, 1));
        return new PluginsViewModel(List.of(ps), List.of(), s.runProperty(), r -> Map.of(), s.tasks(), limit);
    }

    @Test
    void theScopeLineSaysWhetherThePluginTookTheAblation() throws Exception {
        var r = SyntheticRuns.run(2, 3, 2, 2, 4, 1);
        var ablated = new dev.hymba.workbench.run.InMemoryRunData(new dev.hymba.workbench.run.RunProvenance("m", "", "p",
                r.provenance().tokenIds(), "{\"version\":1,\"branches\":[{\"layer\":1,\"branch\":\"attention\"}]}", "test"),
                r.tokens(), r.layers(), r.maps(), r.metrics());
        WorkbenchSession s = TestSessions.showing(ablated);
        var options = dev.hymba.core.model.RunOptions.builder().attentionOff(1).build();
        List<Object> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        PluginsViewModel vm = new PluginsViewModel(List.of(
                plugin("reads", c -> {
                    seen.add(c.require(dev.hymba.core.model.RunOptions.class));
                    return AnalysisResult.builder("ok").table("t", List.of("a"), List.of(List.of("1"))).build();
                }),
                plugin("ignores", c -> AnalysisResult.builder("ok").table("t", List.of("a"), List.of(List.of("1"))).build())),
                List.of(), s.runProperty(), run -> Map.of(dev.hymba.core.model.RunOptions.class, options), s.tasks(), Duration.ofSeconds(10));
        assertThat(vm.scopeProperty().get()).startsWith("Ablation active (").contains("offered to plugins");
        vm.select("reads");
        assertThat(vm.runSelected()).isTrue();
        awaitEnd(vm);
        assertThat(seen).containsExactly(options);
        assertThat(vm.scopeProperty().get()).startsWith("reads ran on the ablated run (");
        vm.select("ignores");
        assertThat(vm.runSelected()).isTrue();
        awaitEnd(vm);
        assertThat(vm.scopeProperty().get()).isEqualTo("ignores ran on the baseline model; ablation not applied by this plugin.");
        // a baseline run as the engine records it: the empty spec written out in full
        assertThat(PluginsViewModel.scopeBefore(new dev.hymba.workbench.run.InMemoryRunData(new dev.hymba.workbench.run.RunProvenance("m", "", "p",
                r.provenance().tokenIds(), dev.hymba.core.ablation.AblationSpec.EMPTY.toJson(), "test"), r.tokens(), r.layers(), r.maps(), r.metrics())))
                .isEqualTo("Plugins run on the baseline model.");
        s.show(r); // back to a baseline run
        assertThat(vm.scopeProperty().get()).isEqualTo("Plugins run on the baseline model.");
        assertThat(vm.runSelected()).isTrue();
        awaitEnd(vm);
        assertThat(vm.scopeProperty().get()).isEqualTo("ignores ran on the baseline model.");
    }

    @Test
    void aThrowingPluginEndsInAnErrorStateAndTheNextRunWorks() throws Exception {
        PluginsViewModel vm = vm(Duration.ofSeconds(10),
                plugin("boom", c -> { throw new IllegalStateException("no such layer 99"); }),
                plugin("fine", c -> AnalysisResult.builder("ok").table("t", List.of("a"), List.of(List.of("1"))).build()));
        vm.select("boom");
        assertThat(vm.runSelected()).isTrue();
        awaitEnd(vm);
        assertThat(vm.stateProperty().get()).isEqualTo(PluginsViewModel.State.FAILED);
        assertThat(vm.errorProperty().get()).startsWith("boom failed: IllegalStateException: no such layer 99").contains("at ");
        assertThat(vm.resultProperty().get()).isNull();
        vm.select("fine");
        assertThat(vm.runSelected()).isTrue();
        awaitEnd(vm);
        assertThat(vm.stateProperty().get()).isEqualTo(PluginsViewModel.State.DONE);
        assertThat(vm.resultProperty().get().tables().getFirst().rows()).containsExactly(List.of("1"));
    }

    @Test
    void aHangingPluginTimesOutAndCancelStopsALongOne() throws Exception {
        Body hang = c -> { while (true) Thread.onSpinWait(); }; // ignores interrupts on purpose
        PluginsViewModel vm = vm(Duration.ofMillis(300), plugin("hang", hang));
        long t0 = System.nanoTime();
        assertThat(vm.runSelected()).isTrue();
        awaitEnd(vm);
        assertThat(vm.stateProperty().get()).isEqualTo(PluginsViewModel.State.FAILED);
        assertThat(vm.errorProperty().get()).contains("hang did not finish within");
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(5);

        PluginsViewModel slow = vm(Duration.ofMinutes(5), plugin("slow", c -> { Thread.sleep(60_000); return null; }));
        assertThat(slow.runSelected()).isTrue();
        slow.cancel();
        assertThat(slow.stateProperty().get()).isEqualTo(PluginsViewModel.State.CANCELLED);
        assertThat(slow.cannotRun()).isEmpty();
    }

    private static LoadedPlugin view(String id) {
        return new LoadedPlugin(new dev.hymba.plugins.api.ViewPlugin() {
            @Override public PluginInfo info() { return new PluginInfo(id, "View " + id, "0.1", PluginApi.VERSION, "test view"); }

            @Override public javafx.scene.Node createView(AnalysisContext c) { throw new AssertionError("the view model never builds nodes"); }
        }, null);
    }

    @Test
    void aViewPluginOpensOverTheCurrentRunAndABrokenOneShowsAsAnError() throws Exception {
        WorkbenchSession s = TestSessions.showing(SyntheticRuns.run(2, 3, 2, 2, 4, 1));
        PluginsViewModel vm = new PluginsViewModel(List.of(view("v"), plugin("a", c -> null)), List.of(), s.runProperty(),
                r -> Map.of(String.class, "the run's service"), s.tasks(), Duration.ofSeconds(5));
        vm.select("a");
        assertThat(vm.cannotOpenView()).contains("a is analysis, not a view.");
        vm.select("v");
        assertThat(vm.cannotOpenView()).isEmpty();
        assertThat(vm.cannotRun()).get().asString().contains("not an analysis");
        PluginsViewModel.ViewRequest req = vm.viewRequest();
        assertThat(req.plugin().info().id()).isEqualTo("v");
        assertThat(req.context().service(String.class)).contains("the run's service");
        vm.viewOpened("v");
        assertThat(vm.stateProperty().get()).isEqualTo(PluginsViewModel.State.DONE);
        vm.viewFailed("v", new IllegalStateException("no chart for you"));
        assertThat(vm.stateProperty().get()).isEqualTo(PluginsViewModel.State.FAILED);
        assertThat(vm.errorProperty().get()).startsWith("v could not build its view: no chart for you").contains("at ");

        WorkbenchSession empty = new WorkbenchSession((r, p) -> null, new TaskRunner(Runnable::run), new TestSessions.Notes());
        PluginsViewModel noRun = new PluginsViewModel(List.of(view("v")), List.of(), empty.runProperty(), r -> Map.of(), empty.tasks(), Duration.ofSeconds(1));
        assertThat(noRun.cannotOpenView()).contains("Run a prompt first: views show the current run.");
        org.assertj.core.api.Assertions.assertThatThrownBy(noRun::viewRequest).hasMessageStartingWith("Run a prompt first");
    }

    @Test
    void badParametersAndNoRunAreRefusedWithAReason() {
        WorkbenchSession empty = new WorkbenchSession((r, p) -> null, new TaskRunner(Runnable::run), new TestSessions.Notes());
        PluginsViewModel vm = new PluginsViewModel(List.of(plugin("x", c -> null)), List.of(), empty.runProperty(), r -> Map.of(),
                empty.tasks(), Duration.ofSeconds(1));
        assertThat(vm.runSelected()).isFalse();
        assertThat(vm.statusProperty().get()).startsWith("Run a prompt first");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> vm.setParameter("nope", "1")).hasMessageContaining("no parameter 'nope'");
    }

    @Test
    void arraysWithoutAFigureAreDrawnAsHeatmapOrLine() throws Exception {
        AnalysisResult r = AnalysisResult.builder("Arrays only")
                .array("grid", new float[] {1, -2, 3, 4, 5, 6}, 2, 3)
                .array("curve", new float[] {0.5f, 0.25f}, 2)
                .array("cube", new float[8], 2, 2, 2)
                .figure(new AnalysisResult.Figure("bars", AnalysisResult.Figure.Kind.BAR, "curve", List.of("s"), List.of("a", "b"), "x", "y"))
                .build();
        var figs = PluginsViewModel.figures(r);
        // the declared bar chart, then the heatmap of the undeclared 2-D array; curve is already drawn, cube is 3-D
        assertThat(figs).hasSize(2);
        StringWriter bars = new StringWriter();
        figs.get(0).data().writeCsv(bars);
        assertThat(bars.toString()).isEqualTo("x,s\na,0.5\nb,0.25\n");
        StringWriter heat = new StringWriter();
        figs.get(1).data().writeCsv(heat);
        assertThat(heat.toString().split("\n")).containsExactly("row\\column,0 0,1 1,2 2", "0 row 0,1.0,-2.0,3.0", "1 row 1,4.0,5.0,6.0");
    }
}
