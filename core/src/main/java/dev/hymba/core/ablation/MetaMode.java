package dev.hymba.core.ablation;

import java.util.Locale;

/** What happens to the M meta tokens (analyses.md d.11). */
public enum MetaMode {
    /** The trained prefix (the only in-distribution choice). */
    AS_TRAINED("meta tokens as trained"),
    /** Prefix removed: positions shift by −M (RoPE) and the SSM starts from a zero state. */
    DROPPED("meta tokens dropped (positions shift by M, the SSM starts from a zero state)"),
    /** Prefix kept in place (positions unchanged) but its embeddings set to 0. */
    ZEROED("meta token embeddings zeroed (positions kept)"),
    /** Prefix kept in place, every meta embedding replaced by the mean meta embedding. */
    MEAN("meta token embeddings replaced by their mean (positions kept)");

    private final String description;

    MetaMode(String description) { this.description = description; }

    public String describe() { return description; }

    public String json() { return name().toLowerCase(Locale.ROOT); }
}
