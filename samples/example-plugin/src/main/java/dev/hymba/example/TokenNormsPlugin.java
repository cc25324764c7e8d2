package dev.hymba.example;

import dev.hymba.core.hook.HookPoint;
import dev.hymba.core.hook.Hooks;
import dev.hymba.core.model.HymbaModel;
import dev.hymba.core.model.RunOptions;
import dev.hymba.plugins.api.*;
import dev.hymba.plugins.bundled.PromptTokens;

import java.util.ArrayList;
import java.util.List;

/**
 * Example third-party analysis: the L2 norm of the residual stream leaving every layer, per prompt token, read
 * through a hook during one forward pass. Built as its own jar against the plugin API (scope provided) and found
 * by the workbench in its plugins folder through META-INF/services.
 */
public final class TokenNormsPlugin implements AnalysisPlugin {
    public static final String ID = "token-norms";

    @Override
    public PluginInfo info() {
        return new PluginInfo(ID, "Token norms (example plugin)", "1.0", PluginApi.VERSION,
                "Residual-stream L2 norm per layer and prompt token (layers.i.resid_post), read through hooks.");
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(new ParameterSpec("point", "per-layer hook point to measure", HookPoint.RESID_POST));
    }

    @Override
    public AnalysisResult analyze(AnalysisContext ctx) {
        HymbaModel model = ctx.require(HymbaModel.class);
        PromptTokens prompt = ctx.require(PromptTokens.class);
        String suffix = ctx.parameters().getOrDefault("point", HookPoint.RESID_POST);
        if (!HookPoint.LAYER_POINTS.contains(suffix)) throw new IllegalArgumentException("parameter point=" + suffix + " is not a per-layer hook point");
        int n = model.config().numHiddenLayers(), L = prompt.length();
        float[] norms = new float[n * L];
        Hooks reader = new Hooks() {
            public boolean wants(String p) { return HookPoint.layerOf(p) >= 0 && HookPoint.suffixOf(p).equals(suffix); }

            public float[] apply(String p, float[] v, int[] shape) {
                int layer = HookPoint.layerOf(p), rows = shape[0], width = v.length / rows;
                for (int t = 0; t < L; t++) { // prompt rows are the last L (meta rows come first)
                    double s = 0;
                    for (int j = 0; j < width; j++) { double x = v[(rows - L + t) * width + j]; s += x * x; }
                    norms[layer * L + t] = (float) Math.sqrt(s);
                }
                return v;
            }
        };
        model.forward(prompt.ids(), RunOptions.builder().hooks(reader).cancelled(ctx::isCancelled).build());
        List<List<String>> rows = new ArrayList<>();
        List<String> layers = new ArrayList<>();
        for (int l = 0; l < n; l++) {
            double mean = 0, max = 0;
            for (int t = 0; t < L; t++) { mean += norms[l * L + t] / (double) L; max = Math.max(max, norms[l * L + t]); }
            rows.add(List.of(Integer.toString(l), Double.toString(mean), Double.toString(max)));
            layers.add("layer " + l);
        }
        return AnalysisResult.builder("L2 norm of layers.i." + suffix + " per token")
                .table("norm per layer", List.of("layer", "mean", "max"), rows)
                .array("token_norms", norms, n, L)
                .figure(new AnalysisResult.Figure("Residual norm", AnalysisResult.Figure.Kind.HEATMAP, "token_norms", layers, prompt.labels(), "token", "layer"))
                .build();
    }
}
