package dev.hymba.workbench.views.ssm;

import dev.hymba.workbench.charts.Figure;
import dev.hymba.workbench.charts.MetricCharts;
import dev.hymba.workbench.run.AttentionMap;
import dev.hymba.workbench.run.Matrix;
import dev.hymba.workbench.run.RunData;
import dev.hymba.workbench.run.TokenInfo;

import java.util.List;
import java.util.stream.IntStream;

/**
 * SSM state magnitudes of one layer (position x channel, or averaged over head-sized channel blocks) and the mean
 * step size Δ per position.
 */
public final class SsmViewModel {
    private SsmViewModel() {}

    /**
     * State norms as a heatmap matrix; with {@code blocks > 0} the I channels are averaged in {@code blocks} equal
     * blocks (block b = channels b·I/blocks … (b+1)·I/blocks − 1, the span of attention head b).
     */
    public static AttentionMap stateMatrix(Matrix norms, int blocks) {
        if (blocks <= 0) return new AttentionMap(norms.rows(), norms.cols(), norms.values());
        if (norms.cols() % blocks != 0)
            throw new IllegalArgumentException(norms.cols() + " channels do not split into " + blocks + " equal blocks");
        int w = norms.cols() / blocks;
        float[] v = new float[norms.rows() * blocks];
        for (int t = 0; t < norms.rows(); t++)
            for (int b = 0; b < blocks; b++) {
                double s = 0;
                for (int c = b * w; c < (b + 1) * w; c++) s += norms.get(t, c);
                v[t * blocks + b] = (float) (s / w);
            }
        return new AttentionMap(norms.rows(), blocks, v);
    }

    public static List<String> columnLabels(int cols, boolean blocks) {
        return IntStream.range(0, cols).mapToObj(c -> blocks ? "block " + c : "ch " + c).toList();
    }

    public static List<String> rowLabels(RunData run) { return run.tokens().stream().map(TokenInfo::label).toList(); }

    /** Mean Δ over channels at each position. */
    public static double[] meanDelta(Matrix delta) {
        double[] m = new double[delta.rows()];
        for (int t = 0; t < delta.rows(); t++) {
            double s = 0;
            for (int c = 0; c < delta.cols(); c++) s += delta.get(t, c);
            m[t] = s / delta.cols();
        }
        return m;
    }

    public static Figure deltaFigure(RunData run, int layer) {
        Matrix d = run.ssmDelta(layer).orElseThrow(() -> new IllegalStateException("layer " + layer + ": no \u0394 in this run"));
        double[] x = IntStream.range(0, d.rows()).asDoubleStream().toArray();
        return MetricCharts.lines("ssm-delta-L" + layer, "Layer " + layer + ": mean step size \u0394 per position", "Position",
                "mean \u0394", x, List.of("mean \u0394"), new double[][] {meanDelta(d)});
    }

    /**
     * Inner channels [from, to) of block b of {@code blocks} equal blocks: the span of attention head b's value
     * channels, so block b's hidden attention is compared with head b.
     */
    public static int[] blockChannels(int channels, int blocks, int block) {
        if (blocks <= 0 || channels % blocks != 0)
            throw new IllegalArgumentException(channels + " channels do not split into " + blocks + " equal blocks");
        if (block < 0 || block >= blocks) throw new IllegalArgumentException("block " + block + " is out of range 0.." + (blocks - 1));
        int w = channels / blocks;
        return new int[] {block * w, (block + 1) * w};
    }

    /**
     * Pearson correlation of two maps over the causal cells (key ≤ query) whose query is a prompt position (meta
     * rows dropped, as in the region masses), NaN when either is constant there: how alike the SSM block and the head
     * distribute their weight.
     */
    public static double causalCorrelation(AttentionMap a, AttentionMap b, int firstQuery) {
        if (a.queries() != b.queries() || a.keys() != b.keys())
            throw new IllegalArgumentException("maps differ in shape: " + a.queries() + "x" + a.keys() + " vs " + b.queries() + "x" + b.keys());
        double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
        long n = 0;
        for (int t = firstQuery; t < a.queries(); t++)
            for (int k = 0; k <= t && k < a.keys(); k++) {
                double x = a.get(t, k), y = b.get(t, k);
                sa += x; sb += y; saa += x * x; sbb += y * y; sab += x * y;
                n++;
            }
        if (n == 0) return Double.NaN;
        double cov = sab - sa * sb / n, va = saa - sa * sa / n, vb = sbb - sb * sb / n;
        return va <= 0 || vb <= 0 ? Double.NaN : cov / Math.sqrt(va * vb);
    }

    /** Hidden attention (mean |α| over the head-sized block) next to the attention map of the head with those channels. */
    public record SidePair(int layer, int block, int from, int to, AttentionMap hidden, AttentionMap attention, double correlation) {}

    public static java.util.Optional<SidePair> sidePair(RunData run, int layer, int block) {
        int channels = run.ssmChannels();
        if (channels <= 0) return java.util.Optional.empty();
        int[] span = blockChannels(channels, run.attentionHeads(), block);
        var hidden = run.ssmHiddenAttention(layer, span[0], span[1]);
        if (hidden.isEmpty()) return java.util.Optional.empty();
        AttentionMap att;
        try {
            att = run.attention(layer, block);
        } catch (RuntimeException e) {
            att = null; // the layer ran without its attention branch
        }
        double r = att == null ? Double.NaN : causalCorrelation(hidden.get(), att, run.metaCount());
        return java.util.Optional.of(new SidePair(layer, block, span[0], span[1], hidden.get(), att, r));
    }

    /**
     * Computes side pairs off the FX thread: the hidden attention costs O(T²·N) per channel and would freeze the
     * window for seconds on a real model. Only the latest request is answered; a result that arrives after the run,
     * layer or block changed is dropped. Answers for the current run are cached so flipping back is instant.
     * Callbacks run on the ui executor, which is also the only thread that may call request/cancel.
     */
    public static final class HiddenPairs {
        private static final int CACHE_SIZE = 16;

        /** What a side pair was computed for; the run is compared by identity (a re-run is a new run). */
        public record Key(RunData run, int layer, int block) {
            @Override public boolean equals(Object o) {
                return o instanceof Key k && k.run == run && k.layer == layer && k.block == block;
            }

            @Override public int hashCode() { return System.identityHashCode(run) * 31 * 31 + layer * 31 + block; }
        }

        private final java.util.concurrent.Executor worker, ui;
        private final java.util.Map<Key, java.util.Optional<SidePair>> cache = new java.util.LinkedHashMap<>(16, 0.75f, true) {
            @Override protected boolean removeEldestEntry(java.util.Map.Entry<Key, java.util.Optional<SidePair>> e) { return size() > CACHE_SIZE; }
        };
        private RunData cachedRun;
        private long generation;
        private java.util.concurrent.FutureTask<?> pending;
        private boolean busy;

        public HiddenPairs(java.util.concurrent.Executor worker, java.util.concurrent.Executor ui) {
            this.worker = worker;
            this.ui = ui;
        }

        /**
         * Asks for the side pair of (run, layer, block); onReady gets it (at once when cached), onError a failure.
         * Any earlier request that has not answered yet is cancelled and its answer discarded.
         */
        public void request(RunData run, int layer, int block, java.util.function.Consumer<java.util.Optional<SidePair>> onReady,
                            java.util.function.Consumer<Throwable> onError) {
            cancel();
            if (run != cachedRun) {
                cache.clear(); // the old run's maps are not needed any more; don't keep them alive
                cachedRun = run;
            }
            Key key = new Key(run, layer, block);
            var hit = cache.get(key);
            if (hit != null) {
                onReady.accept(hit);
                return;
            }
            long g = generation;
            busy = true;
            java.util.concurrent.FutureTask<Void> task = new java.util.concurrent.FutureTask<>(() -> {
                try {
                    var pair = sidePair(run, layer, block);
                    ui.execute(() -> {
                        if (run == cachedRun) cache.put(key, pair); // a stale answer for this run is still worth keeping
                        if (g != generation) return;
                        busy = false;
                        onReady.accept(pair);
                    });
                } catch (RuntimeException e) {
                    ui.execute(() -> {
                        if (g != generation) return;
                        busy = false;
                        onError.accept(e);
                    });
                }
                return null;
            });
            pending = task;
            worker.execute(task);
        }

        /** Drops the pending request: a queued one never starts, a running one's answer is ignored. */
        public void cancel() {
            generation++;
            busy = false;
            if (pending != null) pending.cancel(false); // the computation does not poll; interrupting gains nothing
            pending = null;
        }

        /** True while a request is waiting for its answer. */
        public boolean busy() { return busy; }
    }
}
