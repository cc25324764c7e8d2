package dev.hymba.workbench.views;

import dev.hymba.workbench.charts.Figure;
import javafx.scene.Node;

import java.util.List;
import java.util.Map;

/** A page of the main window: its nodes, the figures it can export, and its settings for workspaces. */
public interface View {
    /** Stable id used in workspaces and by {@code ./hymba screenshot --view ID}. */
    String id();

    String title();

    Node node();

    /** The figures this view shows now (empty when there is no run). */
    List<Figure> figures();

    default Map<String, String> settings() { return Map.of(); }

    default void applySettings(Map<String, String> settings) {}
}
