package dev.hymba.plugins.bundled;

import dev.hymba.core.hook.HookPoint;
import dev.hymba.plugins.api.*;

import java.util.List;
import java.util.Map;

/**
 * Scales one branch of one layer by a factor after the pre-average norm (on β⊙x/r, the stream that enters the
 * fusion): factor 0 switches the branch off exactly as the engine's branch-off ablation does, 1 changes nothing.
 * Params: {@code layer} (int), {@code branch} ("attention" | "ssm"), {@code factor} (finite number).
 */
public final class ScaleBranchIntervention implements InterventionPlugin {
    public static final String ID = "scale-branch";

    @Override
    public PluginInfo info() {
        return new PluginInfo(ID, "Scale a branch", "1.0", PluginApi.VERSION,
                "Multiply a layer's normalised attention or SSM stream by a factor (0 = branch off).");
    }

    @Override
    public String validate(Map<String, Object> params, ModelDims dims) {
        int layer = layer(params, dims);
        String branch = branch(params);
        double f = factor(params);
        return "layer " + layer + ": " + branch + " branch scaled by " + f;
    }

    @Override
    public List<HookEdit> compile(Map<String, Object> params, ModelDims dims) {
        int layer = layer(params, dims);
        String suffix = branch(params).equals("attention") ? HookPoint.FUSION_ATTN_NORM : HookPoint.FUSION_SSM_NORM;
        float f = (float) factor(params);
        return List.of(new HookEdit(java.util.regex.Pattern.quote(HookPoint.layer(layer, suffix)), (point, v, shape) -> {
            for (int i = 0; i < v.length; i++) v[i] *= f;
            return v;
        }));
    }

    private static int layer(Map<String, Object> p, ModelDims dims) {
        Object v = p.get("layer");
        if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()))
            throw new IllegalArgumentException("params.layer: expected an integer, got " + v);
        int l = n.intValue();
        if (l < 0 || l >= dims.layers()) throw new IllegalArgumentException("params.layer: " + l + " is outside 0.." + (dims.layers() - 1));
        return l;
    }

    private static String branch(Map<String, Object> p) {
        Object v = p.get("branch");
        if (!"attention".equals(v) && !"ssm".equals(v)) throw new IllegalArgumentException("params.branch: expected \"attention\" or \"ssm\", got " + v);
        return (String) v;
    }

    private static double factor(Map<String, Object> p) {
        Object v = p.get("factor");
        if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue()))
            throw new IllegalArgumentException("params.factor: expected a finite number, got " + v);
        return n.doubleValue();
    }
}
