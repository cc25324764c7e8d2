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
        boolean real = t >= meta;
        int allowed = mask.allowedCount(t);
        double sum = 0, masked = 0, ent = 0, init = 0;
        double m = 0, b = 0, s = 0, c = 0;
        for (int u = 0; u <= t; u++) {
            double p = row[offset + u];
            if (!mask.allowed(t, u)) { masked += Math.abs(p); continue; }
            sum += p;
            colSum[u] += p;
            if (u < sinkSize) init += p;
            if (p > 0) ent -= p * Math.log(p);
            if (real) {
                if (u < meta) { m += p; realColSum[u] += p; }
                else if (u == bos) b += p;
                else if (u == t) s += p;
                else c += p;
                locality[Locality.bin(t, u, meta, profileWindow)] += p;
            }
        }
        initialMass += init;
        metaMass += m; bosMass += b; selfMass += s; crossMass += c;
        if (allowed > 1) { entropySum += ent / Math.log(allowed); entropyRows++; }
        maxRowSumError = Math.max(maxRowSumError, Math.abs(sum - 1));
        maxMaskedMass = Math.max(maxMaskedMass, masked);
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
