package dev.hymba.workbench.views.attention;

import dev.hymba.workbench.charts.Colormap;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;

import java.util.function.BiConsumer;

/** The layer x head overview: one cell per head coloured by a metric (min..max of the grid); a click selects it. */
final class HeadGridCanvas extends Canvas {
    private static final double LEFT = 24, TOP = 14;
    private double[][] values = new double[0][0];
    private double cell = 10;
    private int selLayer = -1, selHead = -1;

    HeadGridCanvas(BiConsumer<Integer, Integer> onSelect) {
        setOnMouseClicked(e -> {
            int h = (int) ((e.getX() - LEFT) / cell), l = (int) ((e.getY() - TOP) / cell);
            if (l >= 0 && l < values.length && h >= 0 && h < values[l].length) onSelect.accept(l, h);
        });
    }

    /** The (layer, head) at a canvas point, as "layer L, head H: value", or empty. */
    String describe(double x, double y) {
        int h = (int) ((x - LEFT) / cell), l = (int) ((y - TOP) / cell);
        if (l < 0 || l >= values.length || h < 0 || h >= values[l].length) return "";
        return "layer " + l + ", head " + h + ": " + values[l][h];
    }

    void draw(double[][] v, int layer, int head) {
        values = v;
        selLayer = layer;
        selHead = head;
        int heads = v.length == 0 ? 0 : v[0].length;
        cell = Math.max(6, Math.min(16, 260.0 / Math.max(1, heads)));
        setWidth(LEFT + heads * cell + 4);
        setHeight(TOP + v.length * cell + 4);
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (double[] row : v) for (double x : row) { min = Math.min(min, x); max = Math.max(max, x); }
        GraphicsContext g = getGraphicsContext2D();
        g.clearRect(0, 0, getWidth(), getHeight());
        g.setFont(Font.font(9));
        g.setFill(Color.BLACK);
        g.fillText("head \u2192", LEFT, 10);
        for (int l = 0; l < v.length; l++) {
            if (l % 4 == 0) {
                g.setFill(Color.BLACK);
                g.fillText(Integer.toString(l), 2, TOP + l * cell + cell - 1);
            }
            for (int h = 0; h < heads; h++) {
                int rgb = Colormap.VIRIDIS.rgb(max > min ? (v[l][h] - min) / (max - min) : 0.5);
                g.setFill(Color.rgb((rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255));
                g.fillRect(LEFT + h * cell, TOP + l * cell, cell, cell);
            }
        }
        if (selLayer >= 0 && selLayer < v.length) {
            g.setStroke(Color.RED);
            g.setLineWidth(2);
            g.strokeRect(LEFT + selHead * cell, TOP + selLayer * cell, cell, cell);
        }
    }
}
