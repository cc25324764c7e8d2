package dev.hymba.workbench.charts;

/**
 * Regions shaded on an attention heatmap.
 *
 * @param metaCount   meta tokens at positions [0, metaCount)
 * @param bosPosition BOS position, or -1
 * @param window      sliding-window size for a local layer, 0 for a global layer
 */
public record HeatmapRegions(int metaCount, int bosPosition, int window) {
    public HeatmapRegions {
        if (metaCount < 0 || window < 0) throw new IllegalArgumentException("metaCount and window must be >= 0, got " + metaCount + ", " + window);
    }

    public static final HeatmapRegions NONE = new HeatmapRegions(0, -1, 0);
}
