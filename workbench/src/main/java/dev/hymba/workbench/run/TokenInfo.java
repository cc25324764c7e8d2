package dev.hymba.workbench.run;

import java.util.Objects;

/**
 * One sequence position.
 *
 * @param position index in the full sequence (meta tokens included)
 * @param id       vocabulary id, or -1 for a meta token (meta tokens are learned embeddings, not vocabulary entries)
 * @param piece    the token's text piece as the tokenizer produced it ("[m3]" style for meta tokens)
 */
public record TokenInfo(int position, int id, String piece, TokenKind kind) {
    public TokenInfo {
        Objects.requireNonNull(piece, "piece");
        Objects.requireNonNull(kind, "kind");
        if (position < 0) throw new IllegalArgumentException("token position must be >= 0, got " + position);
    }

    /** A short label for axes: the piece with whitespace made visible, meta tokens as m0, m1, ... */
    public String label() {
        if (kind == TokenKind.META) return "m" + position;
        if (kind == TokenKind.BOS) return "<s>";
        return piece.replace(' ', '\u2423').replace("\n", "\u21b5");
    }
}
