package dev.hymba.core.trace;

import dev.hymba.core.config.HymbaConfig;
import dev.hymba.core.hook.HookPoint;
import dev.hymba.core.hook.Hooks;
import dev.hymba.core.model.AttentionOverride;
import dev.hymba.core.model.ForwardResult;
import dev.hymba.core.model.HymbaModel;
import dev.hymba.core.model.MetaMode;
import dev.hymba.core.model.RunOptions;

import java.time.Instant;
import java.util.*;

/** Runs a model once and records a {@link Trace}. */
public final class Tracer {
    private Tracer() {}

    /**
     * What to run and how to label it.
     *
     * @param ablationJson          the ablation spec as JSON, for provenance
     * @param attentionEditedLayers layers whose attention stream is edited (trust check skipped there)
     * @param outOfDistribution     whether the run differs from the model as trained (labels figures)
     */
    public record Request(int[] ids, List<String> pieces, String prompt, RunOptions options, String ablationJson,
                          Set<Integer> attentionEditedLayers, boolean outOfDistribution) {
        public Request {
            attentionEditedLayers = Set.copyOf(attentionEditedLayers);
        }

        public static Request of(int[] ids, List<String> pieces, String prompt) {
            return new Request(ids, pieces, prompt, RunOptions.DEFAULT, "{}", Set.of(), false);
        }

        /** The same request with other run options (e.g. extra hooks chained on). */
        public Request withOptions(RunOptions o) {
            return new Request(ids, pieces, prompt, o, ablationJson, attentionEditedLayers, outOfDistribution);
        }
    }

    public static Trace run(HymbaModel model, Request req) {
        HymbaConfig c = model.config();
        RunOptions o = req.options();
        int meta = o.metaMode() == MetaMode.DROPPED ? 0 : c.numMemoryTokens();
        boolean bos = req.ids().length > 0 && req.ids()[0] == c.bosTokenId();
        int n = c.numHiddenLayers();
        int[] windows = new int[n];
        for (int l = 0; l < n; l++) {
            Optional<AttentionOverride> ov = o.attentionOverride(l);
            windows[l] = ov.map(a -> a.kind() == AttentionOverride.Kind.GLOBAL ? Integer.MAX_VALUE : a.window())
                    .orElse(c.isGlobal(l) ? Integer.MAX_VALUE : c.slidingWindow());
        }
        TraceRecorder rec = new TraceRecorder(c, meta, bos, windows, req.attentionEditedLayers());
        RunOptions traced = o.toBuilder().hooks(Hooks.chain(o.hooks(), rec)).build();
        ForwardResult logits = model.forward(req.ids(), traced);

        List<LayerTrace> layers = new ArrayList<>(n);
        for (int l = 0; l < n; l++) {
            boolean attnOn = !o.attentionOff(l), ssmOn = !o.ssmOff(l);
            float[] aRows = rec.values.get(HookPoint.layer(l, HookPoint.FUSION_ATTN_NORM) + "_rows");
            float[] mRows = rec.values.get(HookPoint.layer(l, HookPoint.FUSION_SSM_NORM) + "_rows");
            layers.add(new LayerTrace(l, windows[l], c.kvProducerOf(l),
                    rec.values.get(HookPoint.layer(l, HookPoint.ATTN_Q)),
                    rec.values.get(HookPoint.layer(c.kvProducerOf(l), HookPoint.ATTN_K)),
                    rec.values.get(HookPoint.layer(l, HookPoint.SSM_CONV_OUT)),
                    rec.values.get(HookPoint.layer(l, HookPoint.SSM_DELTA)),
                    rec.values.get(HookPoint.layer(l, HookPoint.SSM_B)),
                    rec.values.get(HookPoint.layer(l, HookPoint.SSM_C)),
                    rec.values.get(HookPoint.layer(l, HookPoint.SSM_STATE)),
                    attnOn ? rms(rec.values.get(HookPoint.layer(l, "attn.out_norm")), c.innerSize()) : null,
                    ssmOn ? rms(rec.values.get(HookPoint.layer(l, "ssm.out_norm")), c.innerSize()) : null,
                    aRows, mRows,
                    rec.values.get(HookPoint.layer(l, "attn.out_norm")),
                    rec.values.get(HookPoint.layer(l, "ssm.out_norm")),
                    rec.values.get(HookPoint.layer(l, HookPoint.RESID_POST)),
                    rec.heads.getOrDefault(l, List.of()),
                    attnOn ? rec.trust.get(l) : new LayerTrace.TrustCheck(LayerTrace.TrustCheck.Status.SKIPPED_BRANCH_OFF, 0, 0, 0)));
        }
        Provenance prov = new Provenance(Provenance.ENGINE_VERSION, model.dir().toString(), ModelFingerprint.of(model.dir()),
                summary(c), req.ablationJson(), req.outOfDistribution() || !o.isStructurallyUnmodified(),
                req.prompt(), req.ids().clone(), Instant.now());
        return new Trace(c, req.ids().clone(), req.pieces(), meta, prov, logits, List.copyOf(layers), rec.hiddenNorms);
    }

    /** RMS of the stream per token from its L2 norm: sqrt(‖x‖²/I) (the ε of the norm is negligible for display). */
    private static float[] rms(float[] norms, int width) {
        if (norms == null) return null;
        float[] r = new float[norms.length];
        for (int i = 0; i < r.length; i++) r[i] = (float) (norms[i] / Math.sqrt(width));
        return r;
    }

    static String summary(HymbaConfig c) {
        return String.format("hymba d=%d layers=%d heads=%d/%d I=%d N=%d meta=%d window=%d global=%s kv=%s fusion=%s",
                c.hiddenSize(), c.numHiddenLayers(), c.numAttentionHeads(), c.numKeyValueHeads(), c.innerSize(), c.mambaDState(),
                c.numMemoryTokens(), c.slidingWindow(), c.globalAttnIdx(), c.kvReuseGroups(), c.fusionMode().jsonName());
    }
}
