package dev.hymba.workbench.charts;

/**
 * How probabilities map to colours. LINEAR spans [0, max]; LOG spans [floor, max] in log10, so the faint long tail
 * of a sink-dominated map stays visible. Values at or below the floor (zeros outside the mask) take the lowest colour.
 */
public record ColorScale(Kind kind, double lower, double upper) {
    public enum Kind { LINEAR, LOG }

    /** Default floor of the log scale: probabilities below 1e-5 are indistinguishable at T = 1,152. */
    public static final double DEFAULT_LOG_FLOOR = 1e-5;

    public ColorScale {
        if (!(upper > lower)) throw new IllegalArgumentException("colour scale needs upper > lower, got [" + lower + ", " + upper + "]");
        if (kind == Kind.LOG && !(lower > 0)) throw new IllegalArgumentException("log colour scale needs lower > 0, got " + lower);
    }

    public static ColorScale linear(double max) { return new ColorScale(Kind.LINEAR, 0, max > 0 ? max : 1); }

    public static ColorScale log(double max) {
        double upper = max > DEFAULT_LOG_FLOOR ? max : 1;
        return new ColorScale(Kind.LOG, DEFAULT_LOG_FLOOR, upper);
    }

    /** Position of v in [0, 1] along the colour map. */
    public double position(double v) {
        if (kind == Kind.LINEAR) return (v - lower) / (upper - lower);
        if (!(v > lower)) return 0;
        return (Math.log10(v) - Math.log10(lower)) / (Math.log10(upper) - Math.log10(lower));
    }
}
