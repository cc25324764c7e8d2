package dev.hymba.workbench.run;

/**
 * The per-head metrics of analyses.md §(c) computed from one dense map, for runs held in memory. The engine's
 * analysis package computes the same figures during a run; this is the fallback when only maps are available.
 */
public final class AttentionMetrics {
    private AttentionMetrics() {}

    public static double compute(HeadMetric metric, AttentionMap a, int metaCount, int bosPosition) {
        return switch (metric) {
            case SINK_SCORE -> sinkScore(a);
            case ENTROPY -> meanEntropy(a, metaCount);
            case META_MASS -> regionMasses(a, metaCount, bosPosition).meta();
            case BOS_MASS -> regionMasses(a, metaCount, bosPosition).bos();
        };
    }

    /** C2: S = (1/T) sum_t A[t,0]. */
    public static double sinkScore(AttentionMap a) {
        double s = 0;
        for (int t = 0; t < a.queries(); t++) s += a.get(t, 0);
        return s / a.queries();
    }

    /** C5: mean over real-token queries (i >= M) of H_i = -sum_j A[i,j] log A[i,j], in nats. */
    public static double meanEntropy(AttentionMap a, int metaCount) {
        int first = Math.min(metaCount, a.queries() - 1);
        double sum = 0;
        for (int i = first; i < a.queries(); i++) {
            double h = 0;
            for (int j = 0; j < a.keys(); j++) {
                double p = a.values()[i * a.keys() + j];
                if (p > 0) h -= p * Math.log(p);
            }
            sum += h;
        }
        return sum / (a.queries() - first);
    }

    /**
     * C4 region masses averaged over the prompt queries. The BOS query itself is left out when there is a BOS: for
     * it "self" and "BOS" are the same cell and would be counted twice.
     */
    public static RegionMasses regionMasses(AttentionMap a, int metaCount, int bosPosition) {
        int first = bosPosition >= 0 ? bosPosition + 1 : metaCount;
        if (first >= a.queries()) throw new IllegalArgumentException("no prompt queries after meta tokens and BOS (T = " + a.queries() + ")");
        double meta = 0, bos = 0, self = 0, cross = 0;
        for (int i = first; i < a.queries(); i++) {
            double m = 0;
            for (int j = 0; j < metaCount; j++) m += a.get(i, j);
            double b = bosPosition >= 0 ? a.get(i, bosPosition) : 0;
            double s = a.get(i, i);
            meta += m;
            bos += b;
            self += s;
            cross += Math.max(0, 1 - m - b - s); // rounding can push 1 - sum a hair below zero
        }
        int n = a.queries() - first;
        return new RegionMasses(meta / n, bos / n, self / n, cross / n);
    }
}
