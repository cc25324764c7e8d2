package dev.hymba.sweeps;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hymba.core.ablation.AblationElement;
import dev.hymba.core.ablation.AblationElement.*;
import dev.hymba.core.ablation.AblationSpec;
import dev.hymba.core.ablation.AblationSpecException;
import dev.hymba.core.ablation.PluginIntervention;
import dev.hymba.core.ablation.MetaMode;
import dev.hymba.core.ablation.ModelShape;
import dev.hymba.core.config.FusionMode;
import dev.hymba.core.config.HymbaConfig;
import dev.hymba.plugins.host.PluginInterventions;

import java.util.*;

/**
 * One compact entry of the ablation grid; it expands to one single-intervention ablation per selected unit.
 * <pre>
 * {"family": "head",      "layers": L, "heads": U,  "replace": "zero"|"mean", "stage": "pre_norm"|"post_norm"}
 * {"family": "ssm_block", "layers": L, "blocks": U, "replace": ..., "stage": ...}
 * {"family": "branch",    "layers": L, "branches": ["attention", "ssm"]}
 * {"family": "attention", "layers": L, "mode": "global" | "local", "window": W (local only)}
 * {"family": "fusion",    "layers": L, "modes": ["stacked_attn_first", "stacked_ssm_first", "fused"]}
 * {"family": "meta",      "modes": ["dropped", "zeroed", "mean"]}
 * {"family": "kv",        "layers": L, "replace": ...}
 * {"family": "plugin",    "plugin": TYPE, "params": {...}}
 * </pre>
 * L and U are {@link Selection}s (default "all"); replace defaults to zero, stage to pre_norm, branches to both,
 * fusion modes to both stacked orders, meta modes to all three. Entries that would not change the model are skipped:
 * attention made global on a global layer (or local with the model's window on a local one), a layer's fusion set to
 * the model's own mode. kv with "all" means every K/V producer; naming a consumer layer is an error.
 * A plugin entry is one ablation: the intervention plugin of that type (as in an ablation spec's "interventions",
 * resolved among the intervention plugins on the class path) with those params, which the plugin validates when the
 * grid is expanded; its key is {@code plugin:TYPE:PARAMS} (compact JSON), its layer the integer param "layer" if any.
 */
public record GridEntry(Family family, Selection layers, Selection units, Replacement replace, Stage stage,
                        List<String> modes, int window, String path, PluginIntervention plugin) {

    public enum Family {
        HEAD, SSM_BLOCK, BRANCH, ATTENTION, FUSION, META, KV, PLUGIN;

        public String json() { return name().toLowerCase(Locale.ROOT); }

        static Family fromJson(String s, String path) {
            for (Family f : values()) if (f.json().equals(s)) return f;
            throw new SweepSpecException(path, "\"" + s + "\" is not one of "
                    + String.join(", ", Arrays.stream(values()).map(Family::json).toList()));
        }
    }

    public GridEntry {
        modes = List.copyOf(modes);
    }

    static GridEntry parse(JsonNode n, String p) {
        if (!n.isObject()) throw new SweepSpecException(p, "expected an object, got " + Json.kind(n));
        Family f = Family.fromJson(Json.text(n, "family", p), Json.path(p, "family"));
        List<String> known = switch (f) {
            case HEAD -> List.of("family", "layers", "heads", "replace", "stage");
            case SSM_BLOCK -> List.of("family", "layers", "blocks", "replace", "stage");
            case BRANCH -> List.of("family", "layers", "branches");
            case ATTENTION -> List.of("family", "layers", "mode", "window");
            case FUSION -> List.of("family", "layers", "modes");
            case META -> List.of("family", "modes");
            case KV -> List.of("family", "layers", "replace");
            case PLUGIN -> List.of("family", "plugin", "params");
        };
        Json.noUnknown(n, p, known);
        if (f == Family.PLUGIN) return new GridEntry(f, Selection.ALL, Selection.ALL, Replacement.ZERO, Stage.PRE_NORM, List.of(), 0, p, parsePlugin(n, p));
        Selection layers = n.has("layers") ? Selection.parse(n.get("layers"), Json.path(p, "layers")) : Selection.ALL;
        String unitField = f == Family.HEAD ? "heads" : "blocks";
        Selection units = n.has(unitField) ? Selection.parse(n.get(unitField), Json.path(p, unitField)) : Selection.ALL;
        Replacement replace = n.has("replace") ? enumOf(Replacement.class, Json.text(n, "replace", p), Json.path(p, "replace")) : Replacement.ZERO;
        Stage stage = n.has("stage") ? enumOf(Stage.class, Json.text(n, "stage", p), Json.path(p, "stage")) : Stage.PRE_NORM;
        List<String> modes = switch (f) {
            case BRANCH -> strings(n, "branches", p, List.of("attention", "ssm"), List.of("attention", "ssm"));
            case FUSION -> strings(n, "modes", p, List.of("stacked_attn_first", "stacked_ssm_first"),
                    Arrays.stream(FusionMode.values()).map(FusionMode::jsonName).toList());
            case META -> strings(n, "modes", p, List.of("dropped", "zeroed", "mean"), List.of("dropped", "zeroed", "mean"));
            case ATTENTION -> {
                String m = Json.text(n, "mode", p);
                if (!m.equals("global") && !m.equals("local"))
                    throw new SweepSpecException(Json.path(p, "mode"), "\"" + m + "\" is not one of global, local");
                yield List.of(m);
            }
            default -> List.of();
        };
        int window = 0;
        if (f == Family.ATTENTION) {
            boolean local = modes.getFirst().equals("local");
            if (local && !n.has("window")) throw new SweepSpecException(Json.path(p, "window"), "is required with mode \"local\"");
            if (!local && n.has("window")) throw new SweepSpecException(Json.path(p, "window"), "not allowed with mode \"global\"");
            if (local) window = Json.integer(n, "window", p, 0, 1);
        }
        return new GridEntry(f, layers, units, replace, stage, modes, window, p, null);
    }

    /** The entry's intervention, read as an ablation spec reads an "interventions" element (same errors, grid paths). */
    private static PluginIntervention parsePlugin(JsonNode n, String p) {
        String type = Json.text(n, "plugin", p);
        if (type.isBlank()) throw new SweepSpecException(Json.path(p, "plugin"), "must name an intervention type");
        JsonNode params = n.get("params");
        if (params == null) throw new SweepSpecException(Json.path(p, "params"), "is required (use {} for none)");
        if (!params.isObject()) throw new SweepSpecException(Json.path(p, "params"), "expected an object, got " + Json.kind(params) + " " + params);
        return new PluginIntervention(type, params.toString());
    }

    private static List<String> strings(JsonNode n, String field, String p, List<String> dflt, List<String> allowed) {
        JsonNode v = n.get(field);
        if (v == null) return dflt;
        String path = Json.path(p, field);
        if (!v.isArray() || v.isEmpty()) throw new SweepSpecException(path, "expected a non-empty list of strings, got " + v);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            String ep = path + "[" + i + "]";
            if (!e.isTextual()) throw new SweepSpecException(ep, "expected a string, got " + Json.kind(e) + " " + e);
            if (!allowed.contains(e.textValue())) throw new SweepSpecException(ep, "\"" + e.textValue() + "\" is not one of " + String.join(", ", allowed));
            if (out.contains(e.textValue())) throw new SweepSpecException(ep, "\"" + e.textValue() + "\" is listed twice");
            out.add(e.textValue());
        }
        return out;
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, String s, String path) {
        for (E e : type.getEnumConstants()) if (e.name().toLowerCase(Locale.ROOT).equals(s)) return e;
        throw new SweepSpecException(path, "\"" + s + "\" is not one of "
                + String.join(", ", Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList()));
    }

    private static String lower(Enum<?> e) { return e.name().toLowerCase(Locale.ROOT); }

    /** The ablations of this entry on a model, in layer, then unit, then mode order. */
    public List<Ablation> expand(HymbaConfig c) { return expand(c, PluginInterventions.classPath()); }

    /** As {@link #expand(HymbaConfig)}, with plugin entries resolved and validated among {@code plugins}. */
    public List<Ablation> expand(HymbaConfig c, PluginInterventions plugins) {
        ModelShape shape = ModelShape.of(c);
        String lp = Json.path(path, "layers");
        List<Ablation> out = new ArrayList<>();
        switch (family) {
            case HEAD, SSM_BLOCK -> {
                String up = Json.path(path, family == Family.HEAD ? "heads" : "blocks");
                List<Integer> us = units.resolve(shape.heads(), up);
                for (int l : layers.resolve(shape.layers(), lp)) for (int u : us) {
                    AblationElement e = family == Family.HEAD ? new HeadOff(l, u, replace, stage) : new SsmBlockOff(l, u, replace, stage);
                    out.add(new Ablation(family.json() + ":" + l + ":" + u + ":" + lower(replace) + ":" + lower(stage), family, l, u, AblationSpec.of(e)));
                }
            }
            case BRANCH -> {
                for (int l : layers.resolve(shape.layers(), lp)) for (String b : modes)
                    out.add(new Ablation("branch:" + l + ":" + b, family, l, -1,
                            AblationSpec.of(new BranchOff(l, b.equals("attention") ? Branch.ATTENTION : Branch.SSM))));
            }
            case ATTENTION -> {
                boolean global = modes.getFirst().equals("global");
                for (int l : layers.resolve(shape.layers(), lp)) {
                    boolean noop = global ? c.isGlobal(l) : !c.isGlobal(l) && window == c.slidingWindow();
                    if (noop) continue;
                    out.add(new Ablation("attention:" + l + ":" + (global ? "global" : "local" + window), family, l, -1,
                            AblationSpec.of(global ? AttentionChange.global(l) : AttentionChange.local(l, window))));
                }
            }
            case FUSION -> {
                for (int l : layers.resolve(shape.layers(), lp)) for (String m : modes) {
                    FusionMode fm = FusionMode.fromJson(m);
                    if (fm == c.fusionMode()) continue;
                    out.add(new Ablation("fusion:" + l + ":" + m, family, l, -1, AblationSpec.of(new FusionChange(l, fm))));
                }
            }
            case META -> {
                for (String m : modes)
                    out.add(new Ablation("meta:" + m, family, -1, -1, AblationSpec.EMPTY.withMeta(MetaMode.valueOf(m.toUpperCase(Locale.ROOT)))));
            }
            case KV -> {
                List<Integer> ls = layers.all()
                        ? layers.resolve(shape.layers(), lp).stream().filter(shape::isKvProducer).toList()
                        : layers.resolve(shape.layers(), lp);
                for (int l : ls) {
                    if (!shape.isKvProducer(l))
                        throw new SweepSpecException(lp, "layer " + l + " reuses the K/V of layer " + c.kvProducerOf(l) + "; name the producer");
                    out.add(new Ablation("kv:" + l + ":" + lower(replace), family, l, -1, AblationSpec.of(new KvAblation(l, replace))));
                }
            }
            case PLUGIN -> {
                try {
                    plugins.validate(plugin, path, c);
                } catch (AblationSpecException e) {
                    String msg = e.getMessage();
                    throw new SweepSpecException(e.path(), e.path().isEmpty() ? msg : msg.substring(e.path().length() + 2));
                }
                Object l = plugin.params().get("layer");
                int layer = l instanceof Integer i ? i : -1;
                out.add(new Ablation("plugin:" + plugin.type() + ":" + plugin.paramsJson(), family, layer, -1, AblationSpec.EMPTY.withPlugin(plugin)));
            }
        }
        for (Ablation a : out) a.spec().validate(shape);
        return out;
    }
}
