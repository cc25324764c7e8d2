package dev.hymba.workbench.run;

/**
 * Runs the model and returns what the views read. Called on a worker thread; long runs report progress (per layer)
 * and poll {@link ProgressSink#cancelled()}. The engine adapter implements this and registers it with
 * {@code META-INF/services/dev.hymba.workbench.run.RunService} (or passes it to the app directly).
 */
public interface RunService {
    /**
     * Name of the service type under which an engine offers plugins the run's compiled ablation (core's
     * {@code RunOptions}); absent for a baseline run. Named, not referenced, so views need not see core's model classes.
     */
    String ABLATION_OPTIONS_SERVICE = "dev.hymba.core.model.RunOptions";

    RunData run(RunRequest request, ProgressSink progress) throws Exception;

    /**
     * The engine objects an analysis plugin may ask for about a run (the loaded model, its tokenizer, the prompt's
     * tokens, and for an ablated run its compiled {@link #ABLATION_OPTIONS_SERVICE}), keyed by type. Engines that cannot provide them say so; the Plugins page shows that message.
     */
    default java.util.Map<Class<?>, Object> analysisServices(RunData run) throws Exception {
        throw new UnsupportedOperationException("This engine cannot run analysis plugins");
    }

    /**
     * Loads the spec's model, expands the plan and starts the local executor ({@code outDir} null keeps results in
     * memory). Returns at once; the listener hears about every ablated run on a worker thread.
     */
    default SweepJob startSweep(dev.hymba.sweeps.SweepSpec spec, int workers, java.nio.file.Path outDir,
                                dev.hymba.sweeps.LocalExecutor.Listener listener) throws Exception {
        throw new UnsupportedOperationException("This engine cannot run sweeps");
    }

    /** The service found on the class path, or one that explains that no engine is installed. */
    static RunService discover() {
        return java.util.ServiceLoader.load(RunService.class).findFirst().orElse((r, p) -> {
            throw new IllegalStateException("No model engine is installed in this build (no RunService on the class path)");
        });
    }
}
