package dev.hymba.plugins.bundled;

import dev.hymba.core.ablation.AblationElement;
import dev.hymba.core.ablation.AblationSpec;
import dev.hymba.core.analysis.RunComparison;
import dev.hymba.core.config.HymbaConfig;
import dev.hymba.core.intervention.AblationCompiler;
import dev.hymba.core.model.ForwardResult;
import dev.hymba.core.model.HymbaModel;
import dev.hymba.core.model.RunOptions;
import dev.hymba.plugins.api.*;

import java.util.*;

/**
 * Head-removal study: each attention head and each SSM channel block (the I/H channels aligned with head h) is
 * ablated in turn through the engine's {@link AblationSpec}, and the change of the next-token loss (mean NLL over
 * every predicted token of the prompt set, pooled) is reported as two layer × head grids. Positive = the model
 * needs that head.
 */
public final class HeadImportancePlugin implements AnalysisPlugin {
    public static final String ID = "head-importance";

    /** Loss of the unablated model and Δloss per [layer][head] for both kinds. */
    public record Scan(double baseline, double[][] attention, double[][] ssm, int tokens) {}

    @Override
    public PluginInfo info() {
        return new PluginInfo(ID, "Head-importance scan", "1.0", PluginApi.VERSION,
                "Ablate each attention head and each SSM channel block in turn; loss change on the prompt(s) as layer x head grids.");
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(new ParameterSpec("replace", "zero | mean (mean over the prompt)", "zero"),
                new ParameterSpec("stage", "pre_norm (before the pre-average norm; the rest is renormalised) | post_norm (r kept)", "pre_norm"));
    }

    /** Mean next-token NLL over all prompts (every predicted token weighs the same). */
    public static double loss(HymbaModel model, List<int[]> prompts, RunOptions o) {
        double sum = 0;
        int count = 0;
        for (int[] ids : prompts) {
            ForwardResult r = model.forward(ids, o);
            for (double v : RunComparison.nextTokenNll(r.logits(), r.rows(), r.vocab(), ids)) { sum += v; count++; }
        }
        return sum / count;
    }

    public static Scan scan(HymbaModel model, List<int[]> prompts, AblationElement.Replacement replace, AblationElement.Stage stage,
                            AnalysisContext ctx) {
        HymbaConfig c = model.config();
        int n = c.numHiddenLayers(), H = c.numAttentionHeads();
        RunOptions.Builder base = RunOptions.builder();
        if (ctx != null) base.cancelled(ctx::isCancelled);
        double baseline = loss(model, prompts, base.build());
        double[][] attn = new double[n][H], ssm = new double[n][H];
        int done = 0, total = 2 * n * H;
        for (int l = 0; l < n; l++) {
            for (int h = 0; h < H; h++) {
                for (int kind = 0; kind < 2; kind++) {
                    if (ctx != null) ctx.checkCancelled();
                    AblationElement e = kind == 0 ? new AblationElement.HeadOff(l, h, replace, stage) : new AblationElement.SsmBlockOff(l, h, replace, stage);
                    RunOptions o = AblationCompiler.compile(AblationSpec.of(e), c, base.build().toBuilder()).options();
                    (kind == 0 ? attn : ssm)[l][h] = loss(model, prompts, o) - baseline;
                    if (ctx != null) ctx.progress((double) ++done / total, e.describe());
                }
            }
        }
        int tokens = prompts.stream().mapToInt(p -> p.length - 1).sum();
        return new Scan(baseline, attn, ssm, tokens);
    }

    @Override
    public AnalysisResult analyze(AnalysisContext ctx) {
        HymbaModel model = ctx.require(HymbaModel.class);
        List<int[]> prompts = ctx.service(PromptSet.class).map(PromptSet::prompts)
                .orElseGet(() -> List.of(ctx.require(PromptTokens.class).ids()));
        for (int[] p : prompts) if (p.length < 2) throw new IllegalArgumentException("a prompt of " + p.length + " token(s) has no next-token loss; give at least 2 tokens");
        var replace = AblationElement.Replacement.valueOf(Params.choice(ctx, "replace", "zero", "zero", "mean").toUpperCase(Locale.ROOT));
        var stage = AblationElement.Stage.valueOf(Params.choice(ctx, "stage", "pre_norm", "pre_norm", "post_norm").toUpperCase(Locale.ROOT));
        Scan s = scan(model, prompts, replace, stage, ctx);
        int n = s.attention().length, H = s.attention()[0].length;
        float[] a = new float[n * H], m = new float[n * H];
        List<List<String>> rows = new ArrayList<>();
        for (int l = 0; l < n; l++)
            for (int h = 0; h < H; h++) {
                a[l * H + h] = (float) s.attention()[l][h];
                m[l * H + h] = (float) s.ssm()[l][h];
                rows.add(Params.row(l, h, Params.fmt(s.attention()[l][h]), Params.fmt(s.ssm()[l][h])));
            }
        List<String> layers = new ArrayList<>(), heads = new ArrayList<>();
        for (int l = 0; l < n; l++) layers.add("layer " + l);
        for (int h = 0; h < H; h++) heads.add("head " + h);
        return AnalysisResult.builder("Head importance: loss change when one head / SSM block is " + replace.name().toLowerCase(Locale.ROOT)
                        + "-ablated (" + stage.name().toLowerCase(Locale.ROOT) + ")")
                .table("loss change", List.of("layer", "head", "attention head", "ssm block"), rows)
                .array("attention_delta_loss", a, n, H)
                .array("ssm_delta_loss", m, n, H)
                .figure(new AnalysisResult.Figure("Attention heads: Δ loss", AnalysisResult.Figure.Kind.HEATMAP, "attention_delta_loss", layers, heads, "head", "layer"))
                .figure(new AnalysisResult.Figure("SSM channel blocks: Δ loss", AnalysisResult.Figure.Kind.HEATMAP, "ssm_delta_loss", layers, heads, "block", "layer"))
                .note("baseline loss " + Params.fmt(s.baseline()) + " nats over " + s.tokens() + " predicted tokens in " + prompts.size() + " prompt(s); ablated runs are out of distribution.")
                .build();
    }
}
