package dev.hymba.workbench.app;

import dev.hymba.workbench.run.RunData;
import dev.hymba.workbench.run.RunRequest;
import dev.hymba.workbench.run.RunService;
import dev.hymba.workbench.shell.Notifier;
import dev.hymba.workbench.shell.TaskRunner;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * The state every view shares: model, prompt, ablation spec, the baseline run and the current (possibly ablated)
 * run. Runs go through the {@link TaskRunner}, never on the calling thread. Views observe {@link #runProperty()}.
 */
public final class WorkbenchSession {
    private final RunService engine;
    private final TaskRunner tasks;
    private final Notifier notifier;
    private final StringProperty model = new SimpleStringProperty("");
    private final StringProperty prompt = new SimpleStringProperty("");
    private final StringProperty ablationSpec = new SimpleStringProperty("{}");
    private final BooleanProperty chatTemplate = new SimpleBooleanProperty(false);
    private final ReadOnlyObjectWrapper<RunData> baseline = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<RunData> run = new ReadOnlyObjectWrapper<>();

    public WorkbenchSession(RunService engine, TaskRunner tasks, Notifier notifier) {
        this.engine = engine;
        this.tasks = tasks;
        this.notifier = notifier;
    }

    public StringProperty modelProperty() { return model; }

    public StringProperty promptProperty() { return prompt; }

    public StringProperty ablationSpecProperty() { return ablationSpec; }

    public BooleanProperty chatTemplateProperty() { return chatTemplate; }

    /** The run the views show: the ablated run when a spec is set, else the baseline. */
    public ReadOnlyObjectProperty<RunData> runProperty() { return run.getReadOnlyProperty(); }

    public ReadOnlyObjectProperty<RunData> baselineProperty() { return baseline.getReadOnlyProperty(); }

    public TaskRunner tasks() { return tasks; }

    public Notifier notifier() { return notifier; }

    /** Engine objects for analysis plugins about one run; call it on a worker thread (it may load the model). */
    public java.util.Map<Class<?>, Object> analysisServices(RunData data) throws Exception { return engine.analysisServices(data); }

    /** Starts a sweep on the engine (see {@link RunService#startSweep}); call it on a worker thread. */
    public dev.hymba.workbench.run.SweepJob startSweep(dev.hymba.sweeps.SweepSpec spec, int workers, java.nio.file.Path outDir,
                                                      dev.hymba.sweeps.LocalExecutor.Listener listener) throws Exception {
        return engine.startSweep(spec, workers, outDir, listener);
    }

    /** Runs the baseline and, when an ablation is set, the ablated run too. */
    public void runPrompt() {
        if (model.get().isBlank()) {
            notifier.error("No model", "Open a model folder first.");
            return;
        }
        RunRequest req = new RunRequest(model.get(), prompt.get(), "{}", chatTemplate.get());
        String spec = ablationSpec.get();
        tasks.submit("Run", p -> {
            RunData base = engine.run(req, p);
            RunData ablated = isBaseline(spec) ? base : engine.run(req.withAblation(spec), p);
            return new RunData[] {base, ablated};
        }, r -> {
            baseline.set(r[0]);
            run.set(r[1]);
        }, e -> notifier.error("Run failed", message(e)));
    }

    /** Sets the ablation spec and re-runs only the ablated run (the baseline stays). */
    public void applyAblation(String spec) {
        ablationSpec.set(spec);
        RunData base = baseline.get();
        if (base == null) return; // nothing ran yet; the next run uses the spec
        if (isBaseline(spec)) {
            run.set(base);
            return;
        }
        RunRequest req = new RunRequest(model.get(), prompt.get(), spec, chatTemplate.get());
        tasks.submit("Ablation", p -> engine.run(req, p), run::set, e -> notifier.error("Ablation failed", message(e)));
    }

    /** Shows an existing run (a loaded trace, a test fixture) as both baseline and current run. */
    public void show(RunData data) {
        baseline.set(data);
        run.set(data);
    }

    /** True for "{}", a blank spec, or an engine spec with no interventions. */
    static boolean isBaseline(String spec) {
        if (spec == null || spec.isBlank() || spec.replaceAll("\\s", "").equals("{}")) return true;
        try {
            return dev.hymba.core.ablation.AblationSpec.fromJson(spec).isEmpty();
        } catch (IllegalArgumentException e) {
            return false; // the engine will reject it with the exact field; not our call to hide that
        }
    }

    private static String message(Throwable e) { return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(); }
}
