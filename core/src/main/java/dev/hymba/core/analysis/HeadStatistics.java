package dev.hymba.core.analysis;

import java.util.BitSet;

/**
 * Streaming accumulator for the statistics of one attention head over one sequence (analyses.md C1–C5, d.9).
 * The engine feeds each query row once, in any order, right after its softmax, and keeps nothing else: memory is
 * O(T) (the column sums behind α, plus a few scalars), so no full [T,T] map is ever needed.
 * <p>Not thread-safe: use one instance per (layer, head), or see {@link AttentionStatistics}.
 */
public final class HeadStatistics {

    private final int seqLen;
    private final AttentionMask mask;
    private final boolean hasBos;
    private final int sinkSize;
    private final int profileWindow;
    private final int meta;
    private final int bos;

    private final double[] colSum;       // Σ_i A_{i,k} over all queries (α, first-token score)
    private final double[] realColSum;   // Σ_{i≥M} A_{i,k} for k < M (per-meta received mass)
    private final double[] locality = new double[Locality.BINS];
    private double initialMass, metaMass, bosMass, selfMass, crossMass, entropySum;
    private int entropyRows;
    private double maxRowSumError, maxMaskedMass;
    private final BitSet seen;

    /**
     * @param seqLen        T, including meta tokens
     * @param mask          the layer's mask (its M is the meta count used by the region metrics)
     * @param hasBos        whether position M holds a BOS token
     * @param sinkSize      s of the StreamingLLM initial-token mass (4 in the paper)
     * @param profileWindow W used for the locality bins (the model's sliding window, also for global layers)
     */
    public HeadStatistics(int seqLen, AttentionMask mask, boolean hasBos, int sinkSize, int profileWindow) {
        if (seqLen <= 0) throw new IllegalArgumentException("seqLen: " + seqLen + " must be > 0");
        if (sinkSize <= 0) throw new IllegalArgumentException("sinkSize: " + sinkSize + " must be > 0");
        this.seqLen = seqLen;
        this.mask = mask;
        this.hasBos = hasBos;
        this.sinkSize = sinkSize;
        this.profileWindow = profileWindow;
        this.meta = Math.min(mask.metaTokens(), seqLen);
        this.bos = hasBos && meta < seqLen ? meta : -1;
        this.colSum = new double[seqLen];
        this.realColSum = new double[meta];
        this.seen = new BitSet(seqLen);
    }

    /** Defaults: s = 4, locality window = the mask's window (or T for a global mask). */
    public HeadStatistics(int seqLen, AttentionMask mask, boolean hasBos) {
        this(seqLen, mask, hasBos, SinkMetrics.DEFAULT_SINK_SIZE, mask.isGlobal() ? seqLen : mask.window());
    }

    /** Feeds query row t: {@code row[offset + u]} = A_{t,u} for u = 0..t. */
    public void accept(int t, float[] row, int offset) {
        if (t < 0 || t >= seqLen) throw new IndexOutOfBoundsException("query " + t + " outside 0.." + (seqLen - 1));
        if (seen.get(t)) throw new IllegalStateException("query row " + t + " was fed twice");
        if (offset < 0 || offset + t + 1 > row.length)
            throw new IllegalArgumentException("row for query " + t + " needs " + (t + 1) + " values from offset "
                    + offset + ", array has " + row.length);
        seen.set(t);
        // Allowed keys are two contiguous runs: meta [0, metaEnd) and the window [start, t] (metaEnd ≤ start).
        int start = mask.windowStart(t);
        int metaEnd = Math.min(mask.metaTokens(), start);
        double sum = 0, ent = 0;
        for (int u = 0; u < metaEnd; u++) {
            double p = row[offset + u];
            sum += p;
            colSum[u] += p;
            if (p > 0) ent -= p * Math.log(p);
        }
        for (int u = start; u <= t; u++) {
            double p = row[offset + u];
            sum += p;
            colSum[u] += p;
            if (p > 0) ent -= p * Math.log(p);
        }
        double masked = 0;
        for (int u = metaEnd; u < start; u++) masked += Math.abs(row[offset + u]);
        initialMass += allowedMass(row, offset, t, 0, Math.min(sinkSize, t + 1));
        if (t >= meta) accumulateRegions(t, row, offset, start);
        int allowed = mask.allowedCount(t);
        if (allowed > 1) { entropySum += ent / Math.log(allowed); entropyRows++; }
        maxRowSumError = Math.max(maxRowSumError, Math.abs(sum - 1));
        maxMaskedMass = Math.max(maxMaskedMass, masked);
    }

    /** Mass of row t on allowed keys in [from, to). */
    private double allowedMass(float[] row, int offset, int t, int from, int to) {
        int start = mask.windowStart(t), metaEnd = Math.min(mask.metaTokens(), start);
        double m = 0;
        for (int u = from; u < Math.min(to, metaEnd); u++) m += row[offset + u];
        for (int u = Math.max(from, start); u < Math.min(to, t + 1); u++) m += row[offset + u];
        return m;
    }

    /** C4 regions, per-meta received mass and d.9 locality bins of a real-token row (t ≥ M), by key ranges. */
    private void accumulateRegions(int t, float[] row, int offset, int start) {
        // every meta key is visible to every later query (below the window or inside it)
        double m = 0;
        for (int u = 0; u < meta; u++) {
            double p = row[offset + u];
            m += p;
            realColSum[u] += p;
        }
        int lo = Math.max(start, meta); // first non-meta allowed key
        double b = bos >= lo ? row[offset + bos] : 0;
        double self = t == bos ? 0 : row[offset + t];
        double rest = 0;
        for (int u = lo; u <= t; u++) rest += row[offset + u];
        metaMass += m;
        bosMass += b;
        selfMass += self;
        crossMass += rest - b - self;
        locality[Locality.META] += m;
        // offsets o = t − u for u in [lo, t]: bins SELF (0), NEAR (1–3), MID (4–31), FAR (32–W), BEYOND (> W)
        locality[Locality.SELF] += row[offset + t];
        locality[Locality.NEAR] += rangeSum(row, offset, Math.max(lo, t - 3), t - 1);
        locality[Locality.MID] += rangeSum(row, offset, Math.max(lo, t - 31), t - 4);
        locality[Locality.FAR] += rangeSum(row, offset, Math.max(lo, t - profileWindow), t - 32);
        // offsets ≥ 32 and > W (Locality.bin checks MID before FAR, so a window below 32 leaves 4–31 in MID)
        locality[Locality.BEYOND] += rangeSum(row, offset, lo, Math.min(t - 32, t - profileWindow - 1));
    }

    /** Σ row[offset + u] for u in [from, to] (empty when to &lt; from). */
    private static double rangeSum(float[] row, int offset, int from, int to) {
        double s = 0;
        for (int u = from; u <= to; u++) s += row[offset + u];
        return s;
    }

    /** Feeds row t from a row-major [T,T] map or a [T, stride] buffer: row t starts at t·stride. */
    public void acceptFromMatrix(int t, float[] map, int stride) { accept(t, map, t * stride); }

    /** Number of rows fed so far. */
    public int rowsSeen() { return seen.cardinality(); }

    /** The statistics; every row 0..T−1 must have been fed. */
    public HeadSummary summary() {
        int missing = seen.nextClearBit(0);
        if (missing < seqLen)
            throw new IllegalStateException("query row " + missing + " was never fed (" + rowsSeen() + " of " + seqLen + ")");
        double[] aOrig = new double[seqLen], aMask = new double[seqLen];
        for (int k = 0; k < seqLen; k++) {
            aOrig[k] = colSum[k] / (seqLen - k);
            aMask[k] = colSum[k] / mask.queriesSeeing(k, seqLen);
        }
        int real = seqLen - meta;
        RegionMasses regions = real == 0 ? RegionMasses.NONE
                : new RegionMasses(metaMass / real, bosMass / real, selfMass / real, crossMass / real);
        double[] received = new double[meta];
        double[] prof = new double[Locality.BINS];
        for (int k = 0; k < meta; k++) received[k] = real == 0 ? Double.NaN : realColSum[k] / real;
        for (int i = 0; i < prof.length; i++) prof[i] = real == 0 ? Double.NaN : locality[i] / real;
        return new HeadSummary(seqLen, mask, hasBos, aOrig, aMask, colSum[0] / seqLen, initialMass / seqLen, sinkSize,
                regions, received, entropyRows == 0 ? Double.NaN : entropySum / entropyRows, prof,
                maxRowSumError, maxMaskedMass);
    }
}
