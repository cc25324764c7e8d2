package dev.hymba.core.ablation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Map;
import java.util.Objects;

/**
 * An intervention contributed by a plugin, carried by an {@link AblationSpec} as opaque data:
 * {@code {"plugin": TYPE, "params": {...}}} in the spec's {@code "interventions"} array. Core neither validates nor
 * applies it; a host that can see the plugins resolves {@code type} to an intervention plugin, which validates the
 * params and compiles them into hook edits (see {@code dev.hymba.core.intervention.AblationCompiler.PluginCompiler}).
 *
 * Two entries are equal when their types are equal and their params are the same JSON tree (object key order aside;
 * 1 and 1.0 differ); the key order given is kept when written.
 *
 * @param type       the plugin's intervention type (usually its id)
 * @param paramsJson the params object as compact JSON (what {@link AblationSpec#toJson} writes back, unchanged)
 */
public record PluginIntervention(String type, String paramsJson) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public PluginIntervention {
        Objects.requireNonNull(type, "type");
        if (type.isBlank()) throw new IllegalArgumentException("type: must not be blank");
        JsonNode n = parse(Objects.requireNonNull(paramsJson, "paramsJson"));
        paramsJson = n.toString();
    }

    /** An entry with the given params (numbers, strings, booleans, lists and maps of them). */
    public static PluginIntervention of(String type, Map<String, ?> params) {
        return new PluginIntervention(type, MAPPER.valueToTree(params).toString());
    }

    /** A fresh, mutable copy of the params: integers as Integer/Long, other numbers as Double, objects as maps. */
    public Map<String, Object> params() {
        return MAPPER.convertValue(node(), new TypeReference<java.util.LinkedHashMap<String, Object>>() {});
    }

    /** The params as a fresh JSON tree. */
    public JsonNode node() { return parse(paramsJson); }

    @Override
    public boolean equals(Object o) {
        return o instanceof PluginIntervention p && p.type.equals(type) && p.node().equals(node());
    }

    @Override
    public int hashCode() { return type.hashCode() * 31 + node().hashCode(); }

    public String describe() { return "plugin intervention " + type + " " + paramsJson; }

    private static JsonNode parse(String json) {
        JsonNode n;
        try {
            n = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("params: malformed JSON: " + e.getOriginalMessage());
        }
        if (n == null || !n.isObject()) throw new IllegalArgumentException("params: expected a JSON object");
        return n;
    }
}
