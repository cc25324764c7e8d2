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

    /**
     * C5 normalised entropy: mean over rows with more than one allowed key of H_i / log|A(i)|, H_i in nats. A dense
     * map does not carry its mask, so the allowed set is taken as the keys with p > 0 (the engine writes masked
     * entries as exact zeros).
     */
    public static double meanEntropy(AttentionMap a, int metaCount) {
        double sum = 0;
        int rows = 0;
        for (int i = 0; i < a.queries(); i++) {
            double h = 0;
            int allowed = 0;
            for (int j = 0; j < a.keys(); j++) {
                double p = a.values()[i * a.keys() + j];
                if (p > 0) {
                    h -= p * Math.log(p);
                    allowed++;
                }
            }
            if (allowed > 1) {
                sum += h / Math.log(allowed);
                rows++;
            }
        }
        return rows == 0 ? 0 : sum / rows;
    }

    /**
     * C4 region masses averaged over the queries i >= M, exactly as analyses.md defines them (the engine computes the
     * same). Note: the BOS query itself counts A[b,b] both as BOS and as self mass, so cross can dip below zero when
     * a prompt is very short; the mean is clamped at zero for display.
     */
    public static RegionMasses regionMasses(AttentionMap a, int metaCount, int bosPosition) {
        if (metaCount >= a.queries()) throw new IllegalArgumentException("no queries after the " + metaCount + " meta tokens (T = " + a.queries() + ")");
        double meta = 0, bos = 0, self = 0;
        for (int i = metaCount; i < a.queries(); i++) {
            for (int j = 0; j < metaCount; j++) meta += a.get(i, j);
            if (bosPosition >= 0) bos += a.get(i, bosPosition);
            self += a.get(i, i);
        }
        int n = a.queries() - metaCount;
        meta /= n;
        bos /= n;
        self /= n;
        return new RegionMasses(meta, bos, self, Math.max(0, 1 - meta - bos - self));
    }
}
