package dev.hymba.plugins.bundled;

import dev.hymba.core.analysis.Fusion;
import dev.hymba.core.config.FusionMode;
import dev.hymba.core.config.HymbaConfig;
import dev.hymba.core.hook.HookPoint;
import dev.hymba.core.model.HymbaModel;
import dev.hymba.core.model.LayerWeights;
import dev.hymba.core.model.RunOptions;
import dev.hymba.plugins.api.*;

import java.util.*;

/**
 * Direct logit attribution (analyses.md d.8) at one position: the residual stream entering the final norm is the
 * embedding row plus, per layer, the attention term W_o·½(β₁⊙a/r_a), the SSM term W_o·½(β₂⊙m/r_m) and the MLP
 * output; with the final norm's r frozen, the target logit is the sum of each term's readout
 * (γ⊙term/r_final)·U[target]. Head h's share is the same readout of its channel block (r_a kept), so heads sum to
 * their branch and all terms sum to the logit up to fp32 rounding (reported as a check).
 */
public final class BranchAttributionPlugin implements AnalysisPlugin {
    public static final String ID = "branch-attribution";

    /** Attribution of one position (all in logit units). */
    public record Attribution(int position, int target, double logit, double embed, double[] attention, double[] ssm,
                              double[] mlp, double[][] heads, double[][] ssmBlocks, float[][] attnTerms, float[][] ssmTerms,
                              float[][] mixerOut) {
        public double total() {
            double s = embed;
            for (int l = 0; l < attention.length; l++) s += attention[l] + ssm[l] + mlp[l];
            return s;
        }
    }

    @Override
    public PluginInfo info() {
        return new PluginInfo(ID, "Branch attribution", "1.0", PluginApi.VERSION,
                "Direct logit attribution of each layer's attention and SSM terms, per head and per SSM channel block.");
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(new ParameterSpec("target", "token id to attribute (default: the model's top token at the position)", ""),
                new ParameterSpec("position", "prompt position; negative counts from the end", "-1"));
    }

    /** Computes the attribution; every term is produced by the engine's own out_proj and lm_head kernels. */
    public static Attribution attribute(HymbaModel model, int[] ids, int position, Integer targetOrNull, RunOptions base) {
        HymbaConfig c = model.config();
        if (c.fusionMode() != FusionMode.FUSED) throw new IllegalArgumentException("branch attribution needs fused layers; this model runs " + c.fusionMode());
        int n = c.numHiddenLayers(), d = c.hiddenSize(), I = c.innerSize(), H = c.numAttentionHeads(), L = ids.length, V = c.vocabSize();
        if (position < 0 || position >= L) throw new IllegalArgumentException("position " + position + " is outside the prompt 0.." + (L - 1));
        Set<String> points = new LinkedHashSet<>();
        points.add(HookPoint.layer(0, HookPoint.RESID_PRE));
        points.add(HookPoint.layer(n - 1, HookPoint.RESID_POST));
        for (int l = 0; l < n; l++)
            for (String s : List.of(HookPoint.ATTN_OUT, HookPoint.SSM_OUT, HookPoint.MIXER_OUT, HookPoint.MLP_OUT)) points.add(HookPoint.layer(l, s));
        Activations act = Activations.record(model, ids, base, points);
        int target = targetOrNull == null ? act.result().argmax(position) : targetOrNull;
        if (target < 0 || target >= V) throw new IllegalArgumentException("target " + target + " is outside the vocabulary 0.." + (V - 1));
        int row = act.shapes().get(HookPoint.layer(0, HookPoint.RESID_PRE))[0] - L + position;

        // Component rows [K, d]: embed, then per layer attn, ssm, mlp, H heads, H SSM blocks.
        int perLayer = 3 + 2 * H, K = 1 + n * perLayer;
        float[] comp = new float[K * d];
        System.arraycopy(act.row(HookPoint.layer(0, HookPoint.RESID_PRE), row), 0, comp, 0, d);
        float[][] attnTerms = new float[n][], ssmTerms = new float[n][], mixer = new float[n][];
        int block = I / H;
        for (int l = 0; l < n; l++) {
            LayerWeights lw = model.weights().layers().get(l);
            float[] a = act.row(HookPoint.layer(l, HookPoint.ATTN_OUT), row), m = act.row(HookPoint.layer(l, HookPoint.SSM_OUT), row);
            double ra = Fusion.rms(a, 1, I, c.rmsNormEps())[0], rm = Fusion.rms(m, 1, I, c.rmsNormEps())[0];
            // Rows: the full attention stream, the full SSM stream, then one row per head / channel block.
            float[] streams = new float[(2 + 2 * H) * I];
            for (int ch = 0; ch < I; ch++) {
                float sa = (float) (0.5 * lw.beta1()[ch] * a[ch] / ra), sm = (float) (0.5 * lw.beta2()[ch] * m[ch] / rm);
                streams[ch] = sa;
                streams[I + ch] = sm;
                int h = ch / block;
                streams[(2 + h) * I + ch] = sa;
                streams[(2 + H + h) * I + ch] = sm;
            }
            float[] terms = lw.outProj().apply(streams, 2 + 2 * H);
            attnTerms[l] = Arrays.copyOfRange(terms, 0, d);
            ssmTerms[l] = Arrays.copyOfRange(terms, d, 2 * d);
            mixer[l] = act.row(HookPoint.layer(l, HookPoint.MIXER_OUT), row);
            int base0 = 1 + l * perLayer;
            System.arraycopy(terms, 0, comp, base0 * d, 2 * d);
            System.arraycopy(act.row(HookPoint.layer(l, HookPoint.MLP_OUT), row), 0, comp, (base0 + 2) * d, d);
            System.arraycopy(terms, 2 * d, comp, (base0 + 3) * d, 2 * H * d);
        }
        // Readout through the frozen final norm: lm_head(γ ⊙ term / r_final)[target].
        float[] fin = act.row(HookPoint.layer(n - 1, HookPoint.RESID_POST), row);
        double rf = Fusion.rms(fin, 1, d, c.rmsNormEps())[0];
        float[] gamma = model.weights().finalNorm();
        for (int k = 0; k < K; k++) for (int j = 0; j < d; j++) comp[k * d + j] = (float) (gamma[j] * comp[k * d + j] / rf);
        float[] logits = model.weights().lmHead().apply(comp, K);
        double[] attn = new double[n], ssm = new double[n], mlp = new double[n];
        double[][] heads = new double[n][H], blocks = new double[n][H];
        for (int l = 0; l < n; l++) {
            int b = 1 + l * perLayer;
            attn[l] = logits[b * V + target];
            ssm[l] = logits[(b + 1) * V + target];
            mlp[l] = logits[(b + 2) * V + target];
            for (int h = 0; h < H; h++) {
                heads[l][h] = logits[(b + 3 + h) * V + target];
                blocks[l][h] = logits[(b + 3 + H + h) * V + target];
            }
        }
        return new Attribution(position, target, act.result().logit(position, target), logits[target], attn, ssm, mlp, heads, blocks,
                attnTerms, ssmTerms, mixer);
    }

    @Override
    public AnalysisResult analyze(AnalysisContext ctx) {
        HymbaModel model = ctx.require(HymbaModel.class);
        PromptTokens prompt = ctx.require(PromptTokens.class);
        int pos = Params.position(ctx, "position", prompt.length());
        ctx.progress(0, "running the model");
        Attribution a = attribute(model, prompt.ids(), pos, Params.optInt(ctx, "target"), RunOptions.builder().cancelled(ctx::isCancelled).build());
        int n = a.attention().length, H = a.heads()[0].length;
        List<List<String>> rows = new ArrayList<>();
        rows.add(Params.row("embed", "", "", "", Params.fmt(a.embed())));
        float[] branch = new float[n * 2], heads = new float[n * H], blocks = new float[n * H];
        for (int l = 0; l < n; l++) {
            branch[2 * l] = (float) a.attention()[l];
            branch[2 * l + 1] = (float) a.ssm()[l];
            for (int h = 0; h < H; h++) {
                heads[l * H + h] = (float) a.heads()[l][h];
                blocks[l * H + h] = (float) a.ssmBlocks()[l][h];
            }
            rows.add(Params.row("layer " + l, Params.fmt(a.attention()[l]), Params.fmt(a.ssm()[l]), Params.fmt(a.mlp()[l]),
                    Params.fmt(a.attention()[l] + a.ssm()[l] + a.mlp()[l])));
        }
        rows.add(Params.row("sum of terms", "", "", "", Params.fmt(a.total())));
        rows.add(Params.row("model logit", "", "", "", Params.fmt(a.logit())));
        List<String> layers = new ArrayList<>(), headLabels = new ArrayList<>();
        for (int l = 0; l < n; l++) layers.add("layer " + l);
        for (int h = 0; h < H; h++) headLabels.add("head " + h);
        double mlpSum = Arrays.stream(a.mlp()).sum();
        return AnalysisResult.builder("Direct logit attribution of token " + a.target() + " at position " + pos + " (" + prompt.label(pos) + ")")
                .table("per layer", List.of("component", "attention", "ssm", "mlp", "total"), rows)
                .array("branch_dla", branch, n, 2)
                .array("head_dla", heads, n, H)
                .array("ssm_block_dla", blocks, n, H)
                .figure(new AnalysisResult.Figure("Attention vs SSM term", AnalysisResult.Figure.Kind.HEATMAP, "branch_dla", layers, List.of("attention", "ssm"), "branch", "layer"))
                .figure(new AnalysisResult.Figure("Attention heads", AnalysisResult.Figure.Kind.HEATMAP, "head_dla", layers, headLabels, "head", "layer"))
                .figure(new AnalysisResult.Figure("SSM channel blocks", AnalysisResult.Figure.Kind.HEATMAP, "ssm_block_dla", layers, headLabels, "block", "layer"))
                .note("MLP terms total " + Params.fmt(mlpSum) + "; sum of all terms minus the logit = " + Params.fmt(a.total() - a.logit())
                        + " (fp32 rounding; the final norm's r is frozen at its observed value).")
                .build();
    }
}
