package dev.hymba.core.trace;

import dev.hymba.core.config.HymbaConfig;
import dev.hymba.core.model.ForwardResult;

import java.util.List;

/**
 * Everything one run recorded: tokens, provenance, logits and per-layer traces. Full attention maps are not kept;
 * {@link #attentionMap} recomputes one (layer, head) from the cached post-RoPE q/k.
 *
 * @param pieces      token strings, or null when no tokenizer was available
 * @param metaCount   meta rows at the front of the run (0 when dropped or absent)
 * @param hiddenNorms [n+1][T] ‖x_t‖ of the residual stream entering layer 0 and leaving each layer
 */
public record Trace(HymbaConfig config, int[] ids, List<String> pieces, int metaCount, Provenance provenance,
                    ForwardResult logits, List<LayerTrace> layers, float[][] hiddenNorms) {

    /** Positions in the run, meta tokens included. */
    public int positions() { return metaCount + ids.length; }

    /** Position of BOS, or -1 when the prompt does not start with it. */
    public int bosPosition() { return ids.length > 0 && ids[0] == config.bosTokenId() ? metaCount : -1; }

    /** [T, T] probabilities of one head, recomputed on demand (rows sum to 1 over the allowed keys). */
    public float[] attentionMap(int layer, int head) {
        LayerTrace lt = layers.get(layer);
        if (lt.q() == null) throw new IllegalStateException("layer " + layer + " ran without its attention branch: no map");
        if (head < 0 || head >= config.numAttentionHeads()) throw new IllegalArgumentException("head " + head + " is outside 0.." + (config.numAttentionHeads() - 1));
        int T = positions();
        return AttentionMaps.rows(lt.q(), lt.k(), T, config.numAttentionHeads(), config.numKeyValueHeads(), config.headDim(), head, lt.window(), metaCount, 0, T);
    }

    /** Label for a position: "meta k", or the token piece (or id). */
    public String label(int position) {
        if (position < metaCount) return "meta " + position;
        int i = position - metaCount;
        return pieces != null && i < pieces.size() ? pieces.get(i) : Integer.toString(ids[i]);
    }
}
