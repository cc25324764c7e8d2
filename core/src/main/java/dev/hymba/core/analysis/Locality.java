package dev.hymba.core.analysis;

import java.util.List;

/**
 * Offset bins of the locality profile (analyses.md d.9): mass of query t on key u binned by the offset t − u into
 * 0, 1–3, 4–31, 32–W, &gt; W, and a separate "meta" bin for u &lt; M (checked first, whatever the offset).
 * W is the model's sliding window, used for global layers too so that all layers share one set of bins.
 */
public final class Locality {
    public static final int SELF = 0, NEAR = 1, MID = 2, FAR = 3, BEYOND = 4, META = 5, BINS = 6;
    public static final List<String> LABELS = List.of("0", "1-3", "4-31", "32-W", ">W", "meta");

    private Locality() {}

    /** Bin of key u for query t (u ≤ t). */
    public static int bin(int t, int u, int metaTokens, int window) {
        if (u < metaTokens) return META;
        int o = t - u;
        if (o == 0) return SELF;
        if (o <= 3) return NEAR;
        if (o <= 31) return MID;
        if (o <= window) return FAR;
        return BEYOND;
    }
}
