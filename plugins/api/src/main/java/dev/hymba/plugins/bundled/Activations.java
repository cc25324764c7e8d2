package dev.hymba.plugins.bundled;

import dev.hymba.core.hook.Hooks;
import dev.hymba.core.model.ForwardResult;
import dev.hymba.core.model.HymbaModel;
import dev.hymba.core.model.RunOptions;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** One forward pass that keeps copies of the named hook points (for analyses that read several internals). */
public record Activations(ForwardResult result, Map<String, float[]> values, Map<String, int[]> shapes) {
    public static Activations record(HymbaModel model, int[] ids, RunOptions base, Set<String> points) {
        Map<String, float[]> values = new HashMap<>();
        Map<String, int[]> shapes = new HashMap<>();
        Hooks rec = new Hooks() {
            public boolean wants(String p) { return points.contains(p); }

            public float[] apply(String p, float[] v, int[] s) {
                values.put(p, v.clone());
                shapes.put(p, s.clone());
                return v;
            }
        };
        RunOptions o = base == null ? RunOptions.DEFAULT : base;
        ForwardResult r = model.forward(ids, o.toBuilder().hooks(Hooks.chain(o.hooks(), rec)).build());
        for (String p : points) if (!values.containsKey(p)) throw new IllegalStateException("the run never reached hook point " + p);
        return new Activations(r, values, shapes);
    }

    public float[] get(String point) { return values.get(point); }

    /** Row r of a [rows, width] point. */
    public float[] row(String point, int r) {
        float[] v = values.get(point);
        int width = v.length / shapes.get(point)[0];
        return java.util.Arrays.copyOfRange(v, r * width, (r + 1) * width);
    }

    /** Rows [rows − n, rows): the prompt rows of a per-layer point (meta rows first). */
    public float[] lastRows(String point, int n) {
        float[] v = values.get(point);
        int rows = shapes.get(point)[0], width = v.length / rows;
        return java.util.Arrays.copyOfRange(v, (rows - n) * width, rows * width);
    }
}
