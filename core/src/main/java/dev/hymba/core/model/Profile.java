package dev.hymba.core.model;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Wall-time accounting of the engine's phases, off unless a benchmark switches it on (one volatile read per phase
 * otherwise). Phases may nest (attention contains its own GEMMs): {@link Phase#ATTENTION} is the whole attention
 * core, {@link Phase#GEMM} only the weight GEMMs of {@link Linear}.
 */
public final class Profile {
    /** HOOKS: time inside hook callbacks (what a trace or an intervention adds to the layers). */
    public enum Phase { GEMM, ATTENTION, SCAN, CONV, LAYER, HOOKS }

    private static volatile boolean enabled;
    private static final Map<Phase, AtomicLong> NANOS = new EnumMap<>(Phase.class);

    static {
        for (Phase p : Phase.values()) NANOS.put(p, new AtomicLong());
    }

    private Profile() {}

    public static void enable(boolean on) { enabled = on; }

    public static void reset() { NANOS.values().forEach(a -> a.set(0)); }

    /** Start time for {@link #end}, or 0 when profiling is off. */
    static long start() { return enabled ? System.nanoTime() : 0L; }

    static void end(Phase p, long start) {
        if (start != 0L) NANOS.get(p).addAndGet(System.nanoTime() - start);
    }

    /** Seconds spent per phase since the last reset. */
    public static Map<Phase, Double> seconds() {
        Map<Phase, Double> out = new EnumMap<>(Phase.class);
        NANOS.forEach((p, n) -> out.put(p, n.get() / 1e9));
        return out;
    }
}
