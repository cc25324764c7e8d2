package dev.hymba.sweeps;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hymba.core.config.HymbaConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;

/**
 * A sweep: which model, which prompts, which ablations, which metrics.
 * <pre>
 * {
 *   "version": 1,                                  required
 *   "model": "models/hymba-mini",                  required: a folder; the Spark job also reads hdfs://, s3a://, file:// URIs
 *   "prompts": "prompts.jsonl",                    required: JSONL, see {@link PromptSet}
 *   "grid": [ {"family": "head", "layers": "all"}, ... ],   required, non-empty: see {@link GridEntry}
 *   "metrics": ["loss_delta", "kl", ...],          optional, default ["loss_delta", "kl"]: see {@link Metric}
 *   "batch": 16,                                   optional: ablations per task (each task runs its baseline once)
 *   "max_tokens": 2048                             optional: longest prompt (with its target) allowed
 * }
 * </pre>
 * Relative paths are resolved against the spec file's folder. Errors are {@link SweepSpecException}s naming the
 * file and field, e.g. {@code sweep.json: grid[1].heads[0]: 9 is out of range 0..3}.
 *
 * @param source the file (or URI) the spec came from, for messages and for resolving relative paths
 * @param json   the document as read, so that remote workers can rebuild the identical plan
 */
public record SweepSpec(String source, String json, String model, String prompts, List<GridEntry> grid,
                        List<Metric> metrics, int batch, int maxTokens) {
    public static final int VERSION = 1;
    public static final int DEFAULT_BATCH = 16;
    public static final int DEFAULT_MAX_TOKENS = 2048;

    public SweepSpec {
        grid = List.copyOf(grid);
        metrics = List.copyOf(metrics);
    }

    public static SweepSpec read(Path file) {
        try {
            return parse(Files.readString(file), file.toString());
        } catch (IOException ex) {
            throw new SweepSpecException(file.toString(), "cannot read the spec: " + ex.getMessage());
        }
    }

    public static SweepSpec parse(String json, String source) {
        try {
            return parseChecked(json, source);
        } catch (SweepSpecException ex) {
            throw new SweepSpecException(ex.where().isEmpty() ? source : source + ": " + ex.where(), problem(ex));
        }
    }

    private static String problem(SweepSpecException ex) {
        String m = ex.getMessage();
        return ex.where().isEmpty() ? m : m.substring(ex.where().length() + 2);
    }

    private static SweepSpec parseChecked(String json, String source) {
        JsonNode root = Json.parseObject(json, "");
        Json.noUnknown(root, "", List.of("version", "model", "prompts", "grid", "metrics", "batch", "max_tokens"));
        JsonNode v = root.get("version");
        if (v == null) throw new SweepSpecException("version", "is required (this build reads version " + VERSION + ")");
        if (!v.isIntegralNumber() || v.asInt() != VERSION)
            throw new SweepSpecException("version", v + " is not supported (this build reads version " + VERSION + ")");
        String model = Json.text(root, "model", "");
        String prompts = Json.text(root, "prompts", "");
        JsonNode g = root.get("grid");
        if (g == null) throw new SweepSpecException("grid", "is required");
        if (!g.isArray() || g.isEmpty()) throw new SweepSpecException("grid", "expected a non-empty list of grid entries, got " + g);
        List<GridEntry> grid = new ArrayList<>();
        for (int i = 0; i < g.size(); i++) grid.add(GridEntry.parse(g.get(i), "grid[" + i + "]"));
        List<Metric> metrics = new ArrayList<>();
        JsonNode m = root.get("metrics");
        if (m == null) metrics.addAll(List.of(Metric.LOSS_DELTA, Metric.KL));
        else {
            if (!m.isArray() || m.isEmpty()) throw new SweepSpecException("metrics", "expected a non-empty list of metric names, got " + m);
            for (int i = 0; i < m.size(); i++) {
                String p = "metrics[" + i + "]";
                if (!m.get(i).isTextual()) throw new SweepSpecException(p, "expected a string, got " + Json.kind(m.get(i)) + " " + m.get(i));
                Metric x = Metric.fromJson(p, m.get(i).textValue());
                if (metrics.contains(x)) throw new SweepSpecException(p, "\"" + x.json() + "\" is listed twice");
                metrics.add(x);
            }
        }
        int batch = Json.integer(root, "batch", "", DEFAULT_BATCH, 1);
        int maxTokens = Json.integer(root, "max_tokens", "", DEFAULT_MAX_TOKENS, 2);
        return new SweepSpec(source, json, model, prompts, grid, metrics, batch, maxTokens);
    }

    /** Every ablation of the grid on this model, in grid order; two entries producing the same ablation is an error. */
    public List<Ablation> ablations(HymbaConfig config) {
        List<Ablation> all = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (GridEntry e : grid) {
            List<Ablation> part;
            try {
                part = e.expand(config);
            } catch (SweepSpecException ex) {
                throw new SweepSpecException(source + ": " + ex.where(), problem(ex));
            }
            if (part.isEmpty()) throw new SweepSpecException(source + ": " + e.path(), "selects no ablation on this model (every selected change is what the model already does)");
            for (Ablation a : part) {
                String prev = seen.putIfAbsent(a.key(), e.path());
                if (prev != null) throw new SweepSpecException(source + ": " + e.path(), "repeats ablation " + a.key() + " of " + prev);
                all.add(a);
            }
        }
        return all;
    }

    /** True when the model location is a URI with a scheme other than file: only the Spark job reads those. */
    public boolean modelIsRemote() { return isRemote(model); }

    static boolean isRemote(String location) {
        int colon = location.indexOf(':');
        // "C:\..." style drive letters are one character long; a URI scheme has at least two.
        return colon > 1 && location.indexOf('/') > colon && !location.startsWith("file:");
    }

    /** The model folder on this machine, relative paths taken from the spec's folder. */
    public Path modelDir() {
        if (modelIsRemote()) throw new SweepSpecException(source + ": model", "\"" + model
                + "\" is a Hadoop URI; only the Spark executor reads those (use a local or shared-file-system folder here)");
        Path p = localPath(model);
        if (!Files.isRegularFile(p.resolve("config.json")))
            throw new SweepSpecException(source + ": model", "no config.json in " + p.toAbsolutePath());
        return p;
    }

    /** The prompt file on this machine. */
    public Path promptsFile() {
        if (isRemote(prompts)) throw new SweepSpecException(source + ": prompts", "\"" + prompts + "\" is a Hadoop URI; only the Spark executor reads those");
        Path p = localPath(prompts);
        if (!Files.isRegularFile(p)) throw new SweepSpecException(source + ": prompts", "no such file " + p.toAbsolutePath());
        return p;
    }

    private Path localPath(String location) {
        Path p = location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
        if (p.isAbsolute()) return p;
        Path parent = Path.of(source).toAbsolutePath().getParent();
        return parent == null ? p : parent.resolve(p);
    }

    /** The prompt file's text (local). */
    public String readPrompts() {
        try {
            return Files.readString(promptsFile());
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot read " + promptsFile(), ex);
        }
    }
}
