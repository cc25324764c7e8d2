package dev.hymba.workbench.charts;

/**
 * A perceptually uniform sequential colour map (viridis, sampled at nine stops and interpolated linearly in RGB)
 * turned into a 256-entry lookup table, so filling a 1,152 x 1,152 image costs one array read per cell.
 */
public final class Colormap {
    private static final int[] VIRIDIS_STOPS = {
            0x440154, 0x472c7a, 0x3b518b, 0x2c718e, 0x21908d, 0x27ad81, 0x5cc863, 0xaadc32, 0xfde725};
    public static final Colormap VIRIDIS = new Colormap(VIRIDIS_STOPS);
    /** Blue (negative) - white (zero) - red (positive), for differences; the middle of the map is exactly white. */
    public static final Colormap DIVERGING = new Colormap(new int[] {
            0x2166ac, 0x4393c3, 0x92c5de, 0xd1e5f0, 0xffffff, 0xfddbc7, 0xf4a582, 0xd6604d, 0xb2182b});

    private final int[] lut = new int[256];

    private Colormap(int[] stops) {
        for (int i = 0; i < 256; i++) {
            double t = i / 255.0 * (stops.length - 1);
            int a = Math.min((int) t, stops.length - 2);
            double f = t - a;
            lut[i] = lerp(stops[a], stops[a + 1], f);
        }
    }

    private static int lerp(int c0, int c1, double f) {
        int r = (int) Math.round(((c0 >> 16) & 255) * (1 - f) + ((c1 >> 16) & 255) * f);
        int g = (int) Math.round(((c0 >> 8) & 255) * (1 - f) + ((c1 >> 8) & 255) * f);
        int b = (int) Math.round((c0 & 255) * (1 - f) + (c1 & 255) * f);
        return (r << 16) | (g << 8) | b;
    }

    public java.awt.Color rgbColor(double t) { return new java.awt.Color(rgb(t)); }

    /** RGB (no alpha) for t in [0, 1]; values outside are clamped. */
    public int rgb(double t) {
        if (!(t > 0)) return lut[0]; // also NaN
        if (t >= 1) return lut[255];
        return lut[(int) (t * 255 + 0.5)];
    }
}
