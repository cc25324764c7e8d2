package dev.hymba.sweeps;

import dev.hymba.core.model.HymbaModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalExecutorTest {
    @TempDir Path tmp;

    /** 2 prompts × 9 ablations (8 heads + 1 meta variant), batches of 4: 6 tasks, 18 rows. */
    private SweepPlan plan(Path dir) throws Exception {
        Files.createDirectories(dir);
        Path spec = TinyA.writeSweep(dir, "[{\"family\":\"head\",\"layers\":\"0-1\"},{\"family\":\"meta\",\"modes\":[\"zeroed\"]}]",
                "[\"loss_delta\",\"kl\",\"logit_diff\"]", 4,
                "{\"id\":\"a\",\"ids\":[1,17,42,99],\"target_ids\":[300]}", "{\"id\":\"b, quoted \\\"id\\\"\",\"ids\":[1,5,6,7,8],\"target_ids\":[9,10]}");
        return SweepPlan.local(SweepSpec.read(spec), TinyA.config(), TinyA.dir());
    }

    @Test
    void oneAndTwoWorkersGiveTheSameCompleteTableAndFiles() throws Exception {
        HymbaModel m = TinyA.model();
        SweepPlan plan = plan(tmp.resolve("spec"));
        assertThat(plan.tasks()).hasSize(6);
        List<LocalExecutor.Progress> seen = new ArrayList<>();
        ResultTable one = LocalExecutor.run(m, plan, 1, tmp.resolve("out1"), p -> { synchronized (seen) { seen.add(p); } });
        ResultTable two = LocalExecutor.run(m, plan, 2, tmp.resolve("out2"), p -> {});
        assertThat(one.rows()).hasSize(18);
        assertThat(two).isEqualTo(one);
        assertThat(one.rows().get(0).promptId()).isEqualTo("a");
        assertThat(one.rows().get(17).ablation()).isEqualTo("meta:zeroed");
        assertThat(seen.getLast().finished()).isTrue();
        assertThat(seen.getLast().runsDone()).isEqualTo(18);
        // the files hold exactly the table (doubles round-trip; the quoted id survives)
        assertThat(ResultTable.readCsv(tmp.resolve("out1/results.csv"))).isEqualTo(one);
        List<String> summary = Files.readAllLines(tmp.resolve("out1/summary.csv"));
        assertThat(summary.getFirst()).isEqualTo("ablation_index,ablation,family,layer,unit,prompts,mean_loss_delta,mean_kl,mean_logit_diff");
        assertThat(summary).hasSize(10);
        double meanKl0 = (one.rows().get(0).value(1) + one.rows().get(9).value(1)) / 2;
        assertThat(summary.get(1)).startsWith("0,head:0:0:zero:pre_norm,head,0,0,2,").contains(Double.toString(meanKl0));
    }

    @Test
    void aRerunResumesFromTheTaskPartsWithoutDuplicatesOrGaps() throws Exception {
        HymbaModel m = TinyA.model();
        SweepPlan plan = plan(tmp.resolve("spec"));
        Path out = tmp.resolve("out");
        ResultTable full = LocalExecutor.run(m, plan, 1, out, p -> {});
        Files.delete(out.resolve("results.csv"));
        Files.delete(LocalExecutor.partFile(out, plan.tasks().get(1)));
        Files.delete(LocalExecutor.partFile(out, plan.tasks().get(4)));
        AtomicLong last = new AtomicLong();
        AtomicReference<LocalExecutor.Progress> lastP = new AtomicReference<>();
        ResultTable again = LocalExecutor.run(m, plan, 2, out, p -> lastP.set(p));
        assertThat(again).isEqualTo(full);
        assertThat(lastP.get().tasksResumed()).isEqualTo(4);
        assertThat(ResultTable.readCsv(out.resolve("results.csv"))).isEqualTo(full);
        // a finished folder: nothing left to run, same table
        assertThat(LocalExecutor.run(m, plan, 1, out, p -> last.incrementAndGet())).isEqualTo(full);
        assertThat(last.get()).isZero();
    }

    @Test
    void cancelStopsAndTheFolderResumesToTheSameTable() throws Exception {
        HymbaModel m = TinyA.model();
        SweepPlan plan = plan(tmp.resolve("spec"));
        ResultTable reference = LocalExecutor.run(m, plan, 1, null, p -> {});
        Path out = tmp.resolve("out");
        AtomicReference<LocalExecutor.SweepRun> run = new AtomicReference<>();
        Object lock = new Object();
        synchronized (lock) {
            run.set(LocalExecutor.start(m, plan, 1, out, p -> {
                synchronized (lock) { if (p.tasksDone() >= 1) run.get().cancel(); }
            }));
        }
        assertThatThrownBy(() -> run.get().await()).isInstanceOf(CancellationException.class);
        assertThat(run.get().isDone()).isTrue();
        int partsAfterCancel = (int) plan.tasks().stream().filter(t -> Files.exists(LocalExecutor.partFile(out, t))).count();
        assertThat(partsAfterCancel).isBetween(1, 5);
        assertThat(run.get().snapshot().rows()).hasSizeLessThan(18).isNotEmpty()
                .isSubsetOf(reference.rows());
        assertThat(Files.exists(out.resolve("results.csv"))).isFalse();
        assertThat(LocalExecutor.run(m, plan, 2, out, p -> {})).isEqualTo(reference);
    }

    @Test
    void aFolderOfAnotherSweepIsRefused() throws Exception {
        HymbaModel m = TinyA.model();
        Path out = tmp.resolve("out");
        LocalExecutor.run(m, plan(tmp.resolve("spec")), 1, out, p -> {});
        Path other = TinyA.writeSweep(Files.createDirectories(tmp.resolve("spec2")), "[{\"family\":\"meta\"}]", "[\"kl\"]", 4, "{\"id\":\"a\",\"ids\":[1,2]}");
        SweepPlan p2 = SweepPlan.local(SweepSpec.read(other), m.config(), TinyA.dir());
        assertThatThrownBy(() -> LocalExecutor.start(m, p2, 1, out, p -> {}))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("holds results of another sweep");
    }

    @Test
    void assembleDropsDuplicatesAndRefusesGapsAndForeignRows() throws Exception {
        SweepPlan plan = plan(tmp.resolve("spec"));
        ResultTable t = LocalExecutor.run(TinyA.model(), plan, 1, null, p -> {});
        List<ResultRow> rows = new ArrayList<>(t.rows());
        rows.addAll(t.rows().subList(0, 4)); // a task that ran twice
        assertThat(ResultTable.assemble(plan, rows)).isEqualTo(t);
        ResultRow gap = rows.remove(5);
        assertThatThrownBy(() -> ResultTable.assemble(plan, rows))
                .isInstanceOf(ResultTable.IncompleteException.class)
                .hasMessage("1 of 18 result rows are missing, e.g. [" + gap.promptId() + " × " + gap.ablation() + "]");
        ResultRow stranger = new ResultRow(0, "a", 0, "head:5:0:zero:pre_norm", "head", 5, 0, new double[3]);
        assertThatThrownBy(() -> ResultTable.assemble(plan, List.of(stranger))).hasMessageContaining("does not belong to this sweep plan");
    }
}
