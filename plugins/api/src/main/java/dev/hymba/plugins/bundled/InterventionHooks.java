package dev.hymba.plugins.bundled;

import dev.hymba.core.config.HymbaConfig;
import dev.hymba.core.hook.Hooks;
import dev.hymba.plugins.api.HookEdit;
import dev.hymba.plugins.api.InterventionPlugin;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** Turns an intervention plugin's {@link HookEdit}s into engine {@link Hooks} (applied in list order). */
public final class InterventionHooks implements Hooks {
    private final List<Compiled> edits;
    private final Map<String, Boolean> wanted = new ConcurrentHashMap<>();

    private record Compiled(Pattern pattern, HookEdit.Editor editor) {}

    private InterventionHooks(List<HookEdit> edits) {
        this.edits = edits.stream().map(e -> new Compiled(Pattern.compile(e.hookPointPattern()), e.editor())).toList();
    }

    public static Hooks of(List<HookEdit> edits) { return edits.isEmpty() ? Hooks.NONE : new InterventionHooks(List.copyOf(edits)); }

    /** The sizes interventions validate against, from a model config. */
    public static InterventionPlugin.ModelDims dims(HymbaConfig c) {
        return new InterventionPlugin.ModelDims(c.numHiddenLayers(), c.hiddenSize(), c.numAttentionHeads(), c.numKeyValueHeads(),
                c.innerSize(), c.numMemoryTokens(), c.vocabSize());
    }

    /** Validates then compiles one intervention into hooks. */
    public static Hooks compile(InterventionPlugin plugin, Map<String, Object> params, HymbaConfig c) {
        InterventionPlugin.ModelDims dims = dims(c);
        plugin.validate(params, dims);
        return of(plugin.compile(params, dims));
    }

    @Override
    public boolean wants(String point) {
        return wanted.computeIfAbsent(point, p -> edits.stream().anyMatch(e -> e.pattern().matcher(p).matches()));
    }

    @Override
    public float[] apply(String point, float[] value, int[] shape) {
        float[] v = value;
        for (Compiled e : edits) {
            if (!e.pattern().matcher(point).matches()) continue;
            float[] r = e.editor().edit(point, v.clone(), shape.clone());
            if (r == null || r.length != v.length)
                throw new IllegalStateException("intervention edit at " + point + " returned " + (r == null ? "null" : r.length + " values") + " for " + v.length);
            v = r;
        }
        return v;
    }
}
