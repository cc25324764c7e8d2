package dev.hymba.sweeps;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/** Strict JSON reading with errors that name the field (shared by the spec, the grid and the prompt set). */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private Json() {}

    static JsonNode parseObject(String text, String where) {
        JsonNode n;
        try {
            n = MAPPER.readTree(text);
        } catch (JsonProcessingException ex) {
            var loc = ex.getLocation();
            String at = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            throw new SweepSpecException(where, "malformed JSON" + at + ": " + ex.getOriginalMessage());
        }
        if (n == null || !n.isObject()) throw new SweepSpecException(where, "expected a JSON object, got " + (n == null ? "nothing" : kind(n)));
        return n;
    }

    static String path(String p, String field) { return p.isEmpty() ? field : p + "." + field; }

    static void noUnknown(JsonNode n, String p, List<String> known) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) throw new SweepSpecException(path(p, f), "unknown field (allowed: " + String.join(", ", known) + ")");
        }
    }

    static String text(JsonNode n, String field, String p) {
        JsonNode v = n.get(field);
        if (v == null) throw new SweepSpecException(path(p, field), "is required");
        if (!v.isTextual()) throw new SweepSpecException(path(p, field), "expected a string, got " + kind(v) + " " + v);
        if (v.textValue().isBlank()) throw new SweepSpecException(path(p, field), "must not be empty");
        return v.textValue();
    }

    static int integer(JsonNode v, String path) {
        if (!v.isIntegralNumber() || !v.canConvertToInt()) throw new SweepSpecException(path, "expected an integer, got " + kind(v) + " " + v);
        return v.intValue();
    }

    static int integer(JsonNode n, String field, String p, int dflt, int min) {
        JsonNode v = n.get(field);
        if (v == null) return dflt;
        int i = integer(v, path(p, field));
        if (i < min) throw new SweepSpecException(path(p, field), i + " must be >= " + min);
        return i;
    }

    static String kind(JsonNode v) { return v.getNodeType().name().toLowerCase(Locale.ROOT); }
}
