package dev.hymba.core.analysis;

/**
 * Which keys a query may attend to in one layer (architecture §3.4, analyses.md §c "Conventions").
 * <ul>
 *   <li>global: allowed(t,u) ⇔ u ≤ t;</li>
 *   <li>local (sliding window W with M meta tokens always visible): allowed(t,u) ⇔ u ≤ t ∧ (t − u ≤ W ∨ u &lt; M).</li>
 * </ul>
 * With the {@code ≤} a local query sees itself plus the W previous positions plus every meta token.
 *
 * @param window      W for local layers; {@link #GLOBAL} (−1) for a full causal layer
 * @param metaTokens  M, the number of always-visible prefix positions (0 when there are none)
 */
public record AttentionMask(int window, int metaTokens) {

    /** Window value of a global (full causal) layer. */
    public static final int GLOBAL = -1;

    public AttentionMask {
        if (window != GLOBAL && window <= 0)
            throw new IllegalArgumentException("window: " + window + " must be > 0 (or GLOBAL = -1)");
        if (metaTokens < 0) throw new IllegalArgumentException("metaTokens: " + metaTokens + " must be >= 0");
    }

    /** Full causal mask; the meta count only matters for region metrics, so it is kept. */
    public static AttentionMask global(int metaTokens) { return new AttentionMask(GLOBAL, metaTokens); }

    /** Sliding window W with M meta tokens always visible. */
    public static AttentionMask local(int window, int metaTokens) { return new AttentionMask(window, metaTokens); }

    public boolean isGlobal() { return window == GLOBAL; }

    /** mask(t,u). */
    public boolean allowed(int t, int u) {
        return u <= t && u >= 0 && (isGlobal() || t - u <= window || u < metaTokens);
    }

    /**
     * First key of the contiguous window part of row t: keys [windowStart(t), t] are allowed, and so are the meta
     * keys [0, M) below it. For global layers this is 0.
     */
    public int windowStart(int t) {
        return isGlobal() ? 0 : Math.max(0, t - window);
    }

    /** |𝒜(t)|: the number of keys query t may see. */
    public int allowedCount(int t) {
        int start = windowStart(t);
        return (t - start + 1) + Math.min(metaTokens, start);
    }

    /**
     * n_k = |{ t &lt; T : mask(t,k) }|, the number of queries that see key k in a sequence of length T
     * (the mask-aware denominator of analyses.md C1). Equals T − k for a global mask and for meta keys.
     */
    public int queriesSeeing(int k, int seqLen) {
        if (k < 0 || k >= seqLen) throw new IndexOutOfBoundsException("key " + k + " outside 0.." + (seqLen - 1));
        if (isGlobal() || k < metaTokens) return seqLen - k;
        return Math.min(seqLen - 1, k + window) - k + 1;
    }

    @Override
    public String toString() {
        return isGlobal() ? "global(M=" + metaTokens + ")" : "local(W=" + window + ", M=" + metaTokens + ")";
    }
}
