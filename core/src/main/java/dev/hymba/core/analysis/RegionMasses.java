package dev.hymba.core.analysis;

/**
 * Mean attention mass of real-token queries (i ≥ M) on the Meta / BOS / Self / Cross key regions (analyses.md C4).
 * The regions are disjoint key sets: meta = {j &lt; M}, bos = {b} (b = M, only when a BOS token is present),
 * self = {i} minus {b} (so the BOS query's attention to itself counts as BOS), cross = everything else.
 * The four values sum to the mean row mass (1 for exact softmax rows).
 */
public record RegionMasses(double meta, double bos, double self, double cross) {

    /** NaN masses for a sequence without real-token queries. */
    public static final RegionMasses NONE = new RegionMasses(Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    public double total() { return meta + bos + self + cross; }
}
