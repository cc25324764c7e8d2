package dev.hymba.core.patching;

import dev.hymba.core.config.HymbaConfig;
import dev.hymba.core.hook.HookPoint;
import dev.hymba.core.hook.Hooks;
import dev.hymba.core.model.ForwardResult;
import dev.hymba.core.model.HymbaModel;
import dev.hymba.core.model.RunOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.*;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * Activation patching (TransformerLens style) between a clean and a corrupted prompt of the same length: the
 * corrupted prompt is run again with the clean activation written into chosen hook points, positions and heads, and
 * a {@link PatchMetric} of the last position is compared with both unpatched runs through the normalised indirect
 * effect IE = (patched − corrupted) / (clean − corrupted): 1 means the patch restores the clean behaviour, 0 that it
 * changes nothing.
 *
 * <p>Rows: per-layer points have M + L rows (meta first); positions are prompt positions and map to row
 * {@code rows − L + p}, so the same position index works at {@code embed}, {@code final_norm} and {@code logits}
 * ([L, …]). Meta rows never see prompt tokens (every mixer is causal) and are identical in both runs.
 *
 * <p>K/V sharing: patching {@code attn.k}/{@code attn.v} at a KV producer writes the clean keys/values into its cache,
 * so every consumer layer attends over them too; at a consumer those points show the producer's K/V and a patch
 * there changes that layer only (the engine's semantics, architecture §3.5).
 *
 * <p>Clean activations are recorded once per point (one extra clean run per batch of new points) and kept; a sweep
 * then costs one corrupted forward pass per cell.
 */
public final class ActivationPatching {
    private static final Logger LOG = LoggerFactory.getLogger(ActivationPatching.class);

    /** Receives (cells done, cell count) during a sweep. */
    @FunctionalInterface
    public interface Progress { void cellDone(int done, int total); }

    /**
     * A sweep's result, row-major [layers.length, columns.length].
     *
     * @param columnKind "position" or "head"
     * @param columns    the prompt positions or head indices of the columns
     * @param metric     the patched metric per cell
     * @param effect     the normalised indirect effect per cell (NaN everywhere when clean = corrupted)
     */
    public record Grid(String point, String columnKind, int[] layers, int[] columns, double[] metric, double[] effect,
                       double clean, double corrupted, String metricName) {
        public double metric(int row, int col) { return metric[row * columns.length + col]; }

        public double effect(int row, int col) { return effect[row * columns.length + col]; }
    }

    private final HymbaModel model;
    private final HymbaConfig config;
    private final int[] clean;
    private final int[] corrupted;
    private final PatchMetric metric;
    private final RunOptions base;
    private final Map<String, float[]> cleanValues = new HashMap<>();
    private final ForwardResult cleanRun;
    private final ForwardResult corruptedRun;
    private final double cleanValue;
    private final double corruptedValue;

    private ActivationPatching(HymbaModel model, int[] clean, int[] corrupted, PatchMetric metric, RunOptions base) {
        this.model = model;
        this.config = model.config();
        this.clean = clean.clone();
        this.corrupted = corrupted.clone();
        this.metric = metric;
        this.base = base;
        this.cleanRun = model.forward(this.clean, base);
        this.corruptedRun = model.forward(this.corrupted, base);
        this.cleanValue = metric.of(cleanRun);
        this.corruptedValue = metric.of(corruptedRun);
        LOG.debug("patching: clean {} = {}, corrupted = {}", metric.describe(), cleanValue, corruptedValue);
    }

    /**
     * Runs both prompts once.
     *
     * @param base options of every run (ablations, cancellation); its hooks run before the patch
     */
    public static ActivationPatching prepare(HymbaModel model, int[] clean, int[] corrupted, PatchMetric metric, RunOptions base) {
        Objects.requireNonNull(metric, "metric");
        if (clean.length == 0) throw new IllegalArgumentException("the clean prompt is empty");
        if (clean.length != corrupted.length)
            throw new IllegalArgumentException("clean and corrupted prompts must have the same length: clean has " + clean.length
                    + " tokens, corrupted " + corrupted.length);
        metric.validate(model.config().vocabSize());
        return new ActivationPatching(model, clean, corrupted, metric, base == null ? RunOptions.DEFAULT : base);
    }

    public static ActivationPatching prepare(HymbaModel model, int[] clean, int[] corrupted, PatchMetric metric) {
        return prepare(model, clean, corrupted, metric, RunOptions.DEFAULT);
    }

    public double cleanValue() { return cleanValue; }

    public double corruptedValue() { return corruptedValue; }

    public ForwardResult cleanRun() { return cleanRun; }

    public ForwardResult corruptedRun() { return corruptedRun; }

    public PatchMetric metricDefinition() { return metric; }

    public int promptLength() { return clean.length; }

    /** IE = (value − corrupted) / (clean − corrupted); NaN when the two prompts give the same metric. */
    public double effect(double value) {
        double span = cleanValue - corruptedValue;
        return span == 0 ? Double.NaN : (value - corruptedValue) / span;
    }

    /** The corrupted prompt run with every site patched from the clean run. */
    public ForwardResult run(List<PatchSite> sites) {
        Map<String, List<PatchSite>> byPoint = new LinkedHashMap<>();
        for (PatchSite s : sites) {
            checkSite(s);
            byPoint.computeIfAbsent(s.point(), k -> new ArrayList<>()).add(s);
        }
        record(byPoint.keySet());
        Hooks patch = byPoint.isEmpty() ? Hooks.NONE : new PatchHooks(byPoint);
        return model.forward(corrupted, base.toBuilder().hooks(Hooks.chain(base.hooks(), patch)).build());
    }

    public double metric(List<PatchSite> sites) { return metric.of(run(sites)); }

    /** The clean value of a point as recorded (a copy), recording it first if needed. */
    public float[] cleanActivation(String point) {
        record(Set.of(point));
        return cleanValues.get(point).clone();
    }

    /**
     * Layers × positions: cell (l, p) patches {@code layers.l.SUFFIX} at prompt position p only (every column).
     * Null arrays mean every layer / every position.
     */
    public Grid sweepPositions(String suffix, int[] layers, int[] positions, Progress progress, BooleanSupplier cancelled) {
        int[] ls = layers == null ? range(config.numHiddenLayers()) : layers.clone();
        int[] ps = positions == null ? range(clean.length) : positions.clone();
        return sweep(suffix, "position", ls, ps, (point, p) -> PatchSite.positions(point, p), progress, cancelled);
    }

    /**
     * Layers × heads: cell (l, h) patches head block h of {@code layers.l.SUFFIX} at every position
     * (e.g. {@code attn.out} head columns). Null arrays mean every layer / every head of the point.
     */
    public Grid sweepHeads(String suffix, int[] layers, int[] heads, Progress progress, BooleanSupplier cancelled) {
        int[] ls = layers == null ? range(config.numHiddenLayers()) : layers.clone();
        int[] hs = heads == null ? range(headCount(config, suffix)) : heads.clone();
        return sweep(suffix, "head", ls, hs, (point, h) -> PatchSite.heads(point, h), progress, cancelled);
    }

    private interface CellSite { PatchSite of(String point, int column); }

    private Grid sweep(String suffix, String kind, int[] layers, int[] columns, CellSite site, Progress progress, BooleanSupplier cancelled) {
        if (!HookPoint.LAYER_POINTS.contains(suffix))
            throw new IllegalArgumentException("'" + suffix + "' is not a per-layer hook point; expected one of " + HookPoint.LAYER_POINTS);
        Set<String> points = new LinkedHashSet<>();
        for (int l : layers) {
            if (l < 0 || l >= config.numHiddenLayers())
                throw new IllegalArgumentException("layer " + l + " is outside 0.." + (config.numHiddenLayers() - 1));
            points.add(HookPoint.layer(l, suffix));
        }
        record(points);
        double[] values = new double[layers.length * columns.length];
        double[] effects = new double[values.length];
        int done = 0;
        for (int i = 0; i < layers.length; i++) {
            String point = HookPoint.layer(layers[i], suffix);
            for (int j = 0; j < columns.length; j++) {
                if (cancelled != null && cancelled.getAsBoolean()) throw new CancellationException("patching sweep cancelled");
                double v = metric(List.of(site.of(point, columns[j])));
                values[i * columns.length + j] = v;
                effects[i * columns.length + j] = effect(v);
                if (progress != null) progress.cellDone(++done, values.length);
            }
        }
        return new Grid(suffix, kind, layers, columns, values, effects, cleanValue, corruptedValue, metric.describe());
    }

    /**
     * How many head blocks a point's columns split into: H for the query and the I-wide streams (attn.out, the SSM
     * streams and the fusion streams, where block h is the SSM channel block aligned with attention head h), Hkv for
     * keys and values. Points without a head structure throw.
     */
    public static int headCount(HymbaConfig c, String suffix) {
        return switch (suffix) {
            case HookPoint.ATTN_Q, HookPoint.ATTN_OUT, HookPoint.SSM_CONV_OUT, HookPoint.SSM_DELTA, HookPoint.SSM_OUT,
                 HookPoint.FUSION_ATTN_NORM, HookPoint.FUSION_SSM_NORM -> c.numAttentionHeads();
            case HookPoint.ATTN_K, HookPoint.ATTN_V -> c.numKeyValueHeads();
            default -> throw new IllegalArgumentException("hook point '" + suffix + "' has no head structure; heads can be patched at "
                    + "attn.q, attn.k, attn.v, attn.out, ssm.conv_out, ssm.delta, ssm.out, fusion.attn_norm, fusion.ssm_norm");
        };
    }

    private void checkSite(PatchSite s) {
        int layer = HookPoint.layerOf(s.point());
        String suffix = HookPoint.suffixOf(s.point());
        boolean known = layer >= 0 ? HookPoint.LAYER_POINTS.contains(suffix)
                : List.of(HookPoint.EMBED, HookPoint.META, HookPoint.FINAL_NORM, HookPoint.LOGITS).contains(s.point());
        if (!known) throw new IllegalArgumentException("unknown hook point '" + s.point() + "'");
        if (layer >= config.numHiddenLayers())
            throw new IllegalArgumentException("hook point " + s.point() + ": layer " + layer + " is outside 0.." + (config.numHiddenLayers() - 1));
        if (s.positions() != null) {
            if (s.point().equals(HookPoint.META)) throw new IllegalArgumentException("point meta has no prompt positions");
            for (int p : s.positions())
                if (p < 0 || p >= clean.length) throw new IllegalArgumentException("position " + p + " is outside the prompt 0.." + (clean.length - 1));
        }
        if (s.heads() != null) {
            if (layer < 0) throw new IllegalArgumentException("point " + s.point() + " has no heads");
            int n = headCount(config, suffix);
            for (int h : s.heads())
                if (h < 0 || h >= n) throw new IllegalArgumentException("head " + h + " is outside 0.." + (n - 1) + " at " + s.point());
        }
    }

    /** One clean run records every point not yet cached. */
    private void record(Set<String> points) {
        Set<String> missing = new HashSet<>(points);
        missing.removeAll(cleanValues.keySet());
        if (missing.isEmpty()) return;
        Hooks recorder = new Hooks() {
            public boolean wants(String point) { return missing.contains(point); }

            public float[] apply(String point, float[] value, int[] shape) {
                cleanValues.put(point, value.clone());
                return value;
            }
        };
        model.forward(clean, base.toBuilder().hooks(Hooks.chain(base.hooks(), recorder)).build());
        for (String p : missing)
            if (!cleanValues.containsKey(p)) throw new IllegalStateException("the clean run never reached hook point " + p + " (branch switched off?)");
    }

    /** Copies clean rows/columns over the corrupted value. */
    private final class PatchHooks implements Hooks {
        private final Map<String, List<PatchSite>> sites;

        PatchHooks(Map<String, List<PatchSite>> sites) { this.sites = sites; }

        public boolean wants(String point) { return sites.containsKey(point); }

        public float[] apply(String point, float[] value, int[] shape) {
            float[] src = cleanValues.get(point);
            if (src.length != value.length)
                throw new IllegalStateException("hook point " + point + ": clean value has " + src.length + " values, corrupted " + value.length);
            float[] out = value.clone();
            int rows = shape[0], width = value.length / rows;
            for (PatchSite s : sites.get(point)) copy(s, src, out, rows, width);
            return out;
        }

        private void copy(PatchSite s, float[] src, float[] out, int rows, int width) {
            int[] rowIdx;
            if (s.positions() == null) rowIdx = range(rows);
            else {
                int offset = rows - clean.length;
                if (offset < 0) throw new IllegalStateException("point " + s.point() + " has " + rows + " rows, fewer than the prompt");
                rowIdx = Arrays.stream(s.positions()).map(p -> offset + p).toArray();
            }
            int[][] colRanges;
            if (s.heads() == null) colRanges = new int[][]{{0, width}};
            else {
                int n = headCount(config, HookPoint.suffixOf(s.point()));
                if (width % n != 0) throw new IllegalStateException("point " + s.point() + ": width " + width + " is not divisible by " + n + " heads");
                int block = width / n;
                colRanges = Arrays.stream(s.heads()).mapToObj(h -> new int[]{h * block, (h + 1) * block}).toArray(int[][]::new);
            }
            for (int r : rowIdx)
                for (int[] cr : colRanges) System.arraycopy(src, r * width + cr[0], out, r * width + cr[0], cr[1] - cr[0]);
        }
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) r[i] = i;
        return r;
    }
}
