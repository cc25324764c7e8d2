package dev.hymba.workbench.run;

import java.util.List;

/**
 * Everything the views read about one model run. The views never call the engine: an adapter over the core trace
 * implements this interface (one class), tests and demos use {@link InMemoryRunData}.
 *
 * <p>Token positions index the full sequence the model saw: the meta tokens first, then BOS, then the prompt.
 * Implementations may compute attention maps on demand (the design keeps only per-layer q/k); callers must not assume
 * that {@link #attention} is cheap, so view models cache the map they show.
 */
public interface RunData {

    /** Model, prompt, ids, ablation spec and engine version, written into every export sidecar. */
    RunProvenance provenance();

    /** One entry per sequence position, in order (meta tokens, BOS, prompt tokens). */
    List<TokenInfo> tokens();

    /** One entry per decoder layer, in order. */
    List<LayerInfo> layers();

    /** Attention heads per layer (query heads). */
    int attentionHeads();

    /** The softmax attention probabilities of one (layer, head): row = query position, column = key position. */
    AttentionMap attention(int layer, int head);

    /** A per-head summary metric (sink score, entropy, meta mass, BOS mass) as defined in analyses.md. */
    double headMetric(HeadMetric metric, int layer, int head);

    /** Attention mass split into Meta / BOS / Self / Cross for one head, averaged over the prompt queries. */
    RegionMasses regionMasses(int layer, int head);

    /** Branch magnitudes and SSM share of one layer, when the run recorded them. */
    default java.util.Optional<BranchNorms> branchNorms(int layer) { return java.util.Optional.empty(); }

    /** The model's static fusion scales β₁, β₂ of one layer, when the run's source knows the weights. */
    default java.util.Optional<FusionScales> fusionScales(int layer) { return java.util.Optional.empty(); }

    /**
     * The SSM's hidden attention (analyses.md d.2) of one layer aggregated over inner channels [from, to) as the mean
     * of |α|, positions x positions, when the run can compute it. Costs O(T²·N·(to − from)): call it off the FX
     * thread for long prompts, and cache the map you show.
     */
    default java.util.Optional<AttentionMap> ssmHiddenAttention(int layer, int from, int to) { return java.util.Optional.empty(); }

    /** Inner (SSM) channels per layer, 0 when unknown. */
    default int ssmChannels() { return 0; }

    /** SSM state magnitudes ‖s_t[c,:]‖ of one layer as positions x channels, when recorded. */
    default java.util.Optional<Matrix> ssmStateNorms(int layer) { return java.util.Optional.empty(); }

    /** SSM step sizes Δ of one layer as positions x channels, when recorded. */
    default java.util.Optional<Matrix> ssmDelta(int layer) { return java.util.Optional.empty(); }

    /** Next-token logits, one row per prompt token (meta rows dropped), vocab columns, when recorded. */
    default java.util.Optional<Matrix> logits() { return java.util.Optional.empty(); }

    /** r_k = mean over queries t >= M of A[t,k], for each meta token k, for one head (analyses C4), when recorded. */
    default java.util.Optional<float[]> metaReceived(int layer, int head) { return java.util.Optional.empty(); }

    /** Sequence length T (meta + BOS + prompt). */
    default int length() { return tokens().size(); }

    /** Number of meta tokens at the start of the sequence. */
    default int metaCount() {
        return (int) tokens().stream().filter(t -> t.kind() == TokenKind.META).count();
    }

    /** Position of BOS, or -1 when the sequence has none. */
    default int bosPosition() {
        List<TokenInfo> ts = tokens();
        for (int i = 0; i < ts.size(); i++) if (ts.get(i).kind() == TokenKind.BOS) return i;
        return -1;
    }
}
