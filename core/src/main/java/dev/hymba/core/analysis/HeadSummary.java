package dev.hymba.core.analysis;

/**
 * All per-head attention statistics of one (layer, head) over one sequence (analyses.md §c and d.9).
 *
 * @param alphaOriginal    Gu et al. α_k with denominator T − k (C1), length T
 * @param alphaMaskAware   α_k with denominator n_k, the number of queries allowed to see k (C1, our adaptation)
 * @param firstTokenScore  S = (1/T) Σ_t A_{t,0} (C2)
 * @param initialTokenMass StreamingLLM mean_i Σ_{j&lt;s} A_{i,j} (C3)
 * @param sinkSize         s used for {@code initialTokenMass}
 * @param regions          Meta/BOS/Self/Cross masses over queries i ≥ M (C4)
 * @param metaReceived     r_k = mean_{i≥M} A_{i,k} for k &lt; M (C4), length M
 * @param meanNormalisedEntropy mean of Ĥ_i = H_i / log|𝒜(i)| over rows with |𝒜(i)| &gt; 1 (C5)
 * @param localityProfile  mean mass per {@link Locality} bin over queries i ≥ M (d.9), length {@link Locality#BINS}
 * @param maxRowSumError   max_i |Σ_j A_{i,j} − 1| (trust check T1)
 * @param maxMaskedMass    max_i Σ_{j ∉ 𝒜(i)} |A_{i,j}| (trust check T1: must be 0)
 */
public record HeadSummary(
        int seqLen,
        AttentionMask mask,
        boolean hasBos,
        double[] alphaOriginal,
        double[] alphaMaskAware,
        double firstTokenScore,
        double initialTokenMass,
        int sinkSize,
        RegionMasses regions,
        double[] metaReceived,
        double meanNormalisedEntropy,
        double[] localityProfile,
        double maxRowSumError,
        double maxMaskedMass) {

    /** Whether key k is a sink at threshold ε under the chosen α form (C1 indicator). */
    public boolean isSink(int k, double eps, boolean maskAware) {
        return (maskAware ? alphaMaskAware : alphaOriginal)[k] > eps;
    }
}
