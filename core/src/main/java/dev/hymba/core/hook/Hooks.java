package dev.hymba.core.hook;

import java.util.ArrayList;
import java.util.List;

/**
 * Observers and editors of engine internals. The engine asks {@link #wants} before it materialises or copies
 * anything, so a run with {@link #NONE} does no extra work.
 */
public interface Hooks {
    /** Whether this hook set looks at (or edits) the named point. Must be cheap. */
    boolean wants(String point);

    /**
     * Called with a value of a wanted point. Return {@code value} itself to observe, or a replacement of the same
     * length to edit. Readers must not keep {@code value} without copying it: the engine may reuse the array.
     */
    float[] apply(String point, float[] value, int[] shape);

    Hooks NONE = new Hooks() {
        public boolean wants(String point) { return false; }
        public float[] apply(String point, float[] value, int[] shape) { return value; }
    };

    /** Applies several hook sets in order (each sees the previous one's output). */
    static Hooks chain(List<Hooks> hooks) {
        List<Hooks> active = new ArrayList<>();
        for (Hooks h : hooks) if (h != null && h != NONE) active.add(h);
        if (active.isEmpty()) return NONE;
        if (active.size() == 1) return active.get(0);
        return new Hooks() {
            public boolean wants(String point) {
                for (Hooks h : active) if (h.wants(point)) return true;
                return false;
            }

            public float[] apply(String point, float[] value, int[] shape) {
                float[] v = value;
                for (Hooks h : active) {
                    if (!h.wants(point)) continue;
                    float[] r = h.apply(point, v, shape);
                    if (r == null || r.length != v.length)
                        throw new IllegalStateException("hook at " + point + " returned " + (r == null ? "null" : r.length + " values") + " for " + v.length);
                    v = r;
                }
                return v;
            }
        };
    }

    static Hooks chain(Hooks... hooks) { return chain(List.of(hooks)); }
}
