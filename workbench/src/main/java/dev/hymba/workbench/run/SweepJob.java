package dev.hymba.workbench.run;

import dev.hymba.sweeps.LocalExecutor;
import dev.hymba.sweeps.SweepPlan;

/** A sweep the engine started: its plan (prompts, ablations, tasks) and the running executor to poll or cancel. */
public record SweepJob(SweepPlan plan, LocalExecutor.SweepRun run) {}
