package dev.hymba.core.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * One {@link HeadStatistics} per (layer, head) for a whole forward pass: the engine calls
 * {@link #accept(int, int, int, float[], int)} for every softmax row. Rows of different heads may be fed from
 * different threads (each head's accumulator is guarded by its own lock); memory is O(L·H·T).
 */
public final class AttentionStatistics {

    private final HeadStatistics[][] heads;

    /**
     * @param layers  L
     * @param heads   H (query heads)
     * @param seqLen  T including meta tokens
     * @param maskOf  the mask of each layer
     * @param hasBos  whether position M is a BOS token
     * @param profileWindow the model's sliding window W (locality bins)
     */
    public AttentionStatistics(int layers, int heads, int seqLen, IntFunction<AttentionMask> maskOf, boolean hasBos,
                               int profileWindow) {
        this.heads = new HeadStatistics[layers][heads];
        for (int l = 0; l < layers; l++) {
            AttentionMask m = maskOf.apply(l);
            for (int h = 0; h < heads; h++)
                this.heads[l][h] = new HeadStatistics(seqLen, m, hasBos, SinkMetrics.DEFAULT_SINK_SIZE, profileWindow);
        }
    }

    /** Feeds A^{l,h}_{t,0..t} from {@code row[offset..offset+t]}. */
    public void accept(int layer, int head, int t, float[] row, int offset) {
        HeadStatistics s = heads[layer][head];
        synchronized (s) { s.accept(t, row, offset); }
    }

    public HeadSummary summary(int layer, int head) {
        HeadStatistics s = heads[layer][head];
        synchronized (s) { return s.summary(); }
    }

    /** All summaries, [layer][head]. */
    public List<List<HeadSummary>> summaries() {
        List<List<HeadSummary>> out = new ArrayList<>();
        for (int l = 0; l < heads.length; l++) {
            List<HeadSummary> row = new ArrayList<>();
            for (int h = 0; h < heads[l].length; h++) row.add(summary(l, h));
            out.add(row);
        }
        return out;
    }

    /** C1 sink rate (percent over all layers and heads of this pass) of key k at threshold ε. */
    public double sinkRate(int k, double eps, boolean maskAware) {
        List<double[]> alphas = new ArrayList<>();
        for (List<HeadSummary> l : summaries())
            for (HeadSummary s : l) alphas.add(maskAware ? s.alphaMaskAware() : s.alphaOriginal());
        return SinkMetrics.sinkRate(alphas, k, eps);
    }

    /**
     * "Meta absorbs the sink" (analyses.md C4): Σ_{k&lt;M} Sink_k^ε against Sink_b^ε for the BOS position b = M
     * (NaN when there is no BOS or no real token), both in percent over all layers and heads of this pass.
     */
    public record MetaVsBos(double metaSinkRateSum, double bosSinkRate) {}

    public MetaVsBos metaVsBos(double eps, boolean maskAware) {
        HeadSummary first = summary(0, 0);
        int m = first.mask().metaTokens();
        double sum = 0;
        for (int k = 0; k < Math.min(m, first.seqLen()); k++) sum += sinkRate(k, eps, maskAware);
        boolean bos = first.hasBos() && m < first.seqLen();
        return new MetaVsBos(sum, bos ? sinkRate(m, eps, maskAware) : Double.NaN);
    }

    public int layers() { return heads.length; }

    public int headsPerLayer() { return heads.length == 0 ? 0 : heads[0].length; }
}
