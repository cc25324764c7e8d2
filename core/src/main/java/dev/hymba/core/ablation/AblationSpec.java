package dev.hymba.core.ablation;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hymba.core.ablation.AblationElement.*;
import dev.hymba.core.config.FusionMode;

import java.util.*;

/**
 * An immutable set of inference-time interventions (issue 3 "Ablations", analyses.md d.8/d.11). Composable:
 * {@link #with} adds or replaces one element (same layer/head/block/branch = same slot), {@link #merge} overlays
 * another spec. Every non-empty spec is out of distribution for the trained model and says so.
 *
 * <h2>JSON schema (version 1)</h2>
 * <pre>
 * {
 *   "version": 1,                                                   required
 *   "meta": "as_trained" | "dropped" | "zeroed" | "mean",            optional, default "as_trained"
 *   "attention":  [ {"layer": L, "mode": "global"} | {"layer": L, "mode": "local", "window": W &gt; 0} ],
 *   "fusion":     [ {"layer": L, "mode": "fused" | "stacked_attn_first" | "stacked_ssm_first"} ],
 *   "branches":   [ {"layer": L, "branch": "attention" | "ssm"} ],
 *   "heads":      [ {"layer": L, "head": h, "replace": "zero" | "mean", "stage": "pre_norm" | "post_norm"} ],
 *   "ssm_blocks": [ {"layer": L, "block": b, "replace": "zero" | "mean", "stage": "pre_norm" | "post_norm"} ],
 *   "kv":         [ {"layer": P, "replace": "zero" | "mean"} ],         P must be a K/V producer
 *   "interventions": [ {"plugin": TYPE, "params": { ... }} ]          plugin interventions, applied in this order
 * }
 * </pre>
 * An {@code "interventions"} entry is opaque to core ({@link PluginIntervention}): it is kept and written back exactly,
 * and a host that can see the plugins validates its params and applies it (core alone refuses to run it).
 * All arrays are optional; all listed fields of an entry are required; unknown fields, duplicate keys, duplicate
 * slots (two entries for the same layer/head/…) and trailing content are rejected. {@code "mean"} means the mean over
 * the prompt's positions. An SSM block b is channels b·I/H … (b+1)·I/H − 1, the channel span of attention head b.
 * Errors are {@link AblationSpecException}s whose message starts with the JSON path, e.g.
 * {@code heads[2].head: 7 is out of range 0..3}.
 */
public final class AblationSpec {

    public static final int VERSION = 1;
    public static final AblationSpec EMPTY = new AblationSpec(List.of(), MetaMode.AS_TRAINED, List.of());
    /** The JSON array of plugin interventions. */
    public static final String INTERVENTIONS = "interventions";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(SerializationFeature.INDENT_OUTPUT);
    private static final List<String> SECTIONS = List.of("attention", "fusion", "branches", "heads", "ssm_blocks", "kv");
    private static final Comparator<AblationElement> ORDER = Comparator
            .comparingInt((AblationElement e) -> SECTIONS.indexOf(section(e)))
            .thenComparingInt(AblationElement::layer)
            .thenComparingInt(AblationSpec::slot);

    private final List<AblationElement> elements;
    private final MetaMode meta;
    private final List<PluginIntervention> plugins;

    private AblationSpec(List<AblationElement> elements, MetaMode meta, List<PluginIntervention> plugins) {
        this.elements = List.copyOf(elements);
        this.meta = Objects.requireNonNull(meta, "meta");
        this.plugins = List.copyOf(plugins);
    }

    /** A spec of the given elements (later elements replace earlier ones in the same slot). */
    public static AblationSpec of(AblationElement... elements) {
        AblationSpec s = EMPTY;
        for (AblationElement e : elements) s = s.with(e);
        return s;
    }

    /** This spec plus {@code e}, replacing any element in the same slot. */
    public AblationSpec with(AblationElement e) {
        Objects.requireNonNull(e, "element");
        List<AblationElement> next = new ArrayList<>(elements);
        int at = -1;
        for (int i = 0; i < next.size() && at < 0; i++) if (next.get(i).key().equals(e.key())) at = i;
        if (at >= 0) next.set(at, e); else next.add(e);
        return new AblationSpec(next, meta, plugins);
    }

    public AblationSpec withMeta(MetaMode mode) { return new AblationSpec(elements, mode, plugins); }

    /** This spec plus a plugin intervention, applied after the ones it already has (plugin entries have no slots). */
    public AblationSpec withPlugin(PluginIntervention p) {
        Objects.requireNonNull(p, "plugin intervention");
        List<PluginIntervention> next = new ArrayList<>(plugins);
        next.add(p);
        return new AblationSpec(elements, meta, next);
    }

    /** The plugin interventions, in the order they are applied (after the built-in elements). */
    public List<PluginIntervention> plugins() { return plugins; }

    /** This spec overlaid with {@code other}: other's elements win their slots, other's meta mode wins unless AS_TRAINED. */
    public AblationSpec merge(AblationSpec other) {
        AblationSpec s = other.meta == MetaMode.AS_TRAINED ? this : withMeta(other.meta);
        for (AblationElement e : other.elements) s = s.with(e);
        for (PluginIntervention p : other.plugins) s = s.withPlugin(p);
        return s;
    }

    /** Elements in insertion order (a replaced element keeps its place); the JSON arrays keep this order. */
    public List<AblationElement> elements() { return elements; }

    /** Elements in canonical order (section, layer, head/block/branch); equality ignores insertion order. */
    public List<AblationElement> canonicalElements() {
        List<AblationElement> sorted = new ArrayList<>(elements);
        sorted.sort(ORDER);
        return sorted;
    }

    public MetaMode meta() { return meta; }

    public <T extends AblationElement> List<T> elements(Class<T> type) {
        return elements.stream().filter(type::isInstance).map(type::cast).toList();
    }

    public boolean isEmpty() { return elements.isEmpty() && plugins.isEmpty() && meta == MetaMode.AS_TRAINED; }

    /** Every non-empty spec is out of distribution (the model never saw these computations in training). */
    public boolean isOutOfDistribution() { return !isEmpty(); }

    /** Human-readable lines: a label, then one line per intervention. */
    public List<String> describe() {
        if (isEmpty()) return List.of("no ablation (model as trained)");
        List<String> out = new ArrayList<>();
        out.add("OUT OF DISTRIBUTION: " + (elements.size() + plugins.size() + (meta == MetaMode.AS_TRAINED ? 0 : 1)) + " intervention(s)");
        if (meta != MetaMode.AS_TRAINED) out.add(meta.describe());
        for (AblationElement e : elements) out.add(e.describe());
        for (PluginIntervention p : plugins) out.add(p.describe());
        return out;
    }

    // ---------------------------------------------------------------------------------------------------- validation

    /** Checks every element against a model; the first problem is thrown with its JSON path. */
    public void validate(ModelShape shape) {
        Map<String, Integer> index = new HashMap<>();
        for (AblationElement e : elements) {
            String sec = section(e);
            int i = index.merge(sec, 1, Integer::sum) - 1;
            String p = sec + "[" + i + "]";
            inRange(p + ".layer", e.layer(), shape.layers());
            switch (e) {
                case HeadOff h -> inRange(p + ".head", h.head(), shape.heads());
                case SsmBlockOff b -> inRange(p + ".block", b.block(), shape.heads());
                case KvAblation k -> {
                    if (!shape.isKvProducer(k.layer()))
                        throw new AblationSpecException(p + ".layer", "layer " + k.layer() + " reuses the K/V of layer "
                                + shape.kvProducer().get(k.layer()) + "; ablate the producer " + shape.kvProducer().get(k.layer())
                                + " (it propagates to its consumers " + shape.consumersOf(shape.kvProducer().get(k.layer())) + ")");
                }
                default -> { }
            }
        }
    }

    private static void inRange(String path, int v, int n) {
        if (v < 0 || v >= n) throw new AblationSpecException(path, v + " is out of range 0.." + (n - 1));
    }

    // ---------------------------------------------------------------------------------------------------------- JSON

    /** The spec as a version-1 JSON document; each array lists its elements in insertion order. */
    public String toJson() {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("version", VERSION);
        root.put("meta", meta.json());
        for (String sec : SECTIONS) {
            ArrayNode arr = MAPPER.createArrayNode();
            for (AblationElement e : elements) if (section(e).equals(sec)) arr.add(toNode(e));
            if (!arr.isEmpty()) root.set(sec, arr);
        }
        if (!plugins.isEmpty()) {
            ArrayNode arr = root.putArray(INTERVENTIONS);
            for (PluginIntervention p : plugins) {
                ObjectNode n = arr.addObject();
                n.put("plugin", p.type());
                n.set("params", p.node());
            }
        }
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot write an ablation spec", ex);
        }
    }

    private static ObjectNode toNode(AblationElement e) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("layer", e.layer());
        switch (e) {
            case AttentionChange a -> { n.put("mode", a.mode().json()); if (a.mode() == AttentionMode.LOCAL) n.put("window", a.window()); }
            case FusionChange f -> n.put("mode", f.mode().jsonName());
            case BranchOff b -> n.put("branch", b.branch().json());
            case HeadOff h -> { n.put("head", h.head()); n.put("replace", h.replace().json()); n.put("stage", h.stage().json()); }
            case SsmBlockOff b -> { n.put("block", b.block()); n.put("replace", b.replace().json()); n.put("stage", b.stage().json()); }
            case KvAblation k -> n.put("replace", k.replace().json());
        }
        return n;
    }

    /** Parses a version-1 document; see the class comment for the schema and the error format. */
    public static AblationSpec fromJson(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException ex) {
            var loc = ex.getLocation();
            String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            throw new AblationSpecException("", "malformed JSON" + where + ": " + ex.getOriginalMessage());
        }
        if (root == null || !root.isObject()) throw new AblationSpecException("", "expected a JSON object");
        List<String> known = new ArrayList<>(SECTIONS);
        known.addAll(List.of("version", "meta", INTERVENTIONS));
        noUnknown(root, "", known);
        JsonNode v = root.get("version");
        if (v == null) throw new AblationSpecException("version", "is required (this build reads version " + VERSION + ")");
        if (!v.isIntegralNumber() || v.asInt() != VERSION)
            throw new AblationSpecException("version", v + " is not supported (this build reads version " + VERSION + ")");
        MetaMode meta = root.has("meta") ? enumField(root, "meta", "meta", MetaMode.class) : MetaMode.AS_TRAINED;
        List<AblationElement> out = new ArrayList<>();
        Map<String, String> slots = new HashMap<>();
        for (String sec : SECTIONS) {
            JsonNode arr = root.get(sec);
            if (arr == null) continue;
            if (!arr.isArray()) throw new AblationSpecException(sec, "expected an array, got " + kind(arr));
            for (int i = 0; i < arr.size(); i++) {
                String p = sec + "[" + i + "]";
                AblationElement e = parseElement(sec, arr.get(i), p);
                String prev = slots.putIfAbsent(e.key(), p);
                if (prev != null) throw new AblationSpecException(p, "sets the same slot as " + prev + " (" + e.describe() + ")");
                out.add(e);
            }
        }
        List<PluginIntervention> plugins = new ArrayList<>();
        JsonNode arr = root.get(INTERVENTIONS);
        if (arr != null) {
            if (!arr.isArray()) throw new AblationSpecException(INTERVENTIONS, "expected an array, got " + kind(arr));
            for (int i = 0; i < arr.size(); i++) plugins.add(parsePlugin(arr.get(i), INTERVENTIONS + "[" + i + "]"));
        }
        return new AblationSpec(out, meta, plugins);
    }

    private static PluginIntervention parsePlugin(JsonNode n, String p) {
        if (!n.isObject()) throw new AblationSpecException(p, "expected an object {\"plugin\": TYPE, \"params\": {...}}, got " + kind(n));
        noUnknown(n, p, List.of("plugin", "params"));
        String type = textField(n, "plugin", p + ".plugin");
        if (type.isBlank()) throw new AblationSpecException(p + ".plugin", "must name an intervention type");
        JsonNode params = n.get("params");
        if (params == null) throw new AblationSpecException(p + ".params", "is required (use {} for none)");
        if (!params.isObject()) throw new AblationSpecException(p + ".params", "expected an object, got " + kind(params) + " " + params);
        return new PluginIntervention(type, params.toString());
    }

    private static AblationElement parseElement(String sec, JsonNode n, String p) {
        if (!n.isObject()) throw new AblationSpecException(p, "expected an object, got " + kind(n));
        int layer = intField(n, "layer", p);
        return switch (sec) {
            case "attention" -> {
                noUnknown(n, p, List.of("layer", "mode", "window"));
                AttentionMode mode = enumField(n, "mode", p + ".mode", AttentionMode.class);
                if (mode == AttentionMode.GLOBAL) {
                    if (n.has("window")) throw new AblationSpecException(p + ".window", "not allowed with mode \"global\"");
                    yield AttentionChange.global(layer);
                }
                if (!n.has("window")) throw new AblationSpecException(p + ".window", "is required with mode \"local\"");
                int w = intField(n, "window", p);
                if (w <= 0) throw new AblationSpecException(p + ".window", w + " must be > 0");
                yield AttentionChange.local(layer, w);
            }
            case "fusion" -> {
                noUnknown(n, p, List.of("layer", "mode"));
                String s = textField(n, "mode", p + ".mode");
                try {
                    yield new FusionChange(layer, FusionMode.fromJson(s));
                } catch (RuntimeException ex) {
                    throw new AblationSpecException(p + ".mode", "\"" + s + "\" is not one of fused, stacked_attn_first, stacked_ssm_first");
                }
            }
            case "branches" -> {
                noUnknown(n, p, List.of("layer", "branch"));
                yield new BranchOff(layer, enumField(n, "branch", p + ".branch", Branch.class));
            }
            case "heads" -> {
                noUnknown(n, p, List.of("layer", "head", "replace", "stage"));
                yield new HeadOff(layer, nonNegative(n, "head", p), enumField(n, "replace", p + ".replace", Replacement.class),
                        enumField(n, "stage", p + ".stage", Stage.class));
            }
            case "ssm_blocks" -> {
                noUnknown(n, p, List.of("layer", "block", "replace", "stage"));
                yield new SsmBlockOff(layer, nonNegative(n, "block", p), enumField(n, "replace", p + ".replace", Replacement.class),
                        enumField(n, "stage", p + ".stage", Stage.class));
            }
            case "kv" -> {
                noUnknown(n, p, List.of("layer", "replace"));
                yield new KvAblation(layer, enumField(n, "replace", p + ".replace", Replacement.class));
            }
            default -> throw new IllegalStateException(sec);
        };
    }

    private static void noUnknown(JsonNode n, String p, List<String> known) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f))
                throw new AblationSpecException(p.isEmpty() ? f : p + "." + f, "unknown field (allowed: " + String.join(", ", known) + ")");
        }
    }

    private static int intField(JsonNode n, String field, String p) {
        JsonNode v = n.get(field);
        String path = p + "." + field;
        if (v == null) throw new AblationSpecException(path, "is required");
        if (!v.isIntegralNumber() || !v.canConvertToInt()) throw new AblationSpecException(path, "expected an integer, got " + kind(v) + " " + v);
        int i = v.intValue();
        if (field.equals("layer") && i < 0) throw new AblationSpecException(path, i + " must be >= 0");
        return i;
    }

    private static int nonNegative(JsonNode n, String field, String p) {
        int i = intField(n, field, p);
        if (i < 0) throw new AblationSpecException(p + "." + field, i + " must be >= 0");
        return i;
    }

    private static String textField(JsonNode n, String field, String path) {
        JsonNode v = n.get(field);
        if (v == null) throw new AblationSpecException(path, "is required");
        if (!v.isTextual()) throw new AblationSpecException(path, "expected a string, got " + kind(v) + " " + v);
        return v.textValue();
    }

    private static <E extends Enum<E>> E enumField(JsonNode n, String field, String path, Class<E> type) {
        String s = textField(n, field, path);
        List<String> names = Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
        int i = names.indexOf(s);
        if (i < 0) throw new AblationSpecException(path, "\"" + s + "\" is not one of " + String.join(", ", names));
        return type.getEnumConstants()[i];
    }

    private static String kind(JsonNode v) { return v.getNodeType().name().toLowerCase(Locale.ROOT); }

    private static String section(AblationElement e) {
        return switch (e) {
            case AttentionChange a -> "attention";
            case FusionChange f -> "fusion";
            case BranchOff b -> "branches";
            case HeadOff h -> "heads";
            case SsmBlockOff b -> "ssm_blocks";
            case KvAblation k -> "kv";
        };
    }

    private static int slot(AblationElement e) {
        return switch (e) {
            case HeadOff h -> h.head();
            case SsmBlockOff b -> b.block();
            case BranchOff b -> b.branch().ordinal();
            default -> 0;
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AblationSpec s && s.meta == meta && s.canonicalElements().equals(canonicalElements())
                && s.plugins.equals(plugins);
    }

    @Override
    public int hashCode() { return Objects.hash(canonicalElements(), meta, plugins); }

    @Override
    public String toString() { return String.join("; ", describe()); }
}
