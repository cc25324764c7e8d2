package dev.hymba.core.model;

import dev.hymba.core.config.HymbaConfig;

/**
 * Everything a Hymba model carries from one chunk of tokens to the next: per own-KV layer a {@link KvCache},
 * per layer the last K−1 pre-conv inputs and the SSM state. A fresh state means "nothing processed yet"; the first
 * chunk gets the meta tokens prepended (unless the run drops them).
 */
public final class InferenceState {
    final KvCache[] kv;
    final float[][] convTail;  // [K-1, I] per layer
    final float[][] ssmState;  // [I, N] per layer
    final RunOptions options;
    int position;              // absolute position of the next row
    int metaCount = -1;        // meta rows at the front of this sequence (0 when dropped); -1 before the first chunk

    InferenceState(HymbaConfig c, RunOptions options) {
        int n = c.numHiddenLayers(), I = c.innerSize();
        this.options = options;
        kv = new KvCache[n];
        convTail = new float[n][(c.mambaDConv() - 1) * I];
        ssmState = new float[n][I * c.mambaDState()];
        for (int l = 0; l < n; l++)
            if (!c.isKvConsumer(l)) kv[l] = new KvCache(c.numKeyValueHeads() * c.headDim(), c.numKeyValueHeads() * c.valueHeadDim());
    }

    /** Positions processed so far, meta tokens included. */
    public int position() { return position; }

    /** Meta rows at the front of the sequence (0 when dropped or absent). */
    public int metaCount() { return Math.max(metaCount, 0); }

    public RunOptions options() { return options; }
}
