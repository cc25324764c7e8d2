package dev.hymba.workbench.views.sweeps;

import dev.hymba.sweeps.Ablation;
import dev.hymba.sweeps.LocalExecutor;
import dev.hymba.sweeps.ResultRow;
import dev.hymba.sweeps.ResultTable;
import dev.hymba.sweeps.SweepPlan;
import dev.hymba.sweeps.SweepSpec;
import dev.hymba.sweeps.SweepSpecException;
import dev.hymba.workbench.run.Matrix;
import dev.hymba.workbench.run.ProgressSink;
import dev.hymba.workbench.run.SweepJob;
import dev.hymba.workbench.shell.TaskRunner;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The Sweeps page: a validated sweep spec, its run on the local executor (own worker, progress, cancel), and a grid
 * of one row per ablation with the metric means over the prompts finished so far, filled in as tasks complete. A
 * finished row can be opened as the ablated run of the other views; the grid exports as CSV.
 */
public final class SweepsViewModel {
    public enum State { EMPTY, READY, RUNNING, DONE, FAILED, CANCELLED }

    /**
     * One ablation of the plan; {@code prompts} counts the prompts whose result arrived, the means are NaN until the
     * first one does.
     */
    public record GridRow(int index, String ablation, String family, int layer, int unit, int prompts, double[] means) {
        public GridRow {
            means = means.clone();
        }

        @Override public double[] means() { return means.clone(); }

        public boolean complete(int promptCount) { return prompts == promptCount; }
    }

    /** Starts a sweep on the engine (the view passes the session's engine). */
    @FunctionalInterface
    public interface Starter {
        SweepJob start(SweepSpec spec, int workers, Path outDir, LocalExecutor.Listener listener) throws Exception;
    }

    private final Starter starter;
    private final TaskRunner tasks;
    private final Executor ui;
    private final Consumer<String> openAblation;
    private final ReadOnlyObjectWrapper<SweepSpec> spec = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(State.EMPTY);
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("Load a sweep spec (JSON).");
    private final ObservableList<GridRow> grid = FXCollections.observableArrayList();
    private final ObservableList<String> metrics = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<Path> outputDir = new ReadOnlyObjectWrapper<>();
    private volatile SweepPlan plan;
    private volatile ResultTable table;
    private volatile int resumedTasks;
    private Path runningOut;
    private TaskRunner.Handle handle;

    /**
     * @param ui           where grid updates run (Platform::runLater in the app, a direct executor in tests)
     * @param openAblation receives an ablation spec JSON to show as the current run in the other views
     */
    public SweepsViewModel(Starter starter, Executor ui, Consumer<String> openAblation) {
        this.starter = starter;
        this.ui = ui;
        this.tasks = new TaskRunner(ui); // its own worker: a sweep must not cancel, or be cancelled by, a prompt run
        this.openAblation = openAblation;
    }

    public ReadOnlyObjectProperty<SweepSpec> specProperty() { return spec.getReadOnlyProperty(); }

    public ReadOnlyObjectProperty<State> stateProperty() { return state.getReadOnlyProperty(); }

    public ReadOnlyStringProperty errorProperty() { return error.getReadOnlyProperty(); }

    public ReadOnlyStringProperty statusProperty() { return status.getReadOnlyProperty(); }

    public ObservableList<GridRow> grid() { return grid; }

    /**
     * Where the next sweep writes plan.txt, parts/, results.csv and summary.csv, as {@code ./hymba sweep --out} does
     * (null: results stay in memory). The same folder again resumes: finished tasks' parts are read back.
     */
    public ReadOnlyObjectProperty<Path> outputDirProperty() { return outputDir.getReadOnlyProperty(); }

    /** Sets the output folder (null for none); a path that is a file or cannot be written is explained and refused. */
    public boolean setOutputDir(Path dir) {
        if (state.get() == State.RUNNING) return reject("A sweep is running: cancel it before changing the output folder.");
        if (dir != null) {
            if (Files.exists(dir) && !Files.isDirectory(dir)) return reject("Output folder " + dir + " is a file");
            Path existing = dir;
            while (existing != null && !Files.exists(existing)) existing = existing.getParent();
            if (existing == null || !Files.isWritable(existing)) return reject("Output folder " + dir + " cannot be written");
        }
        outputDir.set(dir);
        error.set("");
        status.set(dir == null ? "Results stay in memory (no output folder)."
                : "Results go to " + dir + (Files.isRegularFile(dir.resolve("plan.txt")) ? " (holds an earlier run: finished tasks are resumed)" : ""));
        return true;
    }

    /** Starts the loaded spec writing to the chosen output folder, if any. */
    public boolean start(int workers) { return start(workers, outputDir.get()); }

    public ObservableList<String> metrics() { return metrics; }

    public TaskRunner tasks() { return tasks; }

    public Optional<SweepPlan> plan() { return Optional.ofNullable(plan); }

    /** The rows so far (all of them once DONE). */
    public Optional<ResultTable> table() { return Optional.ofNullable(table); }

    /** Reads and validates a spec file; an invalid one is explained (file and field) and the previous one is kept. */
    public boolean load(Path file) {
        try {
            return accept(SweepSpec.read(file));
        } catch (SweepSpecException | java.io.UncheckedIOException e) {
            return reject(e.getMessage());
        }
    }

    /** Same for spec text; {@code source} names it in messages and anchors relative paths. */
    public boolean load(String json, String source) {
        try {
            return accept(SweepSpec.parse(json, source));
        } catch (SweepSpecException e) {
            return reject(e.getMessage());
        }
    }

    private boolean accept(SweepSpec s) {
        if (state.get() == State.RUNNING) return reject("A sweep is running: cancel it before loading another spec.");
        // The local executor reads the folder and prompt file; check them now rather than after the start.
        try {
            s.modelDir();
            s.promptsFile();
        } catch (SweepSpecException e) {
            return reject(e.getMessage());
        }
        spec.set(s);
        plan = null;
        table = null;
        grid.clear();
        metrics.setAll(s.metrics().stream().map(m -> m.json()).toList());
        error.set("");
        state.set(State.READY);
        status.set(s.source() + ": " + s.grid().size() + " grid entries, metrics " + String.join(", ", metrics));
        return true;
    }

    private boolean reject(String message) {
        error.set(message);
        status.set("Spec not loaded");
        return false;
    }

    /** Starts the loaded spec; false (with the reason) when there is none or one runs. */
    public boolean start(int workers, Path outDir) {
        SweepSpec s = spec.get();
        if (s == null || state.get() == State.RUNNING) {
            status.set(s == null ? "Load a sweep spec first." : "A sweep is running.");
            return false;
        }
        if (workers < 1) throw new IllegalArgumentException("workers: " + workers + " must be >= 1");
        state.set(State.RUNNING);
        error.set("");
        grid.clear();
        table = null;
        status.set("Starting\u2026");
        runningOut = outDir;
        resumedTasks = 0;
        handle = tasks.submit("Sweep", p -> runSweep(s, workers, outDir, p), this::finished, e -> {
            error.set(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            state.set(State.FAILED);
            status.set("Sweep failed");
        });
        return true;
    }

    /**
     * Runs on the worker: starts the executor, then publishes a snapshot to the grid whenever a task finished
     * (rows arrive per task), until the sweep ends or Cancel is pressed.
     */
    private ResultTable runSweep(SweepSpec s, int workers, Path outDir, ProgressSink sink) throws Exception {
        SweepJob job = starter.start(s, workers, outDir, p -> sink.progress(p.runsTotal() == 0 ? 1 : (double) p.runsDone() / p.runsTotal(),
                String.format(Locale.ROOT, "%d/%d ablated runs, %d/%d tasks", p.runsDone(), p.runsTotal(), p.tasksDone(), p.tasksTotal())));
        plan = job.plan();
        resumedTasks = job.run().progress().tasksResumed();
        publish(job.run().snapshot());
        int seen = job.run().progress().tasksDone();
        try {
            while (!job.run().isDone()) {
                if (sink.cancelled()) throw new CancellationException("sweep cancelled");
                Thread.sleep(50);
                int now = job.run().progress().tasksDone();
                if (now != seen) {
                    seen = now;
                    publish(job.run().snapshot());
                }
            }
            ResultTable t = job.run().await();
            publish(t);
            return t;
        } catch (CancellationException | InterruptedException e) {
            job.run().cancel();
            publish(job.run().snapshot()); // keep what finished
            throw e;
        }
    }

    private void publish(ResultTable t) {
        SweepPlan p = plan;
        List<GridRow> rows = gridOf(p, t);
        ui.execute(() -> {
            table = t;
            grid.setAll(rows);
        });
    }

    private void finished(ResultTable t) {
        table = t;
        String where = runningOut == null ? "" : "; results.csv and summary.csv in " + runningOut
                + (resumedTasks > 0 ? " (" + resumedTasks + " tasks resumed from an earlier run)" : "");
        status.set(t.rows().size() + " results: " + plan.prompts().size() + " prompts \u00d7 " + plan.ablations().size() + " ablations" + where);
        state.set(State.DONE); // last: whoever waits for DONE reads a complete status
    }

    public void cancel() {
        if (handle != null && state.get() == State.RUNNING) {
            handle.cancel();
            state.set(State.CANCELLED);
            status.set(runningOut == null ? "Cancelled; finished rows are kept"
                    : "Cancelled; finished tasks are kept in " + runningOut + " and resume when it runs again");
        }
    }

    /** One row per ablation of the plan, in plan order, with the means of the rows that have arrived. */
    public static List<GridRow> gridOf(SweepPlan plan, ResultTable t) {
        int m = plan.metricNames().size();
        int n = plan.ablations().size();
        double[][] sum = new double[n][m];
        int[][] count = new int[n][m];
        int[] prompts = new int[n];
        for (ResultRow r : t.rows()) {
            int a = r.ablationIndex();
            prompts[a]++;
            for (int k = 0; k < m; k++) if (!Double.isNaN(r.value(k))) { sum[a][k] += r.value(k); count[a][k]++; }
        }
        List<GridRow> out = new ArrayList<>(n);
        for (int a = 0; a < n; a++) {
            Ablation ab = plan.ablations().get(a);
            double[] means = new double[m];
            for (int k = 0; k < m; k++) means[k] = count[a][k] == 0 ? Double.NaN : sum[a][k] / count[a][k];
            out.add(new GridRow(a, ab.key(), ab.family().json(), ab.layer(), ab.unit(), prompts[a], means));
        }
        return out;
    }

    /**
     * Layer × unit matrix of one metric for a family with units (head, ssm_block); cells without a result yet are
     * NaN. Empty when the grid has no row of that family.
     */
    public static Optional<Matrix> unitMatrix(List<GridRow> rows, String family, int metric) {
        List<GridRow> f = rows.stream().filter(r -> r.family().equals(family) && r.layer() >= 0 && r.unit() >= 0).toList();
        if (f.isEmpty()) return Optional.empty();
        int layers = f.stream().mapToInt(GridRow::layer).max().orElseThrow() + 1;
        int units = f.stream().mapToInt(GridRow::unit).max().orElseThrow() + 1;
        float[] v = new float[layers * units];
        Arrays.fill(v, Float.NaN);
        for (GridRow r : f) v[r.layer() * units + r.unit()] = (float) r.means()[metric];
        return Optional.of(new Matrix(layers, units, v));
    }

    /** Shows a finished row's ablation as the current run of the other views; false when it has no result yet. */
    public boolean open(int index) {
        SweepPlan p = plan;
        if (p == null || index < 0 || index >= p.ablations().size()) return false;
        GridRow r = grid.stream().filter(g -> g.index() == index).findFirst().orElse(null);
        if (r == null || r.prompts() == 0) {
            status.set("Row " + index + " has no result yet.");
            return false;
        }
        String json = p.ablations().get(index).spec().toJson();
        openAblation.accept(json);
        status.set("Opened " + r.ablation() + " as the current run");
        return true;
    }

    /** The grid as shown (one line per ablation, metric means), with a header. */
    public String gridCsv() {
        StringBuilder sb = new StringBuilder("ablation_index,ablation,family,layer,unit,prompts");
        for (String m : metrics) sb.append(",mean_").append(m);
        sb.append('\n');
        for (GridRow r : grid) {
            sb.append(r.index()).append(',').append(csv(r.ablation())).append(',').append(r.family()).append(',')
                    .append(r.layer()).append(',').append(r.unit()).append(',').append(r.prompts());
            for (double v : r.means()) sb.append(',').append(v);
            sb.append('\n');
        }
        return sb.toString();
    }

    public void exportGridCsv(Path file) throws IOException { Files.writeString(file, gridCsv()); }

    /** Exports the grid for the page: a failure is shown in the error line, not thrown. */
    public boolean exportGrid(Path file) {
        try {
            exportGridCsv(file);
            status.set("Exported the grid to " + file);
            return true;
        } catch (IOException | RuntimeException e) {
            error.set("Export failed: cannot write " + file + " (" + e.getMessage() + ")");
            return false;
        }
    }

    /** Every (prompt, ablation) row so far, in the executor's results.csv format. */
    public void exportRowsCsv(Path file) throws IOException {
        ResultTable t = table;
        if (t == null) throw new IllegalStateException("no results yet");
        Files.writeString(file, t.toCsv());
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
