package dev.hymba.plugins.bundled;

import java.util.List;

/**
 * The prompt of the current run, as hosts provide it through {@code AnalysisContext.service(PromptTokens.class)}.
 * Together with {@code HymbaModel} (the loaded model) and, when the model folder has one, {@code HymbaTokenizer},
 * this is what the workbench and {@code ./hymba plugin} put into every context.
 *
 * @param pieces token pieces for labels, or null when the ids were given directly
 */
public record PromptTokens(int[] ids, List<String> pieces) {
    public PromptTokens {
        if (ids == null || ids.length == 0) throw new IllegalArgumentException("the prompt has no tokens");
        ids = ids.clone();
        pieces = pieces == null ? null : List.copyOf(pieces);
    }

    @Override public int[] ids() { return ids.clone(); }

    public int length() { return ids.length; }

    /** A label for position p: its piece when known, else "#p:id". */
    public String label(int p) { return pieces != null && p < pieces.size() ? pieces.get(p) : "#" + p + ":" + ids[p]; }

    public List<String> labels() { return java.util.stream.IntStream.range(0, ids.length).mapToObj(this::label).toList(); }
}
