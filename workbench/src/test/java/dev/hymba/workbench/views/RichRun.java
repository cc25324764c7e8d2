package dev.hymba.workbench.views;

import dev.hymba.workbench.run.AttentionMap;
import dev.hymba.workbench.run.BranchNorms;
import dev.hymba.workbench.run.HeadMetric;
import dev.hymba.workbench.run.LayerInfo;
import dev.hymba.workbench.run.Matrix;
import dev.hymba.workbench.run.RegionMasses;
import dev.hymba.workbench.run.RunData;
import dev.hymba.workbench.run.RunProvenance;
import dev.hymba.workbench.run.TokenInfo;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A run with the optional arrays (branch norms, SSM, logits) given explicitly, for hand-derived view-model tests. */
public record RichRun(RunData base, Map<Integer, BranchNorms> norms, Map<Integer, Matrix> states, Map<Integer, Matrix> deltas,
                      Matrix logitsOrNull, Map<String, float[]> metaReceived) implements RunData {
    public RichRun(RunData base, Map<Integer, BranchNorms> norms, Map<Integer, Matrix> states, Map<Integer, Matrix> deltas,
                   Matrix logitsOrNull) {
        this(base, norms, states, deltas, logitsOrNull, Map.of());
    }

    /** Keyed "layer:head". */
    @Override public Optional<float[]> metaReceived(int l, int h) { return Optional.ofNullable(metaReceived.get(l + ":" + h)); }

    @Override public RunProvenance provenance() { return base.provenance(); }
    @Override public List<TokenInfo> tokens() { return base.tokens(); }
    @Override public List<LayerInfo> layers() { return base.layers(); }
    @Override public int attentionHeads() { return base.attentionHeads(); }
    @Override public AttentionMap attention(int l, int h) { return base.attention(l, h); }
    @Override public double headMetric(HeadMetric m, int l, int h) { return base.headMetric(m, l, h); }
    @Override public RegionMasses regionMasses(int l, int h) { return base.regionMasses(l, h); }
    @Override public Optional<BranchNorms> branchNorms(int l) { return Optional.ofNullable(norms.get(l)); }
    @Override public Optional<Matrix> ssmStateNorms(int l) { return Optional.ofNullable(states.get(l)); }
    @Override public Optional<Matrix> ssmDelta(int l) { return Optional.ofNullable(deltas.get(l)); }
    @Override public Optional<Matrix> logits() { return Optional.ofNullable(logitsOrNull); }
}
