package dev.hymba.workbench.views.model;

import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;

import java.util.List;

/**
 * The layer map: one box per layer (dark = global attention, light = sliding window), and arcs above from each KV
 * producer to the layers that reuse its K/V.
 */
final class LayerMapCanvas extends Canvas {
    private static final double BOX = 26, GAP = 6, ARC_SPACE = 46;

    LayerMapCanvas() { super(400, ARC_SPACE + BOX + 30); }

    void draw(List<ModelViewModel.LayerRow> layers, List<ModelViewModel.KvArrow> arrows) {
        setWidth(Math.max(400, layers.size() * (BOX + GAP) + 20));
        GraphicsContext g = getGraphicsContext2D();
        g.clearRect(0, 0, getWidth(), getHeight());
        g.setFont(Font.font(10));
        g.setTextAlign(TextAlignment.CENTER);
        for (ModelViewModel.LayerRow l : layers) {
            double x = x(l.index());
            g.setFill(l.global() ? Color.web("#0072B2") : Color.web("#BFD9EC"));
            g.fillRect(x, ARC_SPACE, BOX, BOX);
            g.setStroke(Color.web("#335"));
            g.strokeRect(x, ARC_SPACE, BOX, BOX);
            g.setFill(l.global() ? Color.WHITE : Color.BLACK);
            g.fillText(Integer.toString(l.index()), x + BOX / 2, ARC_SPACE + BOX / 2 + 4);
        }
        g.setStroke(Color.web("#D55E00"));
        g.setLineWidth(1.5);
        for (ModelViewModel.KvArrow a : arrows) {
            double x0 = x(a.producer()) + BOX / 2, x1 = x(a.consumer()) + BOX / 2;
            double h = Math.min(ARC_SPACE - 6, 10 + 6 * Math.abs(a.consumer() - a.producer()));
            g.beginPath();
            g.moveTo(x0, ARC_SPACE);
            g.bezierCurveTo(x0, ARC_SPACE - h, x1, ARC_SPACE - h, x1, ARC_SPACE);
            g.stroke();
            g.strokeLine(x1, ARC_SPACE, x1 - 4, ARC_SPACE - 6); // arrow head at the consumer
            g.strokeLine(x1, ARC_SPACE, x1 + 4, ARC_SPACE - 6);
        }
        g.setFill(Color.BLACK);
        g.setTextAlign(TextAlignment.LEFT);
        g.fillText("dark: global attention   light: sliding window   arcs: KV producer \u2192 consumer",
                10, ARC_SPACE + BOX + 18);
    }

    private static double x(int layer) { return 10 + layer * (BOX + GAP); }
}
