package dev.hymba.workbench.charts;

import dev.hymba.workbench.run.AttentionMap;
import dev.hymba.workbench.run.SyntheticRuns;
import org.jfree.chart.ChartRenderingInfo;
import org.junit.jupiter.api.Test;

import java.awt.Graphics2D;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class AttentionHeatmapTest {
    private static List<String> labels(int t) { return IntStream.range(0, t).mapToObj(i -> "t" + i).toList(); }

    private static AttentionMap small() {
        // 3x3 with distinct values so each cell has its own colour.
        return new AttentionMap(3, 3, new float[] {1f, 0, 0, 0.25f, 0.75f, 0, 0.125f, 0.5f, 0.375f});
    }

    private static Rectangle2D draw(AttentionHeatmap h, BufferedImage img) {
        ChartRenderingInfo info = new ChartRenderingInfo();
        Graphics2D g = img.createGraphics();
        h.chart().draw(g, new Rectangle2D.Double(0, 0, img.getWidth(), img.getHeight()), info);
        g.dispose();
        return info.getPlotInfo().getDataArea();
    }

    @Test
    void cellImageHasOnePixelPerCellWithTheMappedColour() {
        AttentionMap m = small();
        ColorScale s = ColorScale.linear(m.max());
        BufferedImage img = CellImage.render(m, s, Colormap.VIRIDIS);
        assertThat(img.getWidth()).isEqualTo(3);
        assertThat(img.getHeight()).isEqualTo(3);
        // cell (query 2, key 1) = 0.5 of max 1 -> middle of the colour map
        assertThat(img.getRGB(1, 2) & 0xFFFFFF).isEqualTo(Colormap.VIRIDIS.rgb(0.5));
        assertThat(img.getRGB(0, 0) & 0xFFFFFF).isEqualTo(Colormap.VIRIDIS.rgb(1));
    }

    @Test
    void nearestNeighbourResamplingKeepsExactCellColours() {
        BufferedImage src = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
        src.setRGB(0, 0, 0x112233);
        src.setRGB(1, 0, 0x445566);
        src.setRGB(0, 1, 0x778899);
        src.setRGB(1, 1, 0xAABBCC);
        BufferedImage up = CellImageAnnotation.resample(src, 6, 4, false);
        assertThat(up.getRGB(2, 1) & 0xFFFFFF).isEqualTo(0x112233); // left half, top half
        assertThat(up.getRGB(3, 1) & 0xFFFFFF).isEqualTo(0x445566);
        assertThat(up.getRGB(5, 3) & 0xFFFFFF).isEqualTo(0xAABBCC);
        BufferedImage flipped = CellImageAnnotation.resample(src, 6, 4, true);
        assertThat(flipped.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0x778899);
    }

    @Test
    void logScalePositionsDecadesEvenly() {
        ColorScale s = new ColorScale(ColorScale.Kind.LOG, 1e-4, 1);
        assertThat(s.position(1e-2)).isCloseTo(0.5, within(1e-12));
        assertThat(s.position(1e-3)).isCloseTo(0.25, within(1e-12));
        assertThat(s.position(0)).isZero();
        assertThatThrownBy(() -> new ColorScale(ColorScale.Kind.LOG, 0, 1)).hasMessageContaining("lower > 0");
    }

    @Test
    void renderedPixelsSitInTheRightCellsQueryZeroAtTop() {
        AttentionHeatmap h = new AttentionHeatmap("t", small(), labels(3), HeatmapRegions.NONE);
        h.setShowRegions(false);
        BufferedImage img = new BufferedImage(400, 400, BufferedImage.TYPE_INT_RGB);
        Rectangle2D area = draw(h, img);
        double cw = area.getWidth() / 3, ch = area.getHeight() / 3;
        for (int q = 0; q < 3; q++)
            for (int k = 0; k < 3; k++) {
                int x = (int) (area.getX() + (k + 0.5) * cw), y = (int) (area.getY() + (q + 0.5) * ch);
                int expected = Colormap.VIRIDIS.rgb(h.scale().position(small().get(q, k)));
                assertThat(img.getRGB(x, y) & 0xFFFFFF).as("cell q=%d k=%d", q, k).isEqualTo(expected);
                CellHover c = h.cellAtJava2D(new Point2D.Double(x, y), area).orElseThrow();
                assertThat(c.query()).isEqualTo(q);
                assertThat(c.key()).isEqualTo(k);
                assertThat(c.probability()).isEqualTo(small().get(q, k));
            }
    }

    @Test
    void zoomedViewDrawsOnlyTheVisibleCellsAtTheRightPlace() {
        AttentionMap m = SyntheticRuns.map(64, 4, 0, 0.5, new Random(1));
        AttentionHeatmap h = new AttentionHeatmap("zoom", m, labels(64), HeatmapRegions.NONE);
        h.setShowRegions(false);
        h.chart().getXYPlot().getDomainAxis().setRange(19.5, 29.5);
        h.chart().getXYPlot().getRangeAxis().setRange(39.5, 49.5);
        BufferedImage img = new BufferedImage(500, 500, BufferedImage.TYPE_INT_RGB);
        Rectangle2D area = draw(h, img);
        double cw = area.getWidth() / 10, ch = area.getHeight() / 10;
        int x = (int) (area.getX() + 3.5 * cw), y = (int) (area.getY() + 6.5 * ch); // key 23, query 46
        assertThat(img.getRGB(x, y) & 0xFFFFFF).isEqualTo(Colormap.VIRIDIS.rgb(h.scale().position(m.get(46, 23))));
        assertThat(h.cellAtJava2D(new Point2D.Double(x, y), area)).get()
                .satisfies(c -> assertThat(c.text()).contains("query 46", "key 23", "p = " + m.get(46, 23)));
    }

    @Test
    void hoverOutsideTheMapIsEmptyAndTextShowsExactValue() {
        AttentionHeatmap h = new AttentionHeatmap("t", small(), labels(3), HeatmapRegions.NONE);
        assertThat(h.cellAt(-0.6, 1)).isEmpty();
        assertThat(h.cellAt(1, 2.6)).isEmpty();
        assertThat(h.cellAt(0.9, 2.2)).get().extracting(CellHover::text).asString()
                .contains("query 2 \u201ct2\u201d", "key 1 \u201ct1\u201d", "p = 0.5");
    }

    @Test
    void csvHasHeaderAndOneRowPerQuery() throws Exception {
        AttentionHeatmap h = new AttentionHeatmap("t", small(), List.of("a", "b,c", "d"), HeatmapRegions.NONE);
        StringWriter w = new StringWriter();
        h.data().writeCsv(w);
        String[] lines = w.toString().split("\n");
        assertThat(lines).hasSize(4);
        assertThat(lines[0]).isEqualTo("query\\key,0 a,\"1 b,c\",2 d");
        assertThat(lines[3]).isEqualTo("2 d,0.125,0.5,0.375");
    }

    @Test
    void rejectsLabelCountMismatch() {
        assertThatThrownBy(() -> new AttentionHeatmap("t", small(), labels(2), HeatmapRegions.NONE))
                .hasMessageContaining("map 3x3, 2 row labels");
    }

    /** Prints redraw figures for the report (no timing assertion: benchmarks are not tests). */
    @Test
    void measureRedrawAt1152() {
        int t = 1152;
        Random rnd = new Random(7);
        AttentionMap[] maps = {SyntheticRuns.map(t, 128, 1024, 0.4, rnd), SyntheticRuns.map(t, 128, 0, 0.7, rnd)};
        AttentionHeatmap h = new AttentionHeatmap("L0 H0", maps[0], labels(t), new HeatmapRegions(128, 128, 1024));
        BufferedImage img = new BufferedImage(900, 900, BufferedImage.TYPE_INT_RGB);
        List<Double> switchMs = new ArrayList<>(), drawMs = new ArrayList<>(), logMs = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            long a = System.nanoTime();
            h.show("L" + i, maps[i % 2], labels(t), new HeatmapRegions(128, 128, i % 2 == 0 ? 1024 : 0));
            long b = System.nanoTime();
            draw(h, img);
            long c = System.nanoTime();
            switchMs.add((c - a) / 1e6);
            drawMs.add((c - b) / 1e6);
            long d = System.nanoTime();
            h.setScaleKind(i % 2 == 0 ? ColorScale.Kind.LOG : ColorScale.Kind.LINEAR);
            draw(h, img);
            logMs.add((System.nanoTime() - d) / 1e6);
        }
        System.out.printf("REDRAW T=1152, 900x900 px (ms, after 10 warm-up): switch map + draw median %.1f max %.1f;"
                        + " draw only median %.1f; scale toggle + draw median %.1f%n",
                median(switchMs), switchMs.subList(10, 30).stream().mapToDouble(x -> x).max().orElseThrow(),
                median(drawMs), median(logMs));
        assertThat(h.map()).isSameAs(maps[1]);
    }

    private static double median(List<Double> xs) {
        double[] a = xs.subList(10, xs.size()).stream().mapToDouble(x -> x).toArray();
        Arrays.sort(a);
        return a[a.length / 2];
    }
}
