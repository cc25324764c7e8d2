package dev.hymba.workbench.charts;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.Color;
import java.util.List;
import java.util.Map;

/**
 * Per-layer metric charts (stacked bars, bars, lines, scatter), each returned as a {@link Figure} whose CSV holds
 * exactly the plotted numbers.
 */
public final class MetricCharts {
    /** Colour-blind-safe (Okabe-Ito) series colours. */
    private static final Color[] SERIES = {new Color(0x0072B2), new Color(0xE69F00), new Color(0x009E73),
            new Color(0xD55E00), new Color(0xCC79A7), new Color(0x56B4E9), new Color(0xF0E442), Color.BLACK};
    // order: neighbouring series never get the two oranges (E69F00 next to D55E00 read as one colour)

    /**
     * The two branches wherever they are drawn side by side: Okabe-Ito blue for attention (as global attention in the
     * layer map) and orange for the SSM, the pair that stays apart under every common colour-vision deficiency.
     */
    public static final Color ATTENTION = new Color(0x0072B2), SSM = new Color(0xE69F00);

    private MetricCharts() {}

    /** Paints the figure's series in the given colours (series i gets colours[i]); returns the figure. */
    public static Figure colours(Figure f, Color... colours) {
        var plot = f.chart().getPlot();
        for (int s = 0; s < colours.length; s++) {
            if (plot instanceof XYPlot p) p.getRenderer().setSeriesPaint(s, colours[s]);
            else if (plot instanceof CategoryPlot p) p.getRenderer().setSeriesPaint(s, colours[s]);
        }
        return f;
    }

    /** Whole-number ticks on the x axis of a line or scatter figure over an index (layers): no "0.5, 1.5". */
    public static Figure integerX(Figure f) {
        ((NumberAxis) f.chart().getXYPlot().getDomainAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        return f;
    }

    /** Bars over many categories (tokens): upright labels, every n-th one so they stay readable. */
    public static Figure thinnedCategoryLabels(Figure f) {
        CategoryPlot p = (CategoryPlot) f.chart().getPlot();
        p.setDomainAxis(new ThinnedCategoryAxis(p.getDomainAxis().getLabel()));
        return f;
    }

    /**
     * Stacked bars, one bar per category (for example a layer), one segment per series (for example Meta / BOS / Self
     * / Cross).
     *
     * @param values values[series][category]
     */
    public static Figure stackedBars(String name, String title, String categoryAxis, String valueAxis,
                                     List<String> categories, List<String> series, double[][] values) {
        DefaultCategoryDataset ds = categoryDataset(categories, series, values);
        JFreeChart chart = ChartFactory.createStackedBarChart(title, categoryAxis, valueAxis, ds, PlotOrientation.VERTICAL,
                true, true, false);
        StackedBarRenderer r = (StackedBarRenderer) ((CategoryPlot) chart.getPlot()).getRenderer();
        styleBars(r, series.size());
        style(chart);
        return new Figure(name, chart, table(categoryAxis, categories, series, values), Map.of("kind", "stacked-bars"));
    }

    /** Grouped bars; values[series][category]. */
    public static Figure bars(String name, String title, String categoryAxis, String valueAxis,
                              List<String> categories, List<String> series, double[][] values) {
        DefaultCategoryDataset ds = categoryDataset(categories, series, values);
        JFreeChart chart = ChartFactory.createBarChart(title, categoryAxis, valueAxis, ds, PlotOrientation.VERTICAL,
                series.size() > 1, true, false);
        styleBars((BarRenderer) ((CategoryPlot) chart.getPlot()).getRenderer(), series.size());
        style(chart);
        return new Figure(name, chart, table(categoryAxis, categories, series, values), Map.of("kind", "bars"));
    }

    /** Lines over a numeric x (for example layer index); y[series][i] at x[i]. */
    public static Figure lines(String name, String title, String xAxis, String yAxis, double[] x, List<String> series,
                               double[][] y) {
        JFreeChart chart = ChartFactory.createXYLineChart(title, xAxis, yAxis, xy(x, series, y), PlotOrientation.VERTICAL,
                series.size() > 1, true, false);
        XYPlot p = chart.getXYPlot();
        for (int s = 0; s < series.size(); s++) p.getRenderer().setSeriesPaint(s, SERIES[s % SERIES.length]);
        ((NumberAxis) p.getDomainAxis()).setAutoRangeIncludesZero(false);
        // an index axis (layers, positions) gets whole-number ticks only
        if (java.util.Arrays.stream(x).allMatch(v -> v == Math.rint(v))) ((NumberAxis) p.getDomainAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        style(chart);
        return new Figure(name, chart, xyTable(xAxis, x, series, y), Map.of("kind", "lines"));
    }

    /** Scatter of points (x[i], y[series][i]). */
    public static Figure scatter(String name, String title, String xAxis, String yAxis, double[] x, List<String> series,
                                 double[][] y) {
        JFreeChart chart = ChartFactory.createScatterPlot(title, xAxis, yAxis, xy(x, series, y), PlotOrientation.VERTICAL,
                series.size() > 1, true, false);
        for (int s = 0; s < series.size(); s++) chart.getXYPlot().getRenderer().setSeriesPaint(s, SERIES[s % SERIES.length]);
        style(chart);
        return new Figure(name, chart, xyTable(xAxis, x, series, y), Map.of("kind", "scatter"));
    }

    /**
     * Box plots, one box per (category, series): whiskers at min and max, box from q1 to q3, a line at the median and
     * a dot at the mean. The CSV lists the six numbers per box.
     *
     * @param boxes boxes[series][category]
     */
    public static Figure boxes(String name, String title, String categoryAxis, String valueAxis,
                               List<String> categories, List<String> series, BoxSummary[][] boxes) {
        if (boxes.length != series.size()) throw new IllegalArgumentException("boxes has " + boxes.length + " series, expected " + series.size());
        org.jfree.data.statistics.DefaultBoxAndWhiskerCategoryDataset ds = new org.jfree.data.statistics.DefaultBoxAndWhiskerCategoryDataset();
        for (int s = 0; s < series.size(); s++) {
            if (boxes[s].length != categories.size())
                throw new IllegalArgumentException("series '" + series.get(s) + "' has " + boxes[s].length + " boxes, expected " + categories.size());
            for (int c = 0; c < categories.size(); c++) {
                BoxSummary b = boxes[s][c];
                ds.add(new org.jfree.data.statistics.BoxAndWhiskerItem(b.mean(), b.median(), b.q1(), b.q3(), b.min(), b.max(),
                        null, null, List.of()), series.get(s), categories.get(c));
            }
        }
        JFreeChart chart = ChartFactory.createBoxAndWhiskerChart(title, categoryAxis, valueAxis, ds, series.size() > 1);
        org.jfree.chart.renderer.category.BoxAndWhiskerRenderer r =
                (org.jfree.chart.renderer.category.BoxAndWhiskerRenderer) ((CategoryPlot) chart.getPlot()).getRenderer();
        r.setMeanVisible(true);
        r.setMaxOutlierVisible(false);
        r.setMinOutlierVisible(false);
        for (int s = 0; s < series.size(); s++) r.setSeriesPaint(s, SERIES[s % SERIES.length]);
        style(chart);
        CsvWritable data = out -> {
            StringBuilder sb = new StringBuilder(CsvWritable.field(categoryAxis)).append(",series,min,q1,median,q3,max,mean\n");
            for (int c = 0; c < categories.size(); c++)
                for (int s = 0; s < series.size(); s++) {
                    BoxSummary b = boxes[s][c];
                    sb.append(CsvWritable.field(categories.get(c))).append(',').append(CsvWritable.field(series.get(s))).append(',')
                            .append(b.min()).append(',').append(b.q1()).append(',').append(b.median()).append(',')
                            .append(b.q3()).append(',').append(b.max()).append(',').append(b.mean()).append('\n');
                }
            out.write(sb.toString());
        };
        return new Figure(name, chart, data, Map.of("kind", "boxes"));
    }

    private static DefaultCategoryDataset categoryDataset(List<String> categories, List<String> series, double[][] values) {
        if (values.length != series.size())
            throw new IllegalArgumentException("values has " + values.length + " series, expected " + series.size());
        DefaultCategoryDataset ds = new DefaultCategoryDataset();
        for (int s = 0; s < series.size(); s++) {
            if (values[s].length != categories.size())
                throw new IllegalArgumentException("series '" + series.get(s) + "' has " + values[s].length
                        + " values, expected " + categories.size());
            for (int c = 0; c < categories.size(); c++) ds.addValue(values[s][c], series.get(s), categories.get(c));
        }
        return ds;
    }

    private static XYSeriesCollection xy(double[] x, List<String> series, double[][] y) {
        if (y.length != series.size()) throw new IllegalArgumentException("y has " + y.length + " series, expected " + series.size());
        XYSeriesCollection c = new XYSeriesCollection();
        for (int s = 0; s < series.size(); s++) {
            if (y[s].length != x.length)
                throw new IllegalArgumentException("series '" + series.get(s) + "' has " + y[s].length + " values, expected " + x.length);
            XYSeries xs = new XYSeries(series.get(s), false, true);
            for (int i = 0; i < x.length; i++) xs.add(x[i], y[s][i]);
            c.addSeries(xs);
        }
        return c;
    }

    private static void styleBars(BarRenderer r, int n) {
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        for (int s = 0; s < n; s++) r.setSeriesPaint(s, SERIES[s % SERIES.length]);
    }

    private static void style(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.getPlot().setBackgroundPaint(Color.WHITE);
    }

    private static CsvWritable table(String first, List<String> categories, List<String> series, double[][] v) {
        return out -> {
            StringBuilder sb = new StringBuilder(CsvWritable.field(first));
            for (String s : series) sb.append(',').append(CsvWritable.field(s));
            sb.append('\n');
            for (int c = 0; c < categories.size(); c++) {
                sb.append(CsvWritable.field(categories.get(c)));
                for (double[] row : v) sb.append(',').append(row[c]);
                sb.append('\n');
            }
            out.write(sb.toString());
        };
    }

    private static CsvWritable xyTable(String first, double[] x, List<String> series, double[][] y) {
        return out -> {
            StringBuilder sb = new StringBuilder(CsvWritable.field(first));
            for (String s : series) sb.append(',').append(CsvWritable.field(s));
            sb.append('\n');
            for (int i = 0; i < x.length; i++) {
                sb.append(x[i]);
                for (double[] row : y) sb.append(',').append(row[i]);
                sb.append('\n');
            }
            out.write(sb.toString());
        };
    }
}
