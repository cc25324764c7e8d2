package dev.hymba.core.intervention;

import dev.hymba.core.ablation.AblationElement;
import dev.hymba.core.ablation.AblationElement.Replacement;
import dev.hymba.core.ablation.AblationElement.Stage;
import dev.hymba.core.ablation.AblationSpec;
import dev.hymba.core.ablation.AblationSpecException;
import dev.hymba.core.hook.HookPoint;
import dev.hymba.core.model.*;
import dev.hymba.core.trace.LayerTrace;
import dev.hymba.core.trace.Trace;
import dev.hymba.core.trace.Tracer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.*;

class AblationCompilerTest {
    static HymbaModel model;
    static int[] ids;

    @BeforeAll
    static void load() {
        GoldenSet g = GoldenSet.of("tiny-a");
        model = HymbaModel.load(g.dir());
        ids = g.inputIds();
    }

    private static RecordingHooks run(AblationSpec spec, String... points) {
        RecordingHooks rec = new RecordingHooks(java.util.Set.of(points)::contains);
        AblationCompiler.Compiled c = AblationCompiler.compile(spec, model.config(), RunOptions.builder().hooks(rec));
        model.forward(ids, c.options());
        return rec;
    }

    @Test
    void preNormZeroRenormalisesTheOtherHeadsPostNormKeepsThem() {
        int l = 1, h = 2, I = model.config().innerSize(), dv = model.config().valueHeadDim(), T = ids.length + model.config().numMemoryTokens();
        String norm = HookPoint.layer(l, HookPoint.FUSION_ATTN_NORM);
        float[] base = run(AblationSpec.EMPTY, norm).values.get(norm);
        float[] pre = run(AblationSpec.of(new AblationElement.HeadOff(l, h, Replacement.ZERO, Stage.PRE_NORM)), norm).values.get(norm);
        float[] post = run(AblationSpec.of(new AblationElement.HeadOff(l, h, Replacement.ZERO, Stage.POST_NORM)), norm).values.get(norm);
        for (int t = 0; t < T; t += 5) {
            for (int j = 0; j < dv; j++) {
                assertThat(pre[t * I + h * dv + j]).isZero();
                assertThat(post[t * I + h * dv + j]).isZero();
            }
            // Post-norm leaves every other channel exactly as it was.
            assertThat(post[t * I]).isEqualTo(base[t * I]);
            // Pre-norm rescales the survivors by r_old / r_new > 1, the same factor for every channel of the row.
            double f0 = pre[t * I] / base[t * I], f1 = pre[t * I + I - 1] / base[t * I + I - 1];
            assertThat(f0).isGreaterThan(1.0).isCloseTo(f1, within(1e-4));
        }
    }

    @Test
    void meanReplacementUsesTheMeanOverThePrompt() {
        int l = 3, b = 1, I = model.config().innerSize(), blk = I / model.config().numAttentionHeads();
        String out = HookPoint.layer(l, HookPoint.SSM_OUT);
        RecordingHooks rec = run(AblationSpec.of(new AblationElement.SsmBlockOff(l, b, Replacement.MEAN, Stage.PRE_NORM)), out);
        float[] v = rec.values.get(out);
        int rows = v.length / I;
        for (int t = 1; t < rows; t++) assertThat(v[t * I + b * blk]).isEqualTo(v[b * blk]);
        assertThat(v[b * blk]).isNotZero();
    }

    @Test
    void producerKvAblationPropagatesToItsConsumer() {
        AblationSpec spec = AblationSpec.of(new AblationElement.KvAblation(1, Replacement.ZERO));
        AblationCompiler.Compiled c = AblationCompiler.compile(spec, model.config());
        Trace t = Tracer.run(model, new Tracer.Request(ids, null, "", c.options(), spec.toJson(), c.attentionEditedLayers(), spec.isOutOfDistribution()));
        assertThat(t.layers().get(2).kvProducer()).isEqualTo(1);
        assertThat(t.layers().get(2).k()).containsOnly(0f);
        // With all keys zero every score is 0: attention is uniform over the allowed keys of each row.
        float[] map = t.attentionMap(2, 0);
        int T = t.positions();
        assertThat(map[5 * T + 0]).isCloseTo(1f / 6, within(1e-6f));
        assertThat(t.layers().get(2).trust().status()).isEqualTo(LayerTrace.TrustCheck.Status.PASSED);
    }

    @Test
    void structuralElementsMatchTheEquivalentRunOptions() {
        AblationSpec spec = AblationSpec.of(new AblationElement.BranchOff(2, AblationElement.Branch.SSM),
                AblationElement.AttentionChange.local(0, 8)).withMeta(dev.hymba.core.ablation.MetaMode.ZEROED);
        ForwardResult viaSpec = model.forward(ids, AblationCompiler.compile(spec, model.config()).options());
        ForwardResult direct = model.forward(ids, RunOptions.builder().ssmOff(2).attention(0, AttentionOverride.local(8)).metaMode(MetaMode.ZEROED).build());
        assertThat(viaSpec.logits()).containsExactly(direct.logits());
    }

    @Test
    void preNormHeadAblationSkipsTheTrustCheckOfThatLayerOnly() {
        AblationSpec spec = AblationSpec.of(new AblationElement.HeadOff(4, 0, Replacement.ZERO, Stage.PRE_NORM));
        AblationCompiler.Compiled c = AblationCompiler.compile(spec, model.config());
        Trace t = Tracer.run(model, new Tracer.Request(ids, null, "", c.options(), spec.toJson(), c.attentionEditedLayers(), spec.isOutOfDistribution()));
        assertThat(t.layers().get(4).trust().status()).isEqualTo(LayerTrace.TrustCheck.Status.SKIPPED_ABLATED);
        assertThat(t.layers().get(3).trust().status()).isEqualTo(LayerTrace.TrustCheck.Status.PASSED);
        assertThat(t.provenance().outOfDistribution()).isTrue();
        assertThat(t.provenance().ablationJson()).contains("\"heads\"");
    }

    @Test
    void specsThatDoNotFitTheModelAreRejectedWithTheField() {
        AblationSpec bad = AblationSpec.fromJson("{\"version\":1,\"heads\":[{\"layer\":1,\"head\":7,\"replace\":\"zero\",\"stage\":\"pre_norm\"}]}");
        assertThatThrownBy(() -> AblationCompiler.compile(bad, model.config())).isInstanceOf(AblationSpecException.class)
                .hasMessageContaining("heads[0].head").hasMessageContaining("7");
    }

    @Test
    void pluginInterventionsNeedAPluginCompilerAndRunAfterTheBuiltInEdits() {
        AblationSpec spec = AblationSpec.of(new AblationElement.BranchOff(1, AblationElement.Branch.SSM))
                .withPlugin(dev.hymba.core.ablation.PluginIntervention.of("scale-branch", java.util.Map.of("layer", 3)));
        assertThatThrownBy(() -> AblationCompiler.compile(spec, model.config())).isInstanceOf(AblationSpecException.class)
                .hasMessageStartingWith("interventions[0].plugin: \"scale-branch\" is a plugin intervention, and plugins are not loaded here");
        // a compiler that doubles layers.3.attn.out: the plugin's hooks run, and layer 3's trust check is skipped
        String point = HookPoint.layer(3, HookPoint.ATTN_OUT);
        AblationCompiler.PluginCompiler doubler = (p, path, c) -> new dev.hymba.core.hook.Hooks() {
            public boolean wants(String pt) { return pt.equals(point); }
            public float[] apply(String pt, float[] v, int[] shape) {
                float[] o = v.clone();
                for (int i = 0; i < o.length; i++) o[i] *= 2;
                return o;
            }
        };
        RecordingHooks rec = new RecordingHooks(point::equals);
        AblationCompiler.Compiled c = AblationCompiler.compile(spec, model.config(), RunOptions.builder().hooks(rec), doubler);
        assertThat(c.attentionEditedLayers()).containsExactly(3);
        model.forward(ids, c.options());
        RecordingHooks plain = new RecordingHooks(point::equals);
        model.forward(ids, AblationCompiler.compile(AblationSpec.of(new AblationElement.BranchOff(1, AblationElement.Branch.SSM)),
                model.config(), RunOptions.builder().hooks(plain)).options());
        float[] a = plain.values.get(point), b = rec.values.get(point);
        for (int i = 0; i < a.length; i++) assertThat(b[i]).isEqualTo(2 * a[i]);
    }
}
