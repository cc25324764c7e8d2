package dev.hymba.core.model;

/** Logits of a run: one row of {@code vocab} values per input token (meta rows dropped), row-major. */
public record ForwardResult(float[] logits, int rows, int vocab) {
    public float logit(int row, int token) { return logits[row * vocab + token]; }

    /** A copy of one row. */
    public float[] row(int r) { return java.util.Arrays.copyOfRange(logits, r * vocab, (r + 1) * vocab); }

    public int argmax(int row) {
        int best = 0;
        for (int i = 1; i < vocab; i++) if (logits[row * vocab + i] > logits[row * vocab + best]) best = i;
        return best;
    }
}
