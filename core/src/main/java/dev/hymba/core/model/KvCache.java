package dev.hymba.core.model;

import java.util.Arrays;

/**
 * Post-RoPE keys and values of one own-KV layer, with the absolute position of every cached row. Rows that no
 * future query can see (outside every user's window and not meta) are dropped by {@link #trimBefore}.
 */
final class KvCache {
    private final int kWidth;
    private final int vWidth;
    private float[] k = new float[0];
    private float[] v = new float[0];
    private int[] positions = new int[0];
    private int rows;

    KvCache(int kWidth, int vWidth) {
        this.kWidth = kWidth;
        this.vWidth = vWidth;
    }

    void append(float[] newK, float[] newV, int n, int position0) {
        ensure(rows + n);
        System.arraycopy(newK, 0, k, rows * kWidth, n * kWidth);
        System.arraycopy(newV, 0, v, rows * vWidth, n * vWidth);
        for (int i = 0; i < n; i++) positions[rows + i] = position0 + i;
        rows += n;
    }

    /** Drops non-meta rows with position < {@code first}; meta rows (position < meta) are always kept. */
    void trimBefore(int first, int meta) {
        int w = 0;
        for (int r = 0; r < rows; r++) {
            if (positions[r] < meta || positions[r] >= first) {
                if (w != r) {
                    System.arraycopy(k, r * kWidth, k, w * kWidth, kWidth);
                    System.arraycopy(v, r * vWidth, v, w * vWidth, vWidth);
                    positions[w] = positions[r];
                }
                w++;
            }
        }
        rows = w;
    }

    private void ensure(int capacity) {
        if (positions.length >= capacity) return;
        int c = Math.max(capacity, positions.length * 2);
        k = Arrays.copyOf(k, c * kWidth);
        v = Arrays.copyOf(v, c * vWidth);
        positions = Arrays.copyOf(positions, c);
    }

    int rows() { return rows; }
    float[] keys() { return k; }
    float[] values() { return v; }
    int[] positions() { return positions; }
    int kWidth() { return kWidth; }
    int vWidth() { return vWidth; }

    /** The last n rows of keys (the ones just appended), copied. */
    float[] lastKeys(int n) { return Arrays.copyOfRange(k, (rows - n) * kWidth, rows * kWidth); }
    float[] lastValues(int n) { return Arrays.copyOfRange(v, (rows - n) * vWidth, rows * vWidth); }

    /** Replaces the last n rows (a hook edited them). */
    void replaceLast(int n, float[] newK, float[] newV) {
        System.arraycopy(newK, 0, k, (rows - n) * kWidth, n * kWidth);
        System.arraycopy(newV, 0, v, (rows - n) * vWidth, n * vWidth);
    }
}
