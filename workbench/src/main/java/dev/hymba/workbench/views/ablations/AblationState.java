package dev.hymba.workbench.views.ablations;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The ablations panel's state, immutable. Its JSON (only what differs from the trained model; "{}" = baseline):
 * <pre>
 * {"layers": {"3": {"attention": "global"|"local", "window": 1024,
 *                   "fusion": "attention-first"|"ssm-first", "branch": "attention-only"|"ssm-only"}},
 *  "heads_off": [[3, 1], [5, 0]], "meta_tokens": "dropped"|"zeroed"|"mean"}
 * </pre>
 * Stacked fusion runs the two branches one after the other with the trained weights (issue 3).
 */
public record AblationState(Map<Integer, LayerAblation> layers, Set<HeadRef> headsOff, MetaMode meta) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public enum Attention { AS_TRAINED, GLOBAL, LOCAL }

    public enum Fusion { FUSED, ATTENTION_FIRST, SSM_FIRST }

    public enum Branch { BOTH, ATTENTION_ONLY, SSM_ONLY }

    public enum MetaMode { AS_TRAINED, DROPPED, ZEROED, MEAN }

    /** One layer's settings; window is used only for LOCAL (0 = the model's window). */
    public record LayerAblation(Attention attention, int window, Fusion fusion, Branch branch) {
        public static final LayerAblation NONE = new LayerAblation(Attention.AS_TRAINED, 0, Fusion.FUSED, Branch.BOTH);

        public boolean isNone() { return equals(NONE); }
    }

    public record HeadRef(int layer, int head) implements Comparable<HeadRef> {
        @Override
        public int compareTo(HeadRef o) { return layer != o.layer ? Integer.compare(layer, o.layer) : Integer.compare(head, o.head); }
    }

    public static final AblationState BASELINE = new AblationState(Map.of(), Set.of(), MetaMode.AS_TRAINED);

    public AblationState {
        TreeMap<Integer, LayerAblation> m = new TreeMap<>();
        layers.forEach((k, v) -> { if (!v.isNone()) m.put(k, v); });
        layers = java.util.Collections.unmodifiableMap(m);
        headsOff = java.util.Collections.unmodifiableSet(new TreeSet<>(headsOff));
    }

    public LayerAblation layer(int i) { return layers.getOrDefault(i, LayerAblation.NONE); }

    public AblationState withLayer(int i, LayerAblation a) {
        TreeMap<Integer, LayerAblation> m = new TreeMap<>(layers);
        m.put(i, a);
        return new AblationState(m, headsOff, meta);
    }

    public AblationState withHead(int layer, int head, boolean off) {
        TreeSet<HeadRef> s = new TreeSet<>(headsOff);
        if (off) s.add(new HeadRef(layer, head)); else s.remove(new HeadRef(layer, head));
        return new AblationState(layers, s, meta);
    }

    public AblationState withMeta(MetaMode m) { return new AblationState(layers, headsOff, m); }

    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        if (!layers.isEmpty()) {
            ObjectNode ls = root.putObject("layers");
            layers.forEach((i, a) -> {
                ObjectNode o = ls.putObject(Integer.toString(i));
                if (a.attention() != Attention.AS_TRAINED) o.put("attention", name(a.attention()));
                if (a.attention() == Attention.LOCAL && a.window() > 0) o.put("window", a.window());
                if (a.fusion() != Fusion.FUSED) o.put("fusion", name(a.fusion()));
                if (a.branch() != Branch.BOTH) o.put("branch", name(a.branch()));
            });
        }
        if (!headsOff.isEmpty()) {
            ArrayNode hs = root.putArray("heads_off");
            headsOff.forEach(h -> hs.addArray().add(h.layer()).add(h.head()));
        }
        if (meta != MetaMode.AS_TRAINED) root.put("meta_tokens", name(meta));
        try {
            return root.isEmpty() ? "{}" : JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Parses a spec and checks it against the model's shape.
     *
     * @throws IllegalArgumentException naming the field, the value and what was expected
     */
    public static AblationState fromJson(String text, int layerCount, int headCount) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("ablation spec is not valid JSON: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        }
        if (root == null || !root.isObject()) throw new IllegalArgumentException("ablation spec must be a JSON object");
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!Set.of("layers", "heads_off", "meta_tokens").contains(f))
                throw new IllegalArgumentException("ablation spec: unknown field '" + f + "' (expected layers, heads_off, meta_tokens)");
        }
        AblationState s = BASELINE;
        JsonNode ls = root.path("layers");
        for (Iterator<Map.Entry<String, JsonNode>> it = ls.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            int i = index("layers." + e.getKey(), e.getKey(), layerCount);
            JsonNode o = e.getValue();
            s = s.withLayer(i, new LayerAblation(
                    parse("layers." + i + ".attention", o.path("attention").asText("as-trained"), Attention.class),
                    o.path("window").asInt(0),
                    parse("layers." + i + ".fusion", o.path("fusion").asText("fused"), Fusion.class),
                    parse("layers." + i + ".branch", o.path("branch").asText("both"), Branch.class)));
            if (o.path("window").asInt(0) < 0)
                throw new IllegalArgumentException("layers." + i + ".window must be > 0, got " + o.path("window").asInt());
        }
        for (JsonNode h : root.path("heads_off")) {
            if (!h.isArray() || h.size() != 2) throw new IllegalArgumentException("heads_off entries must be [layer, head], got " + h);
            s = s.withHead(index("heads_off layer", h.get(0).asText(), layerCount), index("heads_off head", h.get(1).asText(), headCount), true);
        }
        if (root.has("meta_tokens")) s = s.withMeta(parse("meta_tokens", root.get("meta_tokens").asText(), MetaMode.class));
        return s;
    }

    private static int index(String field, String v, int count) {
        int i;
        try {
            i = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + ": '" + v + "' is not an integer");
        }
        if (i < 0 || i >= count) throw new IllegalArgumentException(field + ": " + i + " is out of range 0.." + (count - 1));
        return i;
    }

    private static String name(Enum<?> e) { return e.name().toLowerCase().replace('_', '-'); }

    private static <E extends Enum<E>> E parse(String field, String v, Class<E> type) {
        for (E e : type.getEnumConstants()) if (name(e).equals(v)) return e;
        StringBuilder sb = new StringBuilder();
        for (E e : type.getEnumConstants()) sb.append(sb.isEmpty() ? "" : ", ").append(name(e));
        throw new IllegalArgumentException(field + ": unknown value '" + v + "' (expected one of " + sb + ")");
    }
}
