package dev.hymba.workbench.views.sweeps;

import dev.hymba.core.io.SharedData;
import dev.hymba.workbench.engine.EngineRunService;
import dev.hymba.workbench.run.Matrix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class SweepsViewModelTest {
    @TempDir Path tmp;
    private final EngineRunService engine = new EngineRunService();
    private final List<String> opened = new ArrayList<>();
    private Path model;

    @BeforeEach
    void tinyModel() {
        assumeTrue(SharedData.golden().isPresent(), "../shared/golden is absent");
        model = SharedData.golden().get().resolve("tiny-a");
    }

    @AfterEach
    void close() { engine.close(); }

    private Path spec(String grid, int prompts) throws Exception {
        StringBuilder p = new StringBuilder();
        for (int i = 0; i < prompts; i++) p.append("{\"id\":\"p").append(i).append("\",\"ids\":[1,17,").append(42 + i).append(",99],\"target_ids\":[300]}\n");
        Files.writeString(tmp.resolve("prompts.jsonl"), p);
        Path s = tmp.resolve("sweep.json");
        Files.writeString(s, """
                {"version": 1, "model": "%s", "prompts": "prompts.jsonl", "batch": 1, "grid": %s}
                """.formatted(model, grid));
        return s;
    }

    private static void awaitState(SweepsViewModel vm, SweepsViewModel.State want) throws InterruptedException {
        CountDownLatch l = new CountDownLatch(1);
        vm.stateProperty().addListener((o, a, b) -> { if (b == want) l.countDown(); });
        if (vm.stateProperty().get() == want) return;
        assertThat(l.await(120, TimeUnit.SECONDS)).as("state " + want + ", error: " + vm.errorProperty().get()).isTrue();
    }

    @Test
    void theGridGetsEveryCellAndARowOpensAsAnAblatedRun() throws Exception {
        SweepsViewModel vm = new SweepsViewModel(engine::startSweep, Runnable::run, opened::add);
        assertThat(vm.load(spec("[{\"family\": \"head\", \"layers\": \"0-1\"}, {\"family\": \"meta\", \"modes\": [\"dropped\"]}]", 2))).isTrue();
        assertThat(vm.metrics()).containsExactly("loss_delta", "kl");
        assertThat(vm.start(1, null)).isTrue();
        awaitState(vm, SweepsViewModel.State.DONE);

        List<SweepsViewModel.GridRow> g = vm.grid();
        assertThat(g).hasSize(9); // 2 layers x 4 heads + meta dropped
        assertThat(g).extracting(SweepsViewModel.GridRow::ablation).startsWith("head:0:0:zero:pre_norm").endsWith("meta:dropped");
        for (SweepsViewModel.GridRow r : g) {
            assertThat(r.prompts()).isEqualTo(2);
            assertThat(r.means()[0]).isFinite();
            assertThat(r.means()[1]).isFinite().isGreaterThanOrEqualTo(0); // KL is never negative
        }
        // The grid's mean equals the mean of the two prompt rows of the table.
        var rows = vm.table().orElseThrow().rows().stream().filter(r -> r.ablation().equals("meta:dropped")).toList();
        assertThat(rows).hasSize(2);
        assertThat(g.getLast().means()[1]).isCloseTo((rows.get(0).value(1) + rows.get(1).value(1)) / 2, org.assertj.core.api.Assertions.within(1e-12));

        Matrix heads = SweepsViewModel.unitMatrix(g, "head", 1).orElseThrow();
        assertThat(heads.rows()).isEqualTo(2);
        assertThat(heads.cols()).isEqualTo(4);
        assertThat(heads.get(1, 3)).isEqualTo((float) g.get(7).means()[1]);

        assertThat(vm.open(8)).isTrue();
        assertThat(opened).hasSize(1);
        assertThat(opened.getFirst()).contains("\"meta\"").contains("dropped");

        Path csv = tmp.resolve("grid.csv");
        vm.exportGridCsv(csv);
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines).hasSize(10);
        assertThat(lines.getFirst()).isEqualTo("ablation_index,ablation,family,layer,unit,prompts,mean_loss_delta,mean_kl");
        assertThat(lines.get(9)).startsWith("8,meta:dropped,meta,-1,-1,2,");
        Path rowsCsv = tmp.resolve("rows.csv");
        vm.exportRowsCsv(rowsCsv);
        assertThat(Files.readAllLines(rowsCsv)).hasSize(1 + 18);
    }

    @Test
    void anOutputFolderGetsResultsAndSummaryLikeTheCliAndASecondRunResumes() throws Exception {
        SweepsViewModel vm = new SweepsViewModel(engine::startSweep, Runnable::run, opened::add);
        assertThat(vm.load(spec("[{\"family\": \"meta\", \"modes\": [\"dropped\"]}]", 2))).isTrue();
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        assertThat(vm.setOutputDir(file)).isFalse();
        assertThat(vm.errorProperty().get()).isEqualTo("Output folder " + file + " is a file");
        Path out = tmp.resolve("out");
        assertThat(vm.setOutputDir(out)).isTrue();
        assertThat(vm.start(1)).isTrue();
        awaitState(vm, SweepsViewModel.State.DONE);
        assertThat(Files.readAllLines(out.resolve("results.csv"))).hasSize(1 + 2);
        assertThat(Files.readAllLines(out.resolve("summary.csv"))).hasSizeGreaterThanOrEqualTo(2);
        assertThat(vm.statusProperty().get()).endsWith("; results.csv and summary.csv in " + out);
        String first = Files.readString(out.resolve("results.csv"));

        SweepsViewModel again = new SweepsViewModel(engine::startSweep, Runnable::run, opened::add);
        assertThat(again.load(tmp.resolve("sweep.json"))).isTrue();
        assertThat(again.setOutputDir(out)).isTrue();
        assertThat(again.statusProperty().get()).contains("finished tasks are resumed");
        assertThat(again.start(1)).isTrue();
        awaitState(again, SweepsViewModel.State.DONE);
        assertThat(again.statusProperty().get()).contains("tasks resumed from an earlier run");
        assertThat(Files.readString(out.resolve("results.csv"))).isEqualTo(first);
    }

    @Test
    void cancelStopsTheSweepAndKeepsFinishedRows() throws Exception {
        CountDownLatch firstRun = new CountDownLatch(1);
        // Slows every ablated run down a little so that cancel surely lands mid-sweep.
        SweepsViewModel.Starter slow = (s, w, out, listener) -> engine.startSweep(s, w, out, p -> {
            listener.progress(p);
            firstRun.countDown();
            try { Thread.sleep(30); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
        });
        SweepsViewModel vm = new SweepsViewModel(slow, Runnable::run, opened::add);
        assertThat(vm.load(spec("[{\"family\": \"head\", \"layers\": \"all\"}]", 4))).isTrue();
        assertThat(vm.start(1, null)).isTrue();
        assertThat(firstRun.await(60, TimeUnit.SECONDS)).isTrue();
        vm.cancel();
        assertThat(vm.stateProperty().get()).isEqualTo(SweepsViewModel.State.CANCELLED);
        Thread.sleep(500);
        int rows = vm.table().map(t -> t.rows().size()).orElse(0);
        Thread.sleep(500);
        assertThat(vm.table().map(t -> t.rows().size()).orElse(0)).as("no rows arrive after cancel").isEqualTo(rows);
        long expected = vm.plan().orElseThrow().expectedRows();
        assertThat(expected).isEqualTo(4L * 6 * 4);
        assertThat((long) rows).isLessThan(expected);
        assertThat(vm.tasks().runningProperty().get()).isFalse();
        // the page is usable again: another spec runs to the end
        assertThat(vm.load(spec("[{\"family\": \"meta\", \"modes\": [\"zeroed\"]}]", 1))).isTrue();
        SweepsViewModel again = vm;
        assertThat(again.start(1, null)).isTrue();
        awaitState(again, SweepsViewModel.State.DONE);
        assertThat(again.grid()).hasSize(1);
    }

    @Test
    void invalidSpecsAreExplainedAndTheLoadedSpecIsKept() throws Exception {
        SweepsViewModel vm = new SweepsViewModel(engine::startSweep, Runnable::run, opened::add);
        assertThat(vm.load("{\"version\":1,\"model\":\"m\",\"prompts\":\"p\",\"grid\":[{\"family\":\"head\",\"heads\":\"x\"}]}", "bad.json")).isFalse();
        assertThat(vm.errorProperty().get()).isEqualTo("bad.json: grid[0].heads: \"x\" is not \"all\", an integer, a list or a range like \"0-3\"");
        assertThat(vm.stateProperty().get()).isEqualTo(SweepsViewModel.State.EMPTY);
        assertThat(vm.start(1, null)).isFalse();
        Path good = spec("[{\"family\": \"meta\"}]", 1);
        assertThat(vm.load(good)).isTrue();
        assertThat(vm.load("{\"version\":1,\"model\":\"" + tmp.resolve("nowhere") + "\",\"prompts\":\"p\",\"grid\":[{\"family\":\"meta\"}]}",
                tmp.resolve("x.json").toString())).isFalse();
        assertThat(vm.errorProperty().get()).contains("model").contains("no config.json");
        assertThat(vm.specProperty().get().source()).isEqualTo(good.toString());
        assertThat(vm.stateProperty().get()).isEqualTo(SweepsViewModel.State.READY);
    }
}
