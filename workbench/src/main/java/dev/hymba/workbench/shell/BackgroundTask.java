package dev.hymba.workbench.shell;

import dev.hymba.workbench.run.ProgressSink;

/** Long work (a model run, an export) that must not run on the FX thread. */
@FunctionalInterface
public interface BackgroundTask<T> {
    T run(ProgressSink progress) throws Exception;
}
