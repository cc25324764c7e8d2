package dev.hymba.plugins.api;

/**
 * A view over a run: a JavaFX node with its own export. JavaFX is an optional dependency of this API so that
 * analysis-only plugins and headless executors do not need it.
 */
public interface ViewPlugin extends HymbaPlugin {
    /** Title of the tab the workbench opens. */
    default String title() { return info().name(); }

    /** Builds the view; called on the FX thread. Use {@link AnalysisContext#service(Class)} to reach the run. */
    javafx.scene.Node createView(AnalysisContext context) throws Exception;
}
