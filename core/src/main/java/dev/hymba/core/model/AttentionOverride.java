package dev.hymba.core.model;

/** Per-layer attention-span override: as configured, full causal, or sliding window of a given size. */
public record AttentionOverride(Kind kind, int window) {
    public enum Kind { GLOBAL, LOCAL }

    public AttentionOverride {
        if (kind == Kind.LOCAL && window <= 0) throw new IllegalArgumentException("window must be positive, got " + window);
    }

    public static AttentionOverride global() { return new AttentionOverride(Kind.GLOBAL, 0); }

    public static AttentionOverride local(int window) { return new AttentionOverride(Kind.LOCAL, window); }
}
