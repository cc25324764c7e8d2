package dev.hymba.workbench.run;

/**
 * A dense queries x keys probability matrix, row-major. Kept as one float array so a 1,152 x 1,152 map is 5 MB and
 * can be turned into an image in one pass.
 */
public record AttentionMap(int queries, int keys, float[] values) {
    public AttentionMap {
        if (queries <= 0 || keys <= 0) throw new IllegalArgumentException("attention map must be non-empty, got " + queries + "x" + keys);
        if (values.length != (long) queries * keys)
            throw new IllegalArgumentException("attention map " + queries + "x" + keys + " needs " + (long) queries * keys + " values, got " + values.length);
    }

    public float get(int query, int key) {
        if (query < 0 || query >= queries || key < 0 || key >= keys)
            throw new IndexOutOfBoundsException("cell (" + query + ", " + key + ") outside " + queries + "x" + keys);
        return values[query * keys + key];
    }

    /** Largest value, used to scale a linear colour map. */
    public float max() {
        float m = 0;
        for (float v : values) m = Math.max(m, v);
        return m;
    }
}
