package dev.hymba.core.tokenizer;

import java.util.Arrays;

/**
 * Turns generated ids into text as they arrive, emitting only text that a later id cannot change, so the
 * concatenated output always equals {@code decode(allIds)}.
 *
 * <p>The only way a later id changes earlier text is byte fallback: the decoder joins each run of consecutive
 * byte pieces ({@code <0xF0><0x9F><0x98><0x80>} = 😀) and decodes it as one UTF-8 sequence, turning every byte of
 * an invalid run into U+FFFD. A run is therefore held back until a non-byte id closes it (or {@link #finish}); an
 * emoji never appears half-written and ASCII bytes are never shown and later "un-shown". With skipSpecial, special
 * ids vanish before the decoder runs, so they do not close a run either.
 *
 * <p>Text is cut as decode(window + new) minus decode(window), with the window starting at the previous emitted
 * boundary: both decodes start at the same id, so the decoder's one-leading-space strip affects them alike, and each
 * step decodes only a few ids.
 */
public final class StreamingDetokenizer {
    private final HymbaTokenizer tokenizer;
    private final boolean skipSpecial;
    private int[] ids = new int[64];
    private int size, prefixOffset, readOffset;

    StreamingDetokenizer(HymbaTokenizer tokenizer, boolean skipSpecial) {
        this.tokenizer = tokenizer;
        this.skipSpecial = skipSpecial;
    }

    /** Adds one id; returns the text that became final (possibly empty). */
    public String push(int id) {
        if (size == ids.length) ids = Arrays.copyOf(ids, 2 * size);
        ids[size++] = id;
        int boundary = size;
        while (boundary > readOffset && holdsRunOpen(ids[boundary - 1])) boundary--;
        if (boundary <= readOffset) return "";
        return emitUpTo(boundary);
    }

    /** Emits everything still held back (at the end of generation), exactly as a full decode shows it. */
    public String finish() {
        return size > readOffset ? emitUpTo(size) : "";
    }

    private boolean holdsRunOpen(int id) {
        return tokenizer.isBytePiece(id) || (skipSpecial && tokenizer.isSpecial(id));
    }

    private String emitUpTo(int boundary) {
        String prefix = tokenizer.decode(Arrays.copyOfRange(ids, prefixOffset, readOffset), skipSpecial);
        String full = tokenizer.decode(Arrays.copyOfRange(ids, prefixOffset, boundary), skipSpecial);
        if (!full.startsWith(prefix))
            throw new IllegalStateException("decoder is not prefix-stable for ids " + Arrays.toString(Arrays.copyOfRange(ids, prefixOffset, boundary)));
        prefixOffset = readOffset;
        readOffset = boundary;
        return full.substring(prefix.length());
    }
}
