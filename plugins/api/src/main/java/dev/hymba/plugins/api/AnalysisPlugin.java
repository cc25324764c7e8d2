package dev.hymba.plugins.api;

import java.util.List;

/** An analysis: reads a run (or runs the model through hooks) and returns tables, arrays and figures. */
public interface AnalysisPlugin extends HymbaPlugin {
    /** Parameters with defaults; the context carries the values chosen by the user. */
    default List<ParameterSpec> parameters() { return List.of(); }

    /**
     * Runs the analysis. Long work should call {@link AnalysisContext#progress(double, String)} and check
     * {@link AnalysisContext#checkCancelled()} regularly; the host may also interrupt the thread.
     */
    AnalysisResult analyze(AnalysisContext context) throws Exception;
}
