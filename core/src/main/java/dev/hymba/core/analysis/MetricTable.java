package dev.hymba.core.analysis;

import java.util.Arrays;

/**
 * A named per-layer × per-head (or per-layer, heads = 1) table of one scalar metric, e.g. the first-token score
 * S^{l,h} or a region mass, so that any two runs can be compared cell by cell ({@link #minus}).
 *
 * @param values row-major [layers, heads]; NaN marks a cell without a value
 */
public record MetricTable(String name, int layers, int heads, double[] values) {

    public MetricTable {
        if (layers <= 0 || heads <= 0) throw new IllegalArgumentException(name + ": layers and heads must be > 0");
        if (values.length != (long) layers * heads)
            throw new IllegalArgumentException(name + ": " + values.length + " values, expected layers*heads = " + layers * heads);
        values = values.clone();
    }

    public double get(int layer, int head) { return values[layer * heads + head]; }

    @Override
    public double[] values() { return values.clone(); }

    /** Cell-wise this − other (the "B − A" delta when called on B); shapes must match. */
    public MetricTable minus(MetricTable other) {
        if (other.layers != layers || other.heads != heads)
            throw new IllegalArgumentException("cannot subtract " + other.name + " [" + other.layers + "x" + other.heads
                    + "] from " + name + " [" + layers + "x" + heads + "]");
        double[] d = new double[values.length];
        for (int i = 0; i < d.length; i++) d[i] = values[i] - other.values[i];
        return new MetricTable("Δ " + name, layers, heads, d);
    }

    /** Mean over heads per layer (NaN cells skipped). */
    public double[] layerMeans() {
        double[] m = new double[layers];
        for (int l = 0; l < layers; l++)
            m[l] = SinkMetrics.nanMean(Arrays.copyOfRange(values, l * heads, (l + 1) * heads));
        return m;
    }
}
