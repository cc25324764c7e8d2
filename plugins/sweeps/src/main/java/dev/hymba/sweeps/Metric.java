package dev.hymba.sweeps;

import java.util.Arrays;
import java.util.Locale;

/**
 * What a sweep measures for each (prompt, ablation), always as ablated minus baseline on the same tokens, or a
 * divergence from the baseline. "Scored rows" are the logit rows whose next token is scored: the rows predicting the
 * target continuation when the prompt has one, otherwise every row that has a next token.
 */
public enum Metric {
    /** Mean next-token NLL over the scored rows, ablated − baseline (nats; positive = ablation hurts). */
    LOSS_DELTA,
    /** Mean KL(P_baseline ‖ P_ablated) over the scored rows, plus the last row when the prompt has no target (nats). */
    KL,
    /**
     * At the row before the target: [logit(target₀) − logit(foil)] ablated − baseline; without a foil, the change
     * of the target token's logit. Needs a target.
     */
    LOGIT_DIFF,
    /** Mean over attention-on layers and heads of the attention mass on the meta tokens (C4), ablated − baseline. */
    META_MASS_DELTA,
    /** Same for the BOS token's mass (0 in both runs when the prompt has no BOS). */
    BOS_MASS_DELTA;

    public String json() { return name().toLowerCase(Locale.ROOT); }

    /** Sink metrics need a traced run (per-head attention summaries); the others need only logits. */
    public boolean needsTrace() { return this == META_MASS_DELTA || this == BOS_MASS_DELTA; }

    public static Metric fromJson(String where, String s) {
        for (Metric m : values()) if (m.json().equals(s)) return m;
        throw new SweepSpecException(where, "\"" + s + "\" is not one of "
                + String.join(", ", Arrays.stream(values()).map(Metric::json).toList()));
    }
}
