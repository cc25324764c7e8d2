package dev.hymba.core.trace;

/**
 * Attention statistics of one (layer, head), computed while the run streams each layer's probabilities and then
 * dropped (analyses.md §c). Query rows are the real tokens (t ≥ M) unless noted.
 *
 * @param metaMass      C4 mean Σ_{u<M} A[t,u]
 * @param bosMass       C4 mean A[t,M] (0 when the prompt has no BOS)
 * @param selfMass      C4 mean A[t,t]
 * @param crossMass     C4 1 − meta − bos − self
 * @param entropy       C5 mean normalised entropy Ĥ over all rows with more than one allowed key
 * @param firstTokenScore C2 (1/T) Σ_t A[t,0] over all rows
 * @param initialMass   C3 mean over all rows of Σ_{u<4} A[t,u]
 * @param alphaOriginal C1 α_k = Σ_{t≥k} A[t,k] / (T − k), for every key k
 * @param alphaMaskAware C1 with T − k replaced by n_k, the number of queries allowed to see k
 * @param metaReceived  C4 r_k = mean_{t≥M} A[t,k] for each meta token k
 */
public record HeadSummary(double metaMass, double bosMass, double selfMass, double crossMass, double entropy,
                          double firstTokenScore, double initialMass, float[] alphaOriginal, float[] alphaMaskAware,
                          float[] metaReceived) {}
