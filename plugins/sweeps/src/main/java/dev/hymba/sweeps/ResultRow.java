package dev.hymba.sweeps;

import java.util.Arrays;

/**
 * One (prompt, ablation) result. Keyed by (promptId, ablation); the indices give the plan's order.
 *
 * @param values one value per metric of the spec, in the spec's order
 */
public record ResultRow(int promptIndex, String promptId, int ablationIndex, String ablation, String family, int layer,
                        int unit, double[] values) {
    public ResultRow {
        values = values.clone();
    }

    @Override
    public double[] values() { return values.clone(); }

    public double value(int metric) { return values[metric]; }

    /** The row's identity: reruns of the same task produce rows with the same keys. */
    public String key() { return promptId + "\u0000" + ablation; }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResultRow r && r.promptIndex == promptIndex && r.promptId.equals(promptId)
                && r.ablationIndex == ablationIndex && r.ablation.equals(ablation) && r.family.equals(family)
                && r.layer == layer && r.unit == unit && Arrays.equals(r.values, values);
    }

    @Override
    public int hashCode() { return 31 * key().hashCode() + Arrays.hashCode(values); }

    @Override
    public String toString() { return "ResultRow[" + promptId + ", " + ablation + ", " + Arrays.toString(values) + "]"; }
}
