package dev.hymba.workbench.charts;

import dev.hymba.workbench.run.AttentionMap;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/** Turns a map into an RGB image with one pixel per cell (row = query, column = key). */
public final class CellImage {
    private CellImage() {}

    public static BufferedImage render(AttentionMap map, ColorScale scale, Colormap colormap) {
        BufferedImage img = new BufferedImage(map.keys(), map.queries(), BufferedImage.TYPE_INT_RGB);
        int[] px = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
        float[] v = map.values();
        // A 256-step colour map cannot show more than 256 levels, so precomputing the position per cell is exact enough;
        // the exact value is what the hover reports.
        for (int i = 0; i < v.length; i++) px[i] = colormap.rgb(scale.position(v[i]));
        return img;
    }
}
