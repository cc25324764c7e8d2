package dev.hymba.workbench.run;

/** Per-head metrics the layer x head overview can colour by (definitions in shared/docs/analyses.md). */
public enum HeadMetric {
    SINK_SCORE("Sink score"), ENTROPY("Normalised entropy"), META_MASS("Meta mass"), BOS_MASS("BOS mass");

    private final String label;

    HeadMetric(String label) { this.label = label; }

    public String label() { return label; }
}
