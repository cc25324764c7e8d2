package dev.hymba.core.intervention;

import dev.hymba.core.ablation.AblationElement;
import dev.hymba.core.ablation.AblationSpec;
import dev.hymba.core.ablation.AblationSpecException;
import dev.hymba.core.ablation.PluginIntervention;
import dev.hymba.core.ablation.ModelShape;
import dev.hymba.core.config.HymbaConfig;
import dev.hymba.core.hook.HookPoint;
import dev.hymba.core.hook.Hooks;
import dev.hymba.core.model.AttentionOverride;
import dev.hymba.core.model.MetaMode;
import dev.hymba.core.model.RunOptions;

import java.util.*;

/**
 * Turns an {@link AblationSpec} into what the engine runs: structural changes become {@link RunOptions} (masks,
 * fusion mode, branches, meta mode) and activation edits become hooks (heads and SSM blocks zeroed or mean-replaced
 * before or after the pre-average norm, producer K/V ablated so that consumers inherit it).
 */
public final class AblationCompiler {
    private AblationCompiler() {}

    /**
     * @param options               what to pass to the engine (chain further hooks after these)
     * @param attentionEditedLayers layers whose attention stream (attn.out) the spec edits: their trust check is
     *                              reported as skipped, not failed
     */
    public record Compiled(RunOptions options, Set<Integer> attentionEditedLayers, AblationSpec spec) {}

    /**
     * Turns a spec's plugin interventions ({@link AblationSpec#plugins()}) into hooks. Core cannot see plugins; the
     * plugin host implements this. Errors are {@link AblationSpecException}s whose path is {@code path} (e.g.
     * {@code interventions[0]}) or below it.
     */
    @FunctionalInterface
    public interface PluginCompiler {
        /** Validates one entry against the model and compiles it; never returns null (Hooks.NONE for no edit). */
        Hooks compile(PluginIntervention intervention, String path, HymbaConfig config);
    }

    /** Refuses every plugin intervention: for callers that cannot see the plugins. */
    public static final PluginCompiler NO_PLUGINS = (p, path, c) -> {
        throw new AblationSpecException(path + ".plugin", "\"" + p.type() + "\" is a plugin intervention, and plugins are not loaded here"
                + " (run it from a command that loads plugins, e.g. ./hymba trace --ablation, or a sweep)");
    };

    public static Compiled compile(AblationSpec spec, HymbaConfig c) { return compile(spec, c, RunOptions.builder()); }

    /** Validates the spec against the model, then compiles it onto {@code base} (progress, cancellation, hooks kept). */
    public static Compiled compile(AblationSpec spec, HymbaConfig c, RunOptions.Builder base) {
        return compile(spec, c, base, NO_PLUGINS);
    }

    /**
     * Like {@link #compile(AblationSpec, HymbaConfig, RunOptions.Builder)}, with the spec's plugin interventions
     * compiled by {@code plugins}. Hook order: the built-in activation edits, then each plugin intervention in spec
     * order, then the hooks already on {@code base}.
     */
    public static Compiled compile(AblationSpec spec, HymbaConfig c, RunOptions.Builder base, PluginCompiler plugins) {
        Objects.requireNonNull(plugins, "plugins");
        spec.validate(ModelShape.of(c));
        List<Hooks> pluginHooks = new ArrayList<>();
        for (int i = 0; i < spec.plugins().size(); i++) {
            Hooks h = plugins.compile(spec.plugins().get(i), AblationSpec.INTERVENTIONS + "[" + i + "]", c);
            pluginHooks.add(Objects.requireNonNull(h, "plugin hooks"));
        }
        RunOptions.Builder b = base;
        Map<String, List<ColumnEdit>> edits = new LinkedHashMap<>();
        Set<Integer> attnEdited = new TreeSet<>();
        int I = c.innerSize(), block = I / c.numAttentionHeads();
        for (AblationElement e : spec.canonicalElements()) {
            switch (e) {
                case AblationElement.AttentionChange a -> b.attention(a.layer(), a.mode() == AblationElement.AttentionMode.GLOBAL
                        ? AttentionOverride.global() : AttentionOverride.local(a.window()));
                case AblationElement.FusionChange f -> b.fusion(f.layer(), f.mode());
                case AblationElement.BranchOff off -> {
                    if (off.branch() == AblationElement.Branch.ATTENTION) b.attentionOff(off.layer());
                    else b.ssmOff(off.layer());
                }
                case AblationElement.HeadOff h -> {
                    String point = h.stage() == AblationElement.Stage.PRE_NORM ? HookPoint.ATTN_OUT : HookPoint.FUSION_ATTN_NORM;
                    if (h.stage() == AblationElement.Stage.PRE_NORM) attnEdited.add(h.layer());
                    edits.computeIfAbsent(HookPoint.layer(h.layer(), point), k -> new ArrayList<>())
                            .add(new ColumnEdit(h.head() * block, block, h.replace()));
                }
                case AblationElement.SsmBlockOff s -> {
                    String point = s.stage() == AblationElement.Stage.PRE_NORM ? HookPoint.SSM_OUT : HookPoint.FUSION_SSM_NORM;
                    edits.computeIfAbsent(HookPoint.layer(s.layer(), point), k -> new ArrayList<>())
                            .add(new ColumnEdit(s.block() * block, block, s.replace()));
                }
                case AblationElement.KvAblation kv -> {
                    int kw = c.numKeyValueHeads() * c.headDim(), vw = c.numKeyValueHeads() * c.valueHeadDim();
                    edits.computeIfAbsent(HookPoint.layer(kv.layer(), HookPoint.ATTN_K), k -> new ArrayList<>()).add(new ColumnEdit(0, kw, kv.replace()));
                    edits.computeIfAbsent(HookPoint.layer(kv.layer(), HookPoint.ATTN_V), k -> new ArrayList<>()).add(new ColumnEdit(0, vw, kv.replace()));
                }
            }
        }
        b.metaMode(MetaMode.valueOf(spec.meta().name()));
        RunOptions built = b.build();
        Hooks edit = edits.isEmpty() ? Hooks.NONE : new ColumnEditHooks(Map.copyOf(edits));
        for (Hooks h : pluginHooks) {
            edit = Hooks.chain(edit, h);
            // a plugin that edits a layer's attention stream makes that layer's trust check meaningless too
            for (int l = 0; l < c.numHiddenLayers(); l++) if (h.wants(HookPoint.layer(l, HookPoint.ATTN_OUT))) attnEdited.add(l);
        }
        // The spec's edits run first so that every later observer (traces, exports) sees the ablated values.
        RunOptions withHooks = built.toBuilder().hooks(Hooks.chain(edit, built.hooks())).build();
        return new Compiled(withHooks, Set.copyOf(attnEdited), spec);
    }

    /** Columns [from, from+count) of a [rows, width] value replaced by zero or by their mean over the rows. */
    record ColumnEdit(int from, int count, AblationElement.Replacement replace) {
        void apply(float[] v, int rows, int width) {
            for (int col = from; col < from + count; col++) {
                float fill = 0f;
                if (replace == AblationElement.Replacement.MEAN) {
                    double s = 0;
                    for (int r = 0; r < rows; r++) s += v[r * width + col];
                    fill = (float) (s / rows);
                }
                for (int r = 0; r < rows; r++) v[r * width + col] = fill;
            }
        }
    }

    private record ColumnEditHooks(Map<String, List<ColumnEdit>> edits) implements Hooks {
        public boolean wants(String point) { return edits.containsKey(point); }

        public float[] apply(String point, float[] value, int[] shape) {
            float[] out = value.clone();
            int rows = shape[0], width = value.length / rows;
            for (ColumnEdit e : edits.get(point)) e.apply(out, rows, width);
            return out;
        }
    }
}
