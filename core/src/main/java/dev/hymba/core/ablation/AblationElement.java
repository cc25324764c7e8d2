package dev.hymba.core.ablation;

import dev.hymba.core.config.FusionMode;

import java.util.Locale;

/**
 * One intervention of an {@link AblationSpec}. Every element is out of distribution for the trained model
 * (analyses.md d.11) and has a one-line human description.
 */
public sealed interface AblationElement {

    int layer();

    /** One line for logs, provenance and the UI. */
    String describe();

    /** Elements with equal keys replace each other when composed. */
    String key();

    /** What replaces an ablated activation. */
    enum Replacement {
        ZERO, MEAN;
        String json() { return name().toLowerCase(Locale.ROOT); }
        String words() { return this == ZERO ? "zeroed" : "replaced by its mean over the prompt"; }
    }

    /** Where a head/channel block is ablated relative to the pre-average RMSNorm (analyses.md d.8). */
    enum Stage {
        /** before pre_avg_layernorm: the norm's r is recomputed, so the survivors are rescaled. */
        PRE_NORM,
        /** after it: r is kept at its unablated value, so the survivors are untouched. */
        POST_NORM;
        String json() { return name().toLowerCase(Locale.ROOT); }
        String words() { return this == PRE_NORM ? "before the pre-average norm (the rest is renormalised)"
                : "after the pre-average norm (r kept fixed)"; }
    }

    enum Branch {
        ATTENTION, SSM;
        String json() { return name().toLowerCase(Locale.ROOT); }
    }

    /** Mask of an attention layer. */
    enum AttentionMode {
        GLOBAL, LOCAL;
        String json() { return name().toLowerCase(Locale.ROOT); }
    }

    private static void checkLayer(int layer) {
        if (layer < 0) throw new IllegalArgumentException("layer: " + layer + " must be >= 0");
    }

    /** Attention mask of one layer: full causal (GLOBAL) or sliding window W plus meta tokens (LOCAL). */
    record AttentionChange(int layer, AttentionMode mode, int window) implements AblationElement {
        public AttentionChange {
            checkLayer(layer);
            if (mode == AttentionMode.LOCAL && window <= 0)
                throw new IllegalArgumentException("window: " + window + " must be > 0");
            if (mode == AttentionMode.GLOBAL && window != 0)
                throw new IllegalArgumentException("window: not allowed with mode \"global\"");
        }
        public static AttentionChange global(int layer) { return new AttentionChange(layer, AttentionMode.GLOBAL, 0); }
        public static AttentionChange local(int layer, int window) { return new AttentionChange(layer, AttentionMode.LOCAL, window); }
        public String describe() {
            return mode == AttentionMode.GLOBAL ? "layer " + layer + ": attention made global (full causal mask)"
                    : "layer " + layer + ": attention made local (sliding window " + window + " + meta tokens)";
        }
        public String key() { return "attention:" + layer; }
    }

    /** Fusion of the two branches in one layer (issue 3: stacked = one after the other with the same weights). */
    record FusionChange(int layer, FusionMode mode) implements AblationElement {
        public FusionChange { checkLayer(layer); java.util.Objects.requireNonNull(mode, "mode"); }
        public String describe() {
            return switch (mode) {
                case FUSED -> "layer " + layer + ": branches fused (x + A(x) + S(x))";
                case STACKED_ATTN_FIRST -> "layer " + layer + ": branches stacked, attention first (x1 = x + A(x), x2 = x1 + S(x1))";
                case STACKED_SSM_FIRST -> "layer " + layer + ": branches stacked, SSM first (x1 = x + S(x), x2 = x1 + A(x1))";
            };
        }
        public String key() { return "fusion:" + layer; }
    }

    /** One whole branch off: RMSNorm(0) = 0, so its fused term vanishes (clean, analyses.md d.8). */
    record BranchOff(int layer, Branch branch) implements AblationElement {
        public BranchOff { checkLayer(layer); java.util.Objects.requireNonNull(branch, "branch"); }
        public String describe() {
            return "layer " + layer + ": " + (branch == Branch.ATTENTION ? "attention" : "SSM") + " branch off (its fused term removed)";
        }
        public String key() { return "branch:" + layer + ":" + branch; }
    }

    /** One attention head's output channels (h·I/H …) ablated. */
    record HeadOff(int layer, int head, Replacement replace, Stage stage) implements AblationElement {
        public HeadOff {
            checkLayer(layer);
            if (head < 0) throw new IllegalArgumentException("head: " + head + " must be >= 0");
            java.util.Objects.requireNonNull(replace, "replace");
            java.util.Objects.requireNonNull(stage, "stage");
        }
        public String describe() {
            return "layer " + layer + ": attention head " + head + " " + replace.words() + " " + stage.words();
        }
        public String key() { return "head:" + layer + ":" + head; }
    }

    /** One SSM channel block (channels b·I/H … (b+1)·I/H − 1, the span of attention head b) ablated. */
    record SsmBlockOff(int layer, int block, Replacement replace, Stage stage) implements AblationElement {
        public SsmBlockOff {
            checkLayer(layer);
            if (block < 0) throw new IllegalArgumentException("block: " + block + " must be >= 0");
            java.util.Objects.requireNonNull(replace, "replace");
            java.util.Objects.requireNonNull(stage, "stage");
        }
        public String describe() {
            return "layer " + layer + ": SSM channel block " + block + " " + replace.words() + " " + stage.words();
        }
        public String key() { return "ssm_block:" + layer + ":" + block; }
    }

    /** A producer layer's post-RoPE K/V ablated; every consumer that reuses them sees the ablated values. */
    record KvAblation(int layer, Replacement replace) implements AblationElement {
        public KvAblation { checkLayer(layer); java.util.Objects.requireNonNull(replace, "replace"); }
        public String describe() {
            return "layer " + layer + ": K/V " + replace.words() + " (propagates to the layers that reuse them)";
        }
        public String key() { return "kv:" + layer; }
    }
}
