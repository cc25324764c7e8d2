package dev.hymba.workbench.run;

import dev.hymba.core.analysis.HiddenAttention;
import dev.hymba.core.analysis.SsmTensors;
import dev.hymba.core.config.HymbaConfig;
import dev.hymba.core.trace.HeadSummary;
import dev.hymba.core.trace.LayerTrace;
import dev.hymba.core.trace.Provenance;
import dev.hymba.core.trace.Trace;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@link RunData} over the engine's {@link Trace}: maps are recomputed by the trace on demand, per-head metrics come
 * from the statistics the run streamed (analyses.md §c, computed in core), branch norms and SSM arrays from the layer
 * traces.
 */
public final class TraceRunData implements RunData {
    private final Trace trace;
    private final List<TokenInfo> tokens;
    private final List<LayerInfo> layers;
    private final RunProvenance provenance;
    private final List<LayerStatics> statics;
    private String hiddenKey;
    private AttentionMap hiddenMap;

    public TraceRunData(Trace trace) { this(trace, List.of()); }

    /** @param statics per-layer weights from the model that ran (empty when unknown, for example a loaded trace file) */
    public TraceRunData(Trace trace, List<LayerStatics> statics) {
        this.trace = trace;
        this.statics = List.copyOf(statics);
        this.tokens = tokens(trace);
        List<LayerInfo> ls = new ArrayList<>();
        for (LayerTrace lt : trace.layers()) {
            boolean global = lt.window() == Integer.MAX_VALUE;
            ls.add(new LayerInfo(lt.layer(), global, global ? 0 : lt.window(), lt.kvProducer()));
        }
        this.layers = List.copyOf(ls);
        Provenance p = trace.provenance();
        this.provenance = new RunProvenance(p.modelPath(), p.modelFingerprint(), p.prompt() == null ? "" : p.prompt(),
                Arrays.stream(trace.ids()).boxed().toList(), p.ablationJson(), p.engineVersion());
    }

    public Trace trace() { return trace; }

    private static List<TokenInfo> tokens(Trace t) {
        List<TokenInfo> out = new ArrayList<>();
        for (int i = 0; i < t.metaCount(); i++) out.add(new TokenInfo(i, -1, "[meta " + i + "]", TokenKind.META));
        int bos = t.bosPosition();
        int[] ids = t.ids();
        for (int j = 0; j < ids.length; j++) {
            int pos = t.metaCount() + j;
            String piece = t.pieces() != null && j < t.pieces().size() ? t.pieces().get(j) : "#" + ids[j];
            out.add(new TokenInfo(pos, ids[j], piece, pos == bos ? TokenKind.BOS : TokenKind.TEXT));
        }
        return List.copyOf(out);
    }

    @Override public RunProvenance provenance() { return provenance; }

    @Override public List<TokenInfo> tokens() { return tokens; }

    @Override public List<LayerInfo> layers() { return layers; }

    @Override public int attentionHeads() { return trace.config().numAttentionHeads(); }

    @Override
    public AttentionMap attention(int layer, int head) {
        int t = trace.positions();
        return new AttentionMap(t, t, trace.attentionMap(layer, head));
    }

    /** NaN when the layer ran without its attention branch (no statistics exist). */
    @Override
    public double headMetric(HeadMetric metric, int layer, int head) {
        Optional<HeadSummary> s = summary(layer, head);
        if (s.isEmpty()) return Double.NaN;
        HeadSummary h = s.get();
        return switch (metric) {
            case SINK_SCORE -> h.firstTokenScore();
            case ENTROPY -> h.entropy();
            case META_MASS -> h.metaMass();
            case BOS_MASS -> h.bosMass();
        };
    }

    @Override
    public RegionMasses regionMasses(int layer, int head) {
        HeadSummary h = summary(layer, head).orElseThrow(() ->
                new IllegalStateException("layer " + layer + " ran without its attention branch: no region masses"));
        // cross = 1 - meta - bos - self in core; fp32 rounding can leave it a hair below zero.
        return new RegionMasses(h.metaMass(), h.bosMass(), h.selfMass(), Math.max(0, h.crossMass()));
    }

    @Override
    public Optional<BranchNorms> branchNorms(int layer) {
        LayerTrace lt = trace.layers().get(layer);
        if (lt.attnTermNorm() == null && lt.ssmTermNorm() == null) return Optional.empty();
        return Optional.of(new BranchNorms(lt.attnOutNorm(), lt.ssmOutNorm(), lt.branchShare()));
    }

    @Override
    public Optional<FusionScales> fusionScales(int layer) {
        return layer < statics.size() ? Optional.ofNullable(statics.get(layer).scales()) : Optional.empty();
    }

    @Override
    public int ssmChannels() { return trace.config().innerSize(); }

    /** Computed by core's HiddenAttention from the traced Δ, B, C, u and the layer's A, D; the last map is kept. */
    @Override
    public synchronized Optional<AttentionMap> ssmHiddenAttention(int layer, int from, int to) {
        if (layer >= statics.size() || statics.get(layer).ssmA() == null || statics.get(layer).ssmD() == null) return Optional.empty();
        LayerTrace lt = trace.layers().get(layer);
        if (lt.ssmInput() == null || lt.delta() == null || lt.b() == null || lt.c() == null) return Optional.empty();
        String key = layer + ":" + from + ":" + to;
        if (!key.equals(hiddenKey)) {
            int t = trace.positions(), channels = trace.config().innerSize();
            SsmTensors s = new SsmTensors(t, channels, lt.b().length / t, lt.delta(), statics.get(layer).ssmA(), lt.b(), lt.c(),
                    statics.get(layer).ssmD(), lt.ssmInput());
            hiddenMap = new AttentionMap(t, t, HiddenAttention.block(s, from, to, HiddenAttention.Aggregation.MEAN_ABS));
            hiddenKey = key;
        }
        return Optional.of(hiddenMap);
    }

    @Override
    public Optional<Matrix> ssmStateNorms(int layer) { return matrix(trace.layers().get(layer).stateNorms()); }

    @Override
    public Optional<Matrix> ssmDelta(int layer) { return matrix(trace.layers().get(layer).delta()); }

    @Override
    public Optional<float[]> metaReceived(int layer, int head) { return summary(layer, head).map(HeadSummary::metaReceived); }

    @Override
    public Optional<Matrix> logits() {
        var f = trace.logits();
        return f == null ? Optional.empty() : Optional.of(new Matrix(f.rows(), f.vocab(), f.logits()));
    }

    private Optional<Matrix> matrix(float[] v) {
        if (v == null) return Optional.empty();
        int t = trace.positions();
        return Optional.of(new Matrix(t, v.length / t, v));
    }

    private Optional<HeadSummary> summary(int layer, int head) {
        List<HeadSummary> hs = trace.layers().get(layer).heads();
        return hs.isEmpty() ? Optional.empty() : Optional.of(hs.get(head));
    }

    /** The model configuration behind the run (for the layer map and the ablation panel). */
    public HymbaConfig config() { return trace.config(); }
}
