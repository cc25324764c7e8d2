package dev.hymba.core.model;

import dev.hymba.core.config.FusionMode;
import dev.hymba.core.hook.Hooks;

import java.util.*;
import java.util.function.BooleanSupplier;

/**
 * Everything that changes one run of the engine: hooks, structural ablations applied inside the forward pass,
 * progress reporting and cancellation. Immutable; build with {@link #builder()}.
 */
public final class RunOptions {
    /** Receives (layers done, layer count) after every layer. */
    @FunctionalInterface
    public interface Progress { void layerDone(int done, int total); }

    public static final RunOptions DEFAULT = builder().build();

    private final Hooks hooks;
    private final Map<Integer, AttentionOverride> attention;
    private final Map<Integer, FusionMode> fusion;
    private final Set<Integer> attentionOff;
    private final Set<Integer> ssmOff;
    private final MetaMode metaMode;
    private final Progress progress;
    private final BooleanSupplier cancelled;
    private final boolean referenceDecodeWindow;

    private RunOptions(Builder b) {
        hooks = b.hooks;
        attention = Map.copyOf(b.attention);
        fusion = Map.copyOf(b.fusion);
        attentionOff = Set.copyOf(b.attentionOff);
        ssmOff = Set.copyOf(b.ssmOff);
        metaMode = b.metaMode;
        progress = b.progress;
        cancelled = b.cancelled;
        referenceDecodeWindow = b.referenceDecodeWindow;
    }

    public static Builder builder() { return new Builder(); }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.hooks = hooks;
        b.attention.putAll(attention);
        b.fusion.putAll(fusion);
        b.attentionOff.addAll(attentionOff);
        b.ssmOff.addAll(ssmOff);
        b.metaMode = metaMode;
        b.progress = progress;
        b.cancelled = cancelled;
        b.referenceDecodeWindow = referenceDecodeWindow;
        return b;
    }

    public Hooks hooks() { return hooks; }
    public Optional<AttentionOverride> attentionOverride(int layer) { return Optional.ofNullable(attention.get(layer)); }
    public Optional<FusionMode> fusionOverride(int layer) { return Optional.ofNullable(fusion.get(layer)); }
    public boolean attentionOff(int layer) { return attentionOff.contains(layer); }
    public boolean ssmOff(int layer) { return ssmOff.contains(layer); }
    public MetaMode metaMode() { return metaMode; }
    public Progress progress() { return progress; }
    public boolean isCancelled() { return cancelled.getAsBoolean(); }
    public boolean referenceDecodeWindow() { return referenceDecodeWindow; }

    /** Rejects overrides that name layers outside 0..layers−1, listing every one. */
    public void validate(int layers) {
        List<String> bad = new ArrayList<>();
        for (int l : attention.keySet()) if (l < 0 || l >= layers) bad.add("attention override for layer " + l);
        for (int l : fusion.keySet()) if (l < 0 || l >= layers) bad.add("fusion override for layer " + l);
        for (int l : attentionOff) if (l < 0 || l >= layers) bad.add("attention-off layer " + l);
        for (int l : ssmOff) if (l < 0 || l >= layers) bad.add("ssm-off layer " + l);
        if (!bad.isEmpty()) throw new IllegalArgumentException("run options name layers outside 0.." + (layers - 1) + ": " + String.join(", ", bad));
    }

    /** True when nothing but hooks, progress and cancellation differ from the model as trained. */
    public boolean isStructurallyUnmodified() {
        return attention.isEmpty() && fusion.isEmpty() && attentionOff.isEmpty() && ssmOff.isEmpty() && metaMode == MetaMode.AS_TRAINED;
    }

    public static final class Builder {
        private Hooks hooks = Hooks.NONE;
        private final Map<Integer, AttentionOverride> attention = new TreeMap<>();
        private final Map<Integer, FusionMode> fusion = new TreeMap<>();
        private final Set<Integer> attentionOff = new TreeSet<>();
        private final Set<Integer> ssmOff = new TreeSet<>();
        private MetaMode metaMode = MetaMode.AS_TRAINED;
        private Progress progress = (d, t) -> {};
        private BooleanSupplier cancelled = () -> false;
        private boolean referenceDecodeWindow;

        public Builder hooks(Hooks h) { hooks = Objects.requireNonNull(h); return this; }
        public Builder attention(int layer, AttentionOverride o) { attention.put(layer, Objects.requireNonNull(o)); return this; }
        public Builder fusion(int layer, FusionMode m) { fusion.put(layer, Objects.requireNonNull(m)); return this; }
        public Builder attentionOff(int layer) { attentionOff.add(layer); return this; }
        public Builder ssmOff(int layer) { ssmOff.add(layer); return this; }
        public Builder metaMode(MetaMode m) { metaMode = Objects.requireNonNull(m); return this; }
        public Builder progress(Progress p) { progress = Objects.requireNonNull(p); return this; }
        public Builder cancelled(BooleanSupplier c) { cancelled = Objects.requireNonNull(c); return this; }
        /** Decode steps see W−1 previous positions, as the released code's cache trimming does (§3.6). */
        public Builder referenceDecodeWindow(boolean on) { referenceDecodeWindow = on; return this; }
        public RunOptions build() { return new RunOptions(this); }
    }
}
