package dev.hymba.plugins.bundled;

import dev.hymba.core.analysis.RunComparison;
import dev.hymba.core.config.HymbaConfig;
import dev.hymba.core.hook.HookPoint;
import dev.hymba.core.model.HymbaModel;
import dev.hymba.core.model.Numerics;
import dev.hymba.core.model.RunOptions;
import dev.hymba.plugins.api.*;

import java.util.*;

/**
 * Logit lens: the residual stream after each layer read out as if it were the last one, i.e. through the final
 * RMSNorm and the unembedding (lm_head). Row "embed" reads the stream entering layer 0. The lens of the last layer
 * is computed by the same kernels on the same rows as the engine, so it equals the model's logits bit for bit.
 */
public final class LogitLensPlugin implements AnalysisPlugin {
    public static final String ID = "logit-lens";

    @Override
    public PluginInfo info() {
        return new PluginInfo(ID, "Logit lens", "1.0", PluginApi.VERSION,
                "Per layer: top-k next tokens at a position and the probability of a target token at every position.");
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(new ParameterSpec("target", "token id whose probability is tracked (default: the model's top token at the position)", ""),
                new ParameterSpec("position", "prompt position for the top-k table; negative counts from the end", "-1"),
                new ParameterSpec("k", "how many top tokens per layer", "5"));
    }

    /** Lens logits [L, V] of residual rows [L, d] (the prompt rows of a resid point): final norm, then lm_head. */
    public static float[] lensLogits(HymbaModel model, float[] residRows, int rows) {
        HymbaConfig c = model.config();
        float[] normed = Numerics.rmsNorm(residRows, rows, c.hiddenSize(), model.weights().finalNorm(), c.rmsNormEps());
        return model.weights().lmHead().apply(normed, rows);
    }

    @Override
    public AnalysisResult analyze(AnalysisContext ctx) {
        HymbaModel model = ctx.require(HymbaModel.class);
        PromptTokens prompt = ctx.require(PromptTokens.class);
        HymbaConfig c = model.config();
        int n = c.numHiddenLayers(), L = prompt.length(), V = c.vocabSize();
        int pos = Params.position(ctx, "position", L);
        int k = Params.intIn(ctx, "k", 5, 1, Math.min(100, V));

        Set<String> points = new LinkedHashSet<>();
        points.add(HookPoint.layer(0, HookPoint.RESID_PRE));
        for (int l = 0; l < n; l++) points.add(HookPoint.layer(l, HookPoint.RESID_POST));
        ctx.progress(0, "running the model");
        Activations act = Activations.record(model, prompt.ids(), RunOptions.builder().cancelled(ctx::isCancelled).build(), points);
        Integer t = Params.optInt(ctx, "target");
        int target = t == null ? act.result().argmax(pos) : t;
        if (target < 0 || target >= V) throw new IllegalArgumentException("parameter target=" + target + " is outside the vocabulary 0.." + (V - 1));

        List<String> rowLabels = new ArrayList<>();
        float[] targetProb = new float[(n + 1) * L];
        List<List<String>> top = new ArrayList<>();
        int row = 0;
        for (String point : points) {
            ctx.checkCancelled();
            String label = row == 0 ? "embed" : "layer " + (row - 1);
            rowLabels.add(label);
            float[] logits = lensLogits(model, act.lastRows(point, L), L);
            for (int p = 0; p < L; p++) targetProb[row * L + p] = (float) Math.exp(RunComparison.logSoftmax(logits, V, p)[target]);
            double[] ls = RunComparison.logSoftmax(logits, V, pos);
            List<String> cells = new ArrayList<>(List.of(label, Params.fmt(Math.exp(ls[target]))));
            for (int id : RunComparison.topK(logits, V, pos, k)) cells.add(id + " (" + String.format(Locale.ROOT, "%.4f", Math.exp(ls[id])) + ")");
            top.add(cells);
            row++;
            ctx.progress((double) row / (n + 1), label);
        }
        List<String> cols = new ArrayList<>(List.of("layer", "P(target=" + target + ")"));
        for (int i = 1; i <= k; i++) cols.add("top " + i);
        return AnalysisResult.builder("Logit lens at position " + pos + " (" + prompt.label(pos) + "), target " + target)
                .table("top-k at position " + pos, cols, top)
                .array("target_prob", targetProb, n + 1, L)
                .figure(new AnalysisResult.Figure("P(target " + target + ") through the layers", AnalysisResult.Figure.Kind.HEATMAP,
                        "target_prob", rowLabels, prompt.labels(), "position", "layer"))
                .note("Each row is the residual stream after that layer through final_norm and lm_head; the last row is the model's output.")
                .build();
    }
}
