package dev.hymba.plugins.bundled;

import dev.hymba.core.hook.HookPoint;
import dev.hymba.core.model.HymbaModel;
import dev.hymba.core.model.RunOptions;
import dev.hymba.core.patching.ActivationPatching;
import dev.hymba.core.patching.PatchMetric;
import dev.hymba.core.tokenizer.HymbaTokenizer;
import dev.hymba.plugins.api.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Activation patching sweep (core {@link ActivationPatching}): the run's prompt is the clean one, the corrupted one
 * comes from a parameter; the result is the heatmap of the normalised indirect effect over layers × positions or
 * layers × heads, plus the raw metric grid.
 */
public final class ActivationPatchingPlugin implements AnalysisPlugin {
    public static final String ID = "activation-patching";

    @Override
    public PluginInfo info() {
        return new PluginInfo(ID, "Activation patching", "1.0", PluginApi.VERSION,
                "Clean vs corrupted prompt: patch clean activations into the corrupted run, sweep layers x positions or heads.");
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(new ParameterSpec("corrupted_ids", "corrupted prompt as comma-separated token ids (same length as the clean prompt)", ""),
                new ParameterSpec("corrupted", "corrupted prompt as text (needs the model's tokenizer)", ""),
                new ParameterSpec("target", "target token id (required)", ""),
                new ParameterSpec("distractor", "second token for the logit difference", ""),
                new ParameterSpec("metric", "logit-diff | prob | nll (default: logit-diff with a distractor, else prob)", ""),
                new ParameterSpec("sweep", "positions | heads", "positions"),
                new ParameterSpec("point", "per-layer hook point (default resid_pre for positions, attn.out for heads)", ""),
                new ParameterSpec("layers", "comma-separated layers (default: all)", ""));
    }

    @Override
    public AnalysisResult analyze(AnalysisContext ctx) throws Exception {
        HymbaModel model = ctx.require(HymbaModel.class);
        PromptTokens clean = ctx.require(PromptTokens.class);
        int[] corrupted = corrupted(ctx);
        Integer target = Params.optInt(ctx, "target");
        if (target == null) throw new IllegalArgumentException("parameter target is required (the token id the metric reads)");
        Integer distractor = Params.optInt(ctx, "distractor");
        String metricName = Params.text(ctx, "metric");
        PatchMetric metric = PatchMetric.parse(metricName != null ? metricName : distractor != null ? "logit-diff" : "prob", target, distractor);
        String sweep = Params.choice(ctx, "sweep", "positions", "positions", "heads");
        String point = Params.text(ctx, "point");
        if (point == null) point = sweep.equals("positions") ? HookPoint.RESID_PRE : HookPoint.ATTN_OUT;
        ctx.progress(0, "clean and corrupted runs");
        ActivationPatching ap = ActivationPatching.prepare(model, clean.ids(), corrupted, metric, RunOptions.builder().cancelled(ctx::isCancelled).build());
        ActivationPatching.Progress progress = (d, t) -> ctx.progress((double) d / t, "cell " + d + " of " + t);
        int[] layers = Params.ints(ctx, "layers");
        ActivationPatching.Grid g = sweep.equals("positions")
                ? ap.sweepPositions(point, layers, null, progress, ctx::isCancelled)
                : ap.sweepHeads(point, layers, null, progress, ctx::isCancelled);
        return result(g, clean);
    }

    /** The result a grid becomes (shared with {@code ./hymba patch}). */
    public static AnalysisResult result(ActivationPatching.Grid g, PromptTokens clean) {
        int rows = g.layers().length, cols = g.columns().length;
        float[] effect = new float[rows * cols], metric = new float[rows * cols];
        boolean flat = Double.isNaN(g.effect().length == 0 ? 0 : g.effect()[0]);
        for (int i = 0; i < effect.length; i++) {
            effect[i] = flat ? 0f : (float) g.effect()[i]; // no NaN in results: a flat metric is reported in a note
            metric[i] = (float) g.metric()[i];
        }
        List<String> rowLabels = Arrays.stream(g.layers()).mapToObj(l -> "layer " + l).toList();
        List<String> colLabels = g.columnKind().equals("position")
                ? Arrays.stream(g.columns()).mapToObj(p -> clean == null ? "#" + p : clean.label(p)).toList()
                : Arrays.stream(g.columns()).mapToObj(h -> "head " + h).toList();
        List<List<String>> table = new ArrayList<>();
        table.add(Params.row("clean", Params.fmt(g.clean())));
        table.add(Params.row("corrupted", Params.fmt(g.corrupted())));
        int best = 0;
        for (int i = 1; i < effect.length; i++) if (effect[i] > effect[best]) best = i;
        table.add(Params.row("largest effect", "layer " + g.layers()[best / cols] + ", " + g.columnKind() + " " + g.columns()[best % cols] + ": " + effect[best]));
        AnalysisResult.Builder b = AnalysisResult.builder("Activation patching at " + g.point() + " over layers x " + g.columnKind() + "s")
                .table("metric: " + g.metricName(), List.of("run", "value"), table)
                .array("effect", effect, rows, cols)
                .array("metric", metric, rows, cols)
                .figure(new AnalysisResult.Figure("Normalised indirect effect (patched - corrupted) / (clean - corrupted)",
                        AnalysisResult.Figure.Kind.HEATMAP, "effect", rowLabels, colLabels, g.columnKind(), "layer"));
        if (flat) b.note("clean and corrupted prompts give the same metric, so the normalised effect is undefined (written as 0); see the raw metric grid.");
        return b.build();
    }

    private static int[] corrupted(AnalysisContext ctx) {
        int[] ids = Params.ints(ctx, "corrupted_ids");
        String text = Params.text(ctx, "corrupted");
        if ((ids == null) == (text == null)) throw new IllegalArgumentException("give exactly one of the parameters corrupted_ids=ID,ID,... or corrupted=TEXT");
        if (ids != null) return ids;
        HymbaTokenizer tok = ctx.service(HymbaTokenizer.class)
                .orElseThrow(() -> new IllegalArgumentException("parameter corrupted=TEXT needs the model's tokenizer, which this host does not provide; use corrupted_ids"));
        return tok.encode(text).ids();
    }
}
