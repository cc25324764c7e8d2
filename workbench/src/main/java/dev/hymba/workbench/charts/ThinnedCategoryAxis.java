package dev.hymba.workbench.charts;

import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.text.TextBlock;
import org.jfree.chart.ui.RectangleEdge;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A category axis for one bar per token: labels stand upright and only every n-th is drawn, n chosen from the space
 * the axis has, so they never overlap. JFreeChart's own axis squeezes each label into its bar's width and ends up
 * printing "…" for every token of a long prompt.
 */
public final class ThinnedCategoryAxis extends CategoryAxis {
    private static final int MAX_LABEL = 16;
    private transient Map<Comparable<?>, Integer> index = Map.of();
    private int step = 1;

    public ThinnedCategoryAxis(String label) {
        super(label);
        setCategoryLabelPositions(CategoryLabelPositions.UP_90);
        setMaximumCategoryLabelLines(1);
        setLowerMargin(0.01);
        setUpperMargin(0.01);
        setCategoryMargin(0.1);
    }

    /** Every how many categories a label is drawn at the last layout (1 = all). */
    public int step() { return step; }

    /** The label step for n categories on an axis this long, with labels one line high plus a gap. */
    static int step(int n, double length, double lineHeight) {
        if (n <= 0 || length <= 0) return 1;
        return Math.max(1, (int) Math.ceil(n * lineHeight * 1.3 / length));
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public List refreshTicks(Graphics2D g2, AxisState state, Rectangle2D dataArea, RectangleEdge edge) {
        List<Comparable> categories = getPlot() instanceof CategoryPlot p ? p.getCategoriesForAxis(this) : List.of();
        Map<Comparable<?>, Integer> ix = new HashMap<>();
        for (int i = 0; i < categories.size(); i++) ix.put(categories.get(i), i);
        index = ix;
        double length = RectangleEdge.isTopOrBottom(edge) ? dataArea.getWidth() : dataArea.getHeight();
        step = step(categories.size(), length, g2.getFontMetrics(getTickLabelFont()).getHeight());
        return super.refreshTicks(g2, state, dataArea, edge);
    }

    @Override
    @SuppressWarnings("rawtypes")
    protected TextBlock createLabel(Comparable category, float width, RectangleEdge edge, Graphics2D g2) {
        Integer i = index.get(category);
        if (i != null && i % step != 0) return new TextBlock();
        String s = category.toString();
        if (s.length() > MAX_LABEL) s = s.substring(0, MAX_LABEL - 1) + "\u2026";
        // width is ignored on purpose: upright labels get the plot's height, and a piece is short once capped
        return org.jfree.chart.text.TextUtils.createTextBlock(s, getTickLabelFont(category), getTickLabelPaint(category));
    }
}
