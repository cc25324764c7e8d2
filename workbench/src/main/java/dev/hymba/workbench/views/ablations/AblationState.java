package dev.hymba.workbench.views.ablations;

import dev.hymba.core.ablation.AblationElement;
import dev.hymba.core.ablation.AblationElement.AttentionChange;
import dev.hymba.core.ablation.AblationElement.BranchOff;
import dev.hymba.core.ablation.AblationElement.FusionChange;
import dev.hymba.core.ablation.AblationElement.HeadOff;
import dev.hymba.core.ablation.AblationElement.SsmBlockOff;
import dev.hymba.core.ablation.AblationSpec;
import dev.hymba.core.ablation.MetaMode;
import dev.hymba.core.config.FusionMode;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The ablations panel's state: a thin, immutable view of the core {@link AblationSpec}, so the text the panel shows
 * and saves is exactly the engine's version-1 JSON. Elements the panel has no control for (SSM blocks, KV, other
 * head replacement modes) are kept untouched, so loading and saving a spec never loses anything.
 */
public record AblationState(AblationSpec spec) {
    public enum Attention { AS_TRAINED, GLOBAL, LOCAL }

    /** FUSED = as trained; the stacked modes run the two branches one after the other with the trained weights. */
    public enum Fusion { FUSED, ATTENTION_FIRST, SSM_FIRST }

    /** Which branches stay on. */
    public enum Branch { BOTH, ATTENTION_ONLY, SSM_ONLY }

    /** One layer's panel settings; window is used only for LOCAL. */
    public record LayerAblation(Attention attention, int window, Fusion fusion, Branch branch) {
        public static final LayerAblation NONE = new LayerAblation(Attention.AS_TRAINED, 0, Fusion.FUSED, Branch.BOTH);
    }

    public record HeadRef(int layer, int head) implements Comparable<HeadRef> {
        @Override
        public int compareTo(HeadRef o) { return layer != o.layer ? Integer.compare(layer, o.layer) : Integer.compare(head, o.head); }
    }

    public static final AblationState BASELINE = new AblationState(AblationSpec.EMPTY);

    public AblationState {
        Objects.requireNonNull(spec, "spec");
    }

    public MetaMode meta() { return spec.meta(); }

    public LayerAblation layer(int i) {
        Attention a = Attention.AS_TRAINED;
        int window = 0;
        Fusion f = Fusion.FUSED;
        Branch b = Branch.BOTH;
        for (AblationElement e : spec.elements()) {
            if (e.layer() != i) continue;
            switch (e) {
                case AttentionChange c -> {
                    a = c.mode() == AblationElement.AttentionMode.GLOBAL ? Attention.GLOBAL : Attention.LOCAL;
                    window = c.window();
                }
                case FusionChange c -> f = switch (c.mode()) {
                    case FUSED -> Fusion.FUSED;
                    case STACKED_ATTN_FIRST -> Fusion.ATTENTION_FIRST;
                    case STACKED_SSM_FIRST -> Fusion.SSM_FIRST;
                };
                case BranchOff c -> b = c.branch() == AblationElement.Branch.SSM ? Branch.ATTENTION_ONLY : Branch.SSM_ONLY;
                default -> { }
            }
        }
        return new LayerAblation(a, window, f, b);
    }

    /** Heads switched off (any replacement mode). */
    public Set<HeadRef> headsOff() {
        Set<HeadRef> s = new TreeSet<>();
        for (HeadOff h : spec.elements(HeadOff.class)) s.add(new HeadRef(h.layer(), h.head()));
        return s;
    }

    /**
     * Replaces layer i's attention, fusion and branch settings.
     *
     * @param localWindow the window a LOCAL choice uses when {@code a.window()} is 0 (the model's sliding window)
     */
    public AblationState withLayer(int i, LayerAblation a, int localWindow) {
        List<AblationElement> es = without(e -> e.layer() == i
                && (e instanceof AttentionChange || e instanceof FusionChange || e instanceof BranchOff));
        switch (a.attention()) {
            case GLOBAL -> es.add(AttentionChange.global(i));
            case LOCAL -> es.add(AttentionChange.local(i, a.window() > 0 ? a.window() : localWindow));
            case AS_TRAINED -> { }
        }
        switch (a.fusion()) {
            case ATTENTION_FIRST -> es.add(new FusionChange(i, FusionMode.STACKED_ATTN_FIRST));
            case SSM_FIRST -> es.add(new FusionChange(i, FusionMode.STACKED_SSM_FIRST));
            case FUSED -> { }
        }
        switch (a.branch()) {
            case ATTENTION_ONLY -> es.add(new BranchOff(i, AblationElement.Branch.SSM));
            case SSM_ONLY -> es.add(new BranchOff(i, AblationElement.Branch.ATTENTION));
            case BOTH -> { }
        }
        return of(es, spec.meta());
    }

    /** Switches a head off (zeroed before the pre-average norm, the panel's default) or back on. */
    public AblationState withHead(int layer, int head, boolean off) {
        boolean isOff = headsOff().contains(new HeadRef(layer, head));
        if (off == isOff) return this; // keep an existing head element with its own replacement mode
        List<AblationElement> es = without(e -> e instanceof HeadOff h && h.layer() == layer && h.head() == head);
        if (off) es.add(new HeadOff(layer, head, AblationElement.Replacement.ZERO, AblationElement.Stage.PRE_NORM));
        return of(es, spec.meta());
    }

    public AblationState withMeta(MetaMode m) { return new AblationState(spec.withMeta(m)); }

    public String toJson() { return spec.toJson(); }

    /** One line per intervention, from the engine's own descriptions. */
    public List<String> describe() { return spec.describe(); }

    /**
     * Parses a spec (the engine's version-1 schema; blank or "{}" = baseline) and checks layer, head and block
     * indices against the model.
     *
     * @throws IllegalArgumentException whose message starts with the JSON path of the problem
     */
    public static AblationState fromJson(String text, int layerCount, int headCount) {
        if (text == null || text.isBlank() || text.replaceAll("\\s", "").equals("{}")) return BASELINE;
        AblationSpec s = AblationSpec.fromJson(text);
        for (AblationElement e : s.elements()) {
            if (e.layer() >= layerCount)
                throw new IllegalArgumentException(e.key() + ": layer " + e.layer() + " is out of range 0.." + (layerCount - 1));
            if (e instanceof HeadOff h && h.head() >= headCount)
                throw new IllegalArgumentException(e.key() + ": head " + h.head() + " is out of range 0.." + (headCount - 1));
            if (e instanceof SsmBlockOff b && b.block() >= headCount)
                throw new IllegalArgumentException(e.key() + ": block " + b.block() + " is out of range 0.." + (headCount - 1));
        }
        return new AblationState(s);
    }

    private List<AblationElement> without(Predicate<AblationElement> drop) {
        List<AblationElement> es = new ArrayList<>();
        for (AblationElement e : spec.elements()) if (!drop.test(e)) es.add(e);
        return es;
    }

    private static AblationState of(List<AblationElement> es, MetaMode meta) {
        return new AblationState(AblationSpec.of(es.toArray(AblationElement[]::new)).withMeta(meta));
    }
}
