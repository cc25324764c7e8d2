package dev.hymba.workbench.export;

/**
 * Size of an exported figure. The chart is laid out at (width x height) x 72/dpi points, so text keeps its physical
 * size in print; a PNG then has exactly width x height pixels and records the DPI in its pHYs chunk, and SVG / PDF
 * pages measure width x height x 72/dpi points.
 */
public record ExportOptions(int width, int height, int dpi) {
    public ExportOptions {
        if (width <= 0 || height <= 0 || width > 20_000 || height > 20_000)
            throw new IllegalArgumentException("figure size must be within 1..20000 px, got " + width + "x" + height);
        if (dpi < 10 || dpi > 2400) throw new IllegalArgumentException("DPI must be within 10..2400, got " + dpi);
    }

    public static ExportOptions screen(int width, int height) { return new ExportOptions(width, height, 72); }

    /** Layout scale from points to output pixels. */
    public double scale() { return dpi / 72.0; }

    public double widthPoints() { return width / scale(); }

    public double heightPoints() { return height / scale(); }
}
