package dev.hymba.workbench.charts;

import org.jfree.chart.annotations.AbstractXYAnnotation;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.PlotRenderingInfo;
import org.jfree.chart.plot.XYPlot;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;

/**
 * Draws a cell image so that cell (row r, column c) covers data [c - 0.5, c + 0.5] x [r - 0.5, r + 0.5]. Only the
 * visible cells are drawn (a zoomed view crops the image first), scaled nearest-neighbour so each cell keeps its
 * exact colour; SVG and PDF back ends receive the same cropped image and embed it losslessly.
 */
public final class CellImageAnnotation extends AbstractXYAnnotation {
    private BufferedImage image;

    public CellImageAnnotation(BufferedImage image) { this.image = image; }

    public void setImage(BufferedImage image) {
        this.image = image;
        fireAnnotationChanged();
    }

    public BufferedImage image() { return image; }

    @Override
    public void draw(Graphics2D g2, XYPlot plot, Rectangle2D dataArea, ValueAxis domainAxis, ValueAxis rangeAxis,
                     int rendererIndex, PlotRenderingInfo info) {
        int c0 = Math.max(0, (int) Math.floor(domainAxis.getLowerBound() + 0.5));
        int c1 = Math.min(image.getWidth() - 1, (int) Math.ceil(domainAxis.getUpperBound() - 0.5));
        int r0 = Math.max(0, (int) Math.floor(rangeAxis.getLowerBound() + 0.5));
        int r1 = Math.min(image.getHeight() - 1, (int) Math.ceil(rangeAxis.getUpperBound() - 0.5));
        if (c1 < c0 || r1 < r0) return;
        double xa = domainAxis.valueToJava2D(c0 - 0.5, dataArea, plot.getDomainAxisEdge());
        double xb = domainAxis.valueToJava2D(c1 + 0.5, dataArea, plot.getDomainAxisEdge());
        double ya = rangeAxis.valueToJava2D(r0 - 0.5, dataArea, plot.getRangeAxisEdge());
        double yb = rangeAxis.valueToJava2D(r1 + 0.5, dataArea, plot.getRangeAxisEdge());
        BufferedImage visible = (c0 == 0 && r0 == 0 && c1 == image.getWidth() - 1 && r1 == image.getHeight() - 1)
                ? image : image.getSubimage(c0, r0, c1 - c0 + 1, r1 - r0 + 1);
        boolean flipY = ya > yb; // a non-inverted range axis puts row 0 at the bottom
        Object interp = g2.getRenderingHint(RenderingHints.KEY_INTERPOLATION);
        Object rendering = g2.getRenderingHint(RenderingHints.KEY_RENDERING);
        g2.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        // Batik maps RENDER_SPEED to image-rendering="optimizeSpeed", which keeps SVG viewers from smoothing cells.
        g2.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_SPEED);
        Graphics2D g = (Graphics2D) g2.create();
        try {
            g.clip(dataArea);
            int x = (int) Math.round(Math.min(xa, xb)), w = (int) Math.round(Math.abs(xb - xa));
            int y = (int) Math.round(Math.min(ya, yb)), h = (int) Math.round(Math.abs(yb - ya));
            if (ignoresNearestNeighbour(g2) && w > 0 && h > 0) {
                // JavaFX canvases smooth scaled images whatever the hint says: hand them one image pixel per screen
                // pixel, sampled nearest-neighbour here, so every cell keeps its exact colour on screen.
                g.drawImage(resample(visible, w, h, flipY), x, y, null);
            } else if (flipY) {
                g.drawImage(visible, x, y + h, x + w, y, 0, 0, visible.getWidth(), visible.getHeight(), null);
            } else {
                g.drawImage(visible, x, y, w, h, null);
            }
        } finally {
            g.dispose();
            restore(g2, RenderingHints.KEY_INTERPOLATION, interp);
            restore(g2, RenderingHints.KEY_RENDERING, rendering);
        }
    }

    private static boolean ignoresNearestNeighbour(Graphics2D g2) {
        return g2.getClass().getName().endsWith("FXGraphics2D");
    }

    /** Nearest-neighbour resampling of src to w x h pixels (rows reversed when flipY). */
    static BufferedImage resample(BufferedImage src, int w, int h, boolean flipY) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] dst = ((java.awt.image.DataBufferInt) out.getRaster().getDataBuffer()).getData();
        int sw = src.getWidth(), sh = src.getHeight();
        int[] row = new int[sw];
        int[] colOf = new int[w];
        for (int x = 0; x < w; x++) colOf[x] = (int) ((x + 0.5) * sw / w);
        int lastSy = -1;
        for (int y = 0; y < h; y++) {
            int sy = (int) ((y + 0.5) * sh / h);
            if (flipY) sy = sh - 1 - sy;
            if (sy != lastSy) {
                src.getRGB(0, sy, sw, 1, row, 0, sw);
                lastSy = sy;
            }
            int base = y * w;
            for (int x = 0; x < w; x++) dst[base + x] = row[colOf[x]];
        }
        return out;
    }

    private static void restore(Graphics2D g2, RenderingHints.Key key, Object value) {
        if (value != null) g2.setRenderingHint(key, value);
    }
}
