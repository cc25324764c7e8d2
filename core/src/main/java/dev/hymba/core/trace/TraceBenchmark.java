package dev.hymba.core.trace;

import dev.hymba.core.model.HymbaModel;
import dev.hymba.core.model.Profile;
import dev.hymba.core.model.RunOptions;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Arrays;

/**
 * Tracing figures for the bench command (issue 3 "Performance"): the cost of a trace (all-head statistics streamed,
 * no full maps) over a plain prefill of the same ids, the heap the trace keeps, and the time of one on-demand [T, T]
 * attention map. A benchmark, not a test: run it on an idle machine.
 */
public final class TraceBenchmark {
    private TraceBenchmark() {}

    /** @param recorderSeconds time inside the trace recorder's callbacks (statistics, trust check, copies) */
    public record Result(int positions, double plainSeconds, double traceSeconds, double recorderSeconds, long traceHeapBytes,
                         int mapLayer, double mapMedianMillis, double mapMaxMillis,
                         java.util.Map<Profile.Phase, Double> plainProfile, java.util.Map<Profile.Phase, Double> traceProfile) {
        public double overheadPercent() { return 100 * (traceSeconds / plainSeconds - 1); }

        public String summary() {
            return String.format("trace (all-head statistics, no maps) %.2f s vs plain prefill %.2f s = %+.1f%% (%.2f s inside the recorder); "
                            + "trace kept on heap %.2f GB; one on-demand [T, T] map (T = %d, layer %d, head 0): median %.1f ms, max %.1f ms",
                    traceSeconds, plainSeconds, overheadPercent(), recorderSeconds, traceHeapBytes / 1e9, positions, mapLayer, mapMedianMillis, mapMaxMillis)
                    + String.format("%nphases plain -> traced: weight GEMMs %.2f -> %.2f s, attention (incl. pattern hook) %.2f -> %.2f s, scan %.2f -> %.2f s, layers %.2f -> %.2f s",
                    plainProfile.get(Profile.Phase.GEMM), traceProfile.get(Profile.Phase.GEMM),
                    plainProfile.get(Profile.Phase.ATTENTION), traceProfile.get(Profile.Phase.ATTENTION),
                    plainProfile.get(Profile.Phase.SCAN), traceProfile.get(Profile.Phase.SCAN),
                    plainProfile.get(Profile.Phase.LAYER), traceProfile.get(Profile.Phase.LAYER));
        }
    }

    /** Expects a model already warmed up on {@code ids} (the bench's prefill did that). */
    public static Result measure(HymbaModel model, int[] ids) {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        Profile.reset();
        Profile.enable(true);
        long t0 = System.nanoTime();
        try {
            model.forward(ids, RunOptions.DEFAULT);
        } finally {
            Profile.enable(false);
        }
        double plain = (System.nanoTime() - t0) / 1e9;
        var plainProfile = Profile.seconds();

        Tracer.run(model, Tracer.Request.of(ids, null, "")); // warms the recorder's code paths
        System.gc();
        long heapBefore = mem.getHeapMemoryUsage().getUsed();
        Profile.reset();
        Profile.enable(true);
        t0 = System.nanoTime();
        Trace trace;
        try {
            trace = Tracer.run(model, Tracer.Request.of(ids, null, ""));
        } finally {
            Profile.enable(false);
        }
        double traced = (System.nanoTime() - t0) / 1e9;
        var traceProfile = Profile.seconds();
        double inRecorder = traceProfile.get(Profile.Phase.HOOKS);
        System.gc();
        long heapAfter = mem.getHeapMemoryUsage().getUsed();

        // a global layer: its map covers all T x T causal cells (a local layer's band is cheaper)
        int layer = model.config().globalAttnIdx().isEmpty() ? 0 : model.config().globalAttnIdx().getFirst();
        double[] ms = new double[7];
        for (int i = 0; i < ms.length; i++) {
            long s = System.nanoTime();
            float[] map = trace.attentionMap(layer, 0);
            ms[i] = (System.nanoTime() - s) / 1e6;
            if (map.length != (long) trace.positions() * trace.positions()) throw new IllegalStateException("map has " + map.length + " cells");
        }
        double[] warm = Arrays.copyOfRange(ms, 2, ms.length); // the first two calls include JIT compilation
        Arrays.sort(warm);
        return new Result(trace.positions(), plain, traced, inRecorder, Math.max(0, heapAfter - heapBefore), layer,
                warm[warm.length / 2], warm[warm.length - 1], plainProfile, traceProfile);
    }
}
