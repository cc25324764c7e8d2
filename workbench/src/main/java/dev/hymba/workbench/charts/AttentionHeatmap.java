package dev.hymba.workbench.charts;

import dev.hymba.workbench.run.AttentionMap;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYPolygonAnnotation;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.LookupPaintScale;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.Writer;
import java.text.DecimalFormat;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An attention map as a JFreeChart: cells as one image (one pixel per cell), token axes, a labelled colour bar,
 * meta/BOS/window regions outlined and tinted. Zoom and pan come from the XYPlot; hover lookups from
 * {@link #cellAt(double, double)}. Not thread-safe: build and update on one thread (the FX thread in the app).
 */
public final class AttentionHeatmap {
    private static final Color META = new Color(255, 140, 0);
    private static final Color BOS = new Color(230, 40, 40);
    private static final Color WINDOW = new Color(255, 255, 255);

    private Colormap colormap = Colormap.VIRIDIS;
    private boolean diverging;
    private final JFreeChart chart;
    private final XYPlot plot;
    private final CellImageAnnotation cells;
    private AttentionMap map;
    private List<String> tokens;
    private List<String> columns;
    private final String rowAxis, columnAxis;
    private String valueLabel;
    private final CellHover.Names names;
    private HeatmapRegions regions;
    private ColorScale.Kind scaleKind = ColorScale.Kind.LINEAR;
    private boolean showRegions = true;
    private ColorScale scale;

    public AttentionHeatmap(String title, AttentionMap map, List<String> tokens, HeatmapRegions regions) {
        this(title, map, tokens, tokens, regions, "Query", "Key", "attention probability", CellHover.Names.ATTENTION);
    }

    /**
     * A general cell heatmap (rows x columns, for example SSM state magnitudes as position x channel).
     *
     * @param valueLabel the colour bar's title
     */
    public static AttentionHeatmap matrix(String title, AttentionMap cells, List<String> rowLabels, List<String> columnLabels,
                                          String rowAxis, String columnAxis, String valueLabel) {
        return new AttentionHeatmap(title, cells, rowLabels, columnLabels, HeatmapRegions.NONE, rowAxis, columnAxis, valueLabel,
                new CellHover.Names(rowAxis.toLowerCase(), columnAxis.toLowerCase(), "value"));
    }

    private AttentionHeatmap(String title, AttentionMap map, List<String> tokens, List<String> columns, HeatmapRegions regions,
                             String rowAxis, String columnAxis, String valueLabel, CellHover.Names names) {
        checkLabels(map, tokens, columns);
        this.map = map;
        this.tokens = List.copyOf(tokens);
        this.columns = List.copyOf(columns);
        this.rowAxis = rowAxis;
        this.columnAxis = columnAxis;
        this.valueLabel = valueLabel;
        this.names = names;
        this.regions = regions;
        this.scale = scaleFor(map);
        this.cells = new CellImageAnnotation(CellImage.render(map, scale, colormap));
        this.plot = new XYPlot(corners(map), new TokenAxis(columnAxis, this.columns), new TokenAxis(rowAxis, this.tokens),
                new XYLineAndShapeRenderer(false, false));
        plot.getRangeAxis().setInverted(true); // query 0 at the top, as attention maps are read
        ((NumberAxis) plot.getDomainAxis()).setVerticalTickLabels(true);
        plot.setDomainAxisLocation(AxisLocation.BOTTOM_OR_LEFT);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        plot.setDomainPannable(true);
        plot.setRangePannable(true);
        plot.setBackgroundPaint(Color.BLACK);
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
        this.chart = new JFreeChart(title, new Font("SansSerif", Font.BOLD, 14), plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        rebuildOverlays();
    }

    public JFreeChart chart() { return chart; }

    public AttentionMap map() { return map; }

    public ColorScale scale() { return scale; }

    public BufferedImage cellImage() { return cells.image(); }

    /** Shows another map (same or different length); keeps the zoom when the length is unchanged. */
    public void show(String title, AttentionMap newMap, List<String> newTokens, HeatmapRegions newRegions) {
        show(title, newMap, newTokens, newTokens, newRegions);
    }

    /** Shows another matrix with its own row and column labels. */
    public void show(String title, AttentionMap newMap, List<String> newTokens, List<String> newColumns, HeatmapRegions newRegions) {
        checkLabels(newMap, newTokens, newColumns);
        boolean sameShape = map.queries() == newMap.queries() && map.keys() == newMap.keys();
        this.map = newMap;
        this.tokens = List.copyOf(newTokens);
        this.columns = List.copyOf(newColumns);
        this.regions = newRegions;
        this.scale = scaleFor(newMap);
        chart.setNotify(false);
        try {
            chart.setTitle(title);
            if (!sameShape) {
                plot.setDataset(corners(newMap));
                plot.setDomainAxis(new TokenAxis(columnAxis, columns));
                plot.setRangeAxis(new TokenAxis(rowAxis, tokens));
                plot.getRangeAxis().setInverted(true);
                ((NumberAxis) plot.getDomainAxis()).setVerticalTickLabels(true);
            } else {
                ((NumberAxis) plot.getDomainAxis()).setNumberFormatOverride(new TokenAxis.TokenFormat(columns));
                ((NumberAxis) plot.getRangeAxis()).setNumberFormatOverride(new TokenAxis.TokenFormat(tokens));
            }
            cells.setImage(CellImage.render(newMap, scale, colormap));
            rebuildOverlays();
        } finally {
            chart.setNotify(true);
        }
    }

    public void setScaleKind(ColorScale.Kind kind) {
        if (kind == scaleKind) return;
        scaleKind = kind;
        scale = scaleFor(map);
        chart.setNotify(false);
        cells.setImage(CellImage.render(map, scale, colormap));
        rebuildOverlays();
        chart.setNotify(true);
    }

    public ColorScale.Kind scaleKind() { return scaleKind; }

    public void setShowRegions(boolean show) {
        showRegions = show;
        rebuildOverlays();
    }

    /** The cell at data coordinates (key axis value, query axis value), if inside the map. */
    public Optional<CellHover> cellAt(double keyValue, double queryValue) {
        int k = (int) Math.round(keyValue), q = (int) Math.round(queryValue);
        if (k < 0 || q < 0 || k >= map.keys() || q >= map.queries()) return Optional.empty();
        return Optional.of(new CellHover(q, tokens.get(q), k, columns.get(k), map.get(q, k), names));
    }

    /** The cell under a Java2D point of the last rendering, given that rendering's data area. */
    public Optional<CellHover> cellAtJava2D(Point2D p, Rectangle2D dataArea) {
        if (dataArea == null || !dataArea.contains(p)) return Optional.empty();
        ValueAxis x = plot.getDomainAxis(), y = plot.getRangeAxis();
        return cellAt(x.java2DToValue(p.getX(), dataArea, plot.getDomainAxisEdge()),
                y.java2DToValue(p.getY(), dataArea, plot.getRangeAxisEdge()));
    }

    /** Settings that change what the figure shows, for export sidecars and workspaces. */
    public Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("colorScale", scaleKind.name().toLowerCase());
        s.put("colorRange", scale.lower() + ".." + scale.upper());
        s.put("keyRange", plot.getDomainAxis().getLowerBound() + ".." + plot.getDomainAxis().getUpperBound());
        s.put("queryRange", plot.getRangeAxis().getLowerBound() + ".." + plot.getRangeAxis().getUpperBound());
        s.put("regions", showRegions ? "shown" : "hidden");
        return s;
    }

    /** The matrix as CSV: a header of key tokens, then one row per query. */
    public CsvWritable data() {
        AttentionMap m = map;
        List<String> t = tokens, c = columns;
        String corner = names.row() + "\\" + names.column();
        return out -> writeMatrix(out, m, t, c, corner);
    }

    private static void writeMatrix(Writer out, AttentionMap m, List<String> t, List<String> c, String corner) throws IOException {
        StringBuilder sb = new StringBuilder(CsvWritable.field(corner));
        for (int k = 0; k < m.keys(); k++) sb.append(',').append(CsvWritable.field(k + " " + c.get(k)));
        out.write(sb.append('\n').toString());
        for (int q = 0; q < m.queries(); q++) {
            sb.setLength(0);
            sb.append(CsvWritable.field(q + " " + t.get(q)));
            for (int k = 0; k < m.keys(); k++) sb.append(',').append(m.values()[q * m.keys() + k]);
            out.write(sb.append('\n').toString());
        }
    }

    /**
     * Shows signed values (differences) with a blue-white-red map symmetric around zero; the log scale does not
     * apply to signed values and is ignored while diverging.
     */
    public void setDiverging(boolean on) {
        if (on && !diverging) valueLabel = "\u0394 " + valueLabel;
        if (!on && diverging && valueLabel.startsWith("\u0394 ")) valueLabel = valueLabel.substring(2);
        diverging = on;
        colormap = on ? Colormap.DIVERGING : Colormap.VIRIDIS;
        scale = scaleFor(map);
        chart.setNotify(false);
        cells.setImage(CellImage.render(map, scale, colormap));
        rebuildOverlays();
        chart.setNotify(true);
    }

    private ColorScale scaleFor(AttentionMap m) {
        if (diverging) {
            float a = 0;
            for (float v : m.values()) a = Math.max(a, Math.abs(v));
            double lim = a > 0 ? a : 1;
            return new ColorScale(ColorScale.Kind.LINEAR, -lim, lim);
        }
        return scaleKind == ColorScale.Kind.LOG ? ColorScale.log(m.max()) : ColorScale.linear(m.max());
    }

    private void rebuildOverlays() {
        plot.clearAnnotations();
        plot.addAnnotation(cells, false);
        if (showRegions) addRegionShading();
        chart.clearSubtitles();
        chart.addSubtitle(colourBar());
    }

    private void addRegionShading() {
        double top = -0.5, bottom = map.queries() - 0.5;
        BasicStroke thin = new BasicStroke(2f);
        // Polygons, not XYBoxAnnotation: the box computes a negative height on an inverted axis and draws nothing.
        if (regions.metaCount() > 0)
            plot.addAnnotation(box(-0.5, top, regions.metaCount() - 0.5, bottom, thin, META), false);
        int b = regions.bosPosition();
        if (b >= 0 && b < map.keys())
            plot.addAnnotation(box(b - 0.5, top, b + 0.5, bottom, thin, BOS), false);
        int w = regions.window();
        int first = regions.metaCount();
        if (w > 0 && map.queries() - first > w) {
            // Band of keys j with i - w <= j <= i over the non-meta part (mask of analyses.md §c): outline only.
            double end = map.queries() - 0.5;
            double[] poly = {first - 0.5, first - 0.5, end, end, end - w - 1, end, first - 0.5, first + w + 0.5};
            plot.addAnnotation(new XYPolygonAnnotation(poly, new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
                    10f, new float[] {4f, 3f}, 0f), WINDOW, null), false);
        }
    }

    /** Outline only: a tint would change the cells' colours, which must stay exact (hover and exports). */
    private static XYPolygonAnnotation box(double x0, double y0, double x1, double y1, BasicStroke stroke, Color outline) {
        return new XYPolygonAnnotation(new double[] {x0, y0, x1, y0, x1, y1, x0, y1}, stroke, outline, null);
    }

    private PaintScaleLegend colourBar() {
        boolean log = scale.kind() == ColorScale.Kind.LOG;
        double lo = log ? Math.log10(scale.lower()) : scale.lower();
        double hi = log ? Math.log10(scale.upper()) : scale.upper();
        LookupPaintScale ps = new LookupPaintScale(lo, hi, colormap.rgbColor(0));
        for (int i = 0; i < 256; i++) ps.add(lo + (hi - lo) * i / 256.0, colormap.rgbColor(i / 255.0));
        NumberAxis axis = new NumberAxis(log ? valueLabel + " (log scale)" : valueLabel);
        axis.setRange(lo, hi);
        if (log) {
            axis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
            axis.setNumberFormatOverride(new PowerOfTenFormat());
        }
        PaintScaleLegend legend = new PaintScaleLegend(ps, axis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setStripWidth(14);
        legend.setAxisOffset(4);
        legend.setMargin(new RectangleInsets(10, 6, 10, 6));
        legend.setSubdivisionCount(256);
        return legend;
    }

    private static XYSeriesCollection corners(AttentionMap m) {
        // Two invisible points make the auto range (and "reset zoom") exactly the map's cells.
        XYSeries s = new XYSeries("extent");
        s.add(-0.5, -0.5);
        s.add(m.keys() - 0.5, m.queries() - 0.5);
        return new XYSeriesCollection(s);
    }

    private static void checkLabels(AttentionMap m, List<String> rows, List<String> cols) {
        if (rows.size() != m.queries() || cols.size() != m.keys())
            throw new IllegalArgumentException("heatmap needs one label per row and column: map "
                    + m.queries() + "x" + m.keys() + ", " + rows.size() + " row labels, " + cols.size() + " column labels");
    }

    /** Tick labels of a log10 axis: -3 becomes 1e-3. */
    static final class PowerOfTenFormat extends NumberFormat {
        private final DecimalFormat plain = new DecimalFormat("0.###");

        @Override
        public StringBuffer format(double number, StringBuffer to, FieldPosition pos) {
            if (number >= -2) return to.append(plain.format(Math.pow(10, number)));
            return to.append("1e").append(Math.round(number));
        }

        @Override
        public StringBuffer format(long number, StringBuffer to, FieldPosition pos) { return format((double) number, to, pos); }

        @Override
        public Number parse(String source, ParsePosition pos) { return null; }
    }
}
