package dev.hymba.core.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One evaluation set (samples/eval/*.jsonl). Perplexity rows carry {@code ids}; task rows carry {@code prompt_ids}
 * and {@code target_ids} (BOS included in the prompt).
 */
public record EvalTask(String name, List<Row> rows) {
    public static final List<String> NAMES = List.of("ppl", "recall", "long-recall", "copy");

    /** ids for perplexity rows; prompt + target for task rows. */
    public record Row(int[] ids, int[] promptIds, int[] targetIds) {
        public boolean isPerplexity() { return ids != null; }
    }

    public static EvalTask read(String name, Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException(file + ": no evaluation set here");
        ObjectMapper json = new ObjectMapper();
        List<Row> rows = new ArrayList<>();
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            JsonNode n;
            try {
                n = json.readTree(lines.get(i));
            } catch (IOException e) {
                throw new IOException(file + ": line " + (i + 1) + " is not JSON");
            }
            if (n.has("ids")) rows.add(new Row(ints(n.get("ids"), file, i), null, null));
            else if (n.has("prompt_ids") && n.has("target_ids")) rows.add(new Row(null, ints(n.get("prompt_ids"), file, i), ints(n.get("target_ids"), file, i)));
            else throw new IOException(file + ": line " + (i + 1) + " has neither \"ids\" nor \"prompt_ids\"/\"target_ids\"");
        }
        if (rows.isEmpty()) throw new IOException(file + ": no rows");
        return new EvalTask(name, List.copyOf(rows));
    }

    private static int[] ints(JsonNode a, Path file, int line) throws IOException {
        if (!a.isArray() || a.isEmpty()) throw new IOException(file + ": line " + (line + 1) + ": token ids must be a non-empty array");
        int[] out = new int[a.size()];
        for (int k = 0; k < out.length; k++) {
            if (!a.get(k).isIntegralNumber()) throw new IOException(file + ": line " + (line + 1) + ": " + a.get(k) + " is not a token id");
            out[k] = a.get(k).asInt();
        }
        return out;
    }

    public EvalTask limit(int n) { return n <= 0 || n >= rows.size() ? this : new EvalTask(name, rows.subList(0, n)); }
}
