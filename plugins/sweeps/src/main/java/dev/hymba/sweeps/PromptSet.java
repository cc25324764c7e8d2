package dev.hymba.sweeps;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hymba.core.tokenizer.HymbaTokenizer;

import java.util.*;

/**
 * Reads a JSONL prompt set. Each non-blank line is one object:
 * <pre>
 * {"id": "p1", "text": "The capital of France is"}          text, tokenised with BOS by the model's tokenizer
 * {"id": 7,    "ids": [1, 415, 5565]}                        token ids as given
 *   optional: "target": " Paris" | "target_ids": [5465]      a continuation appended after the prompt (no BOS)
 *   optional: "foil": " Rome" | "foil_id": 8399              competing token for logit_diff (first token of the text)
 * </pre>
 * Ids are unique strings (numbers are taken as their decimal text). Errors name the file, line and field.
 */
public final class PromptSet {
    private static final List<String> FIELDS = List.of("id", "text", "ids", "target", "target_ids", "foil", "foil_id");

    private PromptSet() {}

    /**
     * @param tokenizer needed only for text fields; empty when the model has none
     * @param vocab     the model's vocabulary size (ids must be below it)
     */
    public static List<Prompt> parse(String jsonl, String source, Optional<HymbaTokenizer> tokenizer, int vocab, int maxTokens,
                                     List<Metric> metrics) {
        List<Prompt> out = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        String[] lines = jsonl.split("\r?\n", -1);
        for (int ln = 0; ln < lines.length; ln++) {
            if (lines[ln].isBlank()) continue;
            String where = source + " line " + (ln + 1);
            Prompt p = line(lines[ln], where, out.size(), tokenizer, vocab, maxTokens, metrics);
            Integer prev = seen.putIfAbsent(p.id(), ln + 1);
            if (prev != null) throw new SweepSpecException(where + ": id", "\"" + p.id() + "\" was already used on line " + prev);
            out.add(p);
        }
        if (out.isEmpty()) throw new SweepSpecException(source, "the prompt set has no prompts");
        return out;
    }

    private static Prompt line(String text, String where, int index, Optional<HymbaTokenizer> tok, int vocab, int maxTokens,
                               List<Metric> metrics) {
        JsonNode n = Json.parseObject(text, where);
        try {
            Json.noUnknown(n, "", FIELDS);
            JsonNode idNode = n.get("id");
            if (idNode == null) throw new SweepSpecException("id", "is required");
            if (!idNode.isTextual() && !idNode.isIntegralNumber())
                throw new SweepSpecException("id", "expected a string or an integer, got " + Json.kind(idNode) + " " + idNode);
            String id = idNode.asText();
            if (id.isBlank()) throw new SweepSpecException("id", "must not be empty");
            int[] prompt = tokens(n, "text", "ids", true, tok, vocab);
            if (prompt == null) throw new SweepSpecException("", "needs \"text\" or \"ids\"");
            int[] target = tokens(n, "target", "target_ids", false, tok, vocab);
            int foil = -1;
            if (n.has("foil") || n.has("foil_id")) {
                int[] f = tokens(n, "foil", "foil_id", false, tok, vocab);
                foil = f[0];
                if (target == null) throw new SweepSpecException("foil", "needs a target");
            }
            int[] all = target == null ? prompt : concat(prompt, target);
            if (all.length < 2) throw new SweepSpecException("", "has " + all.length + " token; at least 2 are needed (a next token to score)");
            if (all.length > maxTokens) throw new SweepSpecException("", all.length + " tokens exceed max_tokens " + maxTokens);
            if (target == null && metrics.contains(Metric.LOGIT_DIFF))
                throw new SweepSpecException("target", "metric logit_diff needs a target (\"target\" or \"target_ids\")");
            return new Prompt(index, id, all, target == null ? -1 : prompt.length, foil);
        } catch (SweepSpecException ex) {
            throw new SweepSpecException(ex.where().isEmpty() ? where : where + ": " + ex.where(),
                    ex.where().isEmpty() ? ex.getMessage() : ex.getMessage().substring(ex.where().length() + 2));
        }
    }

    /** The tokens of a text field or an ids field (exactly one may be present), or null when neither is. */
    private static int[] tokens(JsonNode n, String textField, String idsField, boolean bos, Optional<HymbaTokenizer> tok, int vocab) {
        boolean t = n.has(textField), i = n.has(idsField);
        if (t && i) throw new SweepSpecException(idsField, "give either \"" + textField + "\" or \"" + idsField + "\", not both");
        if (t) {
            String s = Json.text(n, textField, "");
            HymbaTokenizer k = tok.orElseThrow(() -> new SweepSpecException(textField,
                    "the model has no tokenizer.json; give token ids in \"" + idsField + "\" instead"));
            int[] ids = k.encode(s, bos).ids();
            if (ids.length == 0) throw new SweepSpecException(textField, "\"" + s + "\" encodes to no tokens");
            return ids;
        }
        if (!i) return null;
        JsonNode a = n.get(idsField);
        if (a.isIntegralNumber()) return new int[]{checkedId(a, idsField, vocab)};
        if (!a.isArray() || a.isEmpty()) throw new SweepSpecException(idsField, "expected a non-empty list of token ids, got " + a);
        int[] ids = new int[a.size()];
        for (int k = 0; k < ids.length; k++) ids[k] = checkedId(a.get(k), idsField + "[" + k + "]", vocab);
        return ids;
    }

    private static int checkedId(JsonNode v, String path, int vocab) {
        int id = Json.integer(v, path);
        if (id < 0 || id >= vocab) throw new SweepSpecException(path, id + " is outside the vocabulary 0.." + (vocab - 1));
        return id;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
