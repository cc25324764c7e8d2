package dev.hymba.core.model;

import dev.hymba.core.config.FusionMode;
import dev.hymba.core.config.HymbaConfig;
import dev.hymba.core.config.HymbaConfigParser;
import dev.hymba.core.hook.HookPoint;
import dev.hymba.core.hook.Hooks;
import dev.hymba.core.io.CheckpointFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CancellationException;

/**
 * The Hymba engine: NVIDIA's reference forward pass (architecture reference §3) in fp32 on the CPU, with hook
 * points on every internal and structural ablations applied inside the pass.
 *
 * <p>One code path serves prefill and decoding: {@link #step} processes a chunk of new tokens against an
 * {@link InferenceState}; {@link #forward} is a step on a fresh state.
 */
public final class HymbaModel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HymbaModel.class);

    private final Path dir;
    private final HymbaConfig config;
    private final HymbaWeights weights;
    private final Rope rope;

    public HymbaModel(Path dir, HymbaConfig config, HymbaWeights weights) {
        this.dir = dir;
        this.config = config;
        this.weights = weights;
        this.rope = new Rope(config.headDim(), config.ropeBase());
    }

    /** Loads config.json and the weights of a Hugging Face model folder, validating every tensor first. */
    public static HymbaModel load(Path dir) {
        HymbaConfig config = HymbaConfigParser.read(dir.resolve("config.json"));
        long t0 = System.nanoTime();
        try (CheckpointFiles files = CheckpointFiles.open(dir)) {
            dev.hymba.core.io.CheckpointValidator.validate(files, config);
            HymbaWeights w = HymbaWeights.load(config, files);
            LOG.info("loaded {} ({} layers) in {} ms", dir, config.numHiddenLayers(), (System.nanoTime() - t0) / 1_000_000);
            BlasInfo.hintIfSlowKernels();
            return new HymbaModel(dir, config, w);
        }
    }

    public Path dir() { return dir; }

    public HymbaConfig config() { return config; }

    public HymbaWeights weights() { return weights; }

    /** Prefill: logits for every token of {@code ids} (meta rows dropped). */
    public ForwardResult forward(int[] ids, RunOptions options) {
        InferenceState st = newState(options);
        return step(st, ids, false);
    }

    public InferenceState newState(RunOptions options) {
        options.validate(config.numHiddenLayers());
        return new InferenceState(config, options);
    }

    /**
     * Processes {@code ids} after what {@code state} has seen. Returns logits for every new token, or only for the
     * last one when {@code lastOnly} (generation).
     */
    public ForwardResult step(InferenceState st, int[] ids, boolean lastOnly) {
        if (ids.length == 0) throw new IllegalArgumentException("no tokens to process");
        int V = config.vocabSize(), d = config.hiddenSize();
        for (int i = 0; i < ids.length; i++)
            if (ids[i] < 0 || ids[i] >= V) throw new IllegalArgumentException("token id " + ids[i] + " at index " + i + " is outside the vocabulary 0.." + (V - 1));
        RunOptions o = st.options;
        Hooks hooks = o.hooks();
        boolean first = st.metaCount < 0;
        float[] meta = first ? metaRows(o) : new float[0];
        int m = meta.length / d;
        if (first) st.metaCount = m;
        if (meta.length > 0 && hooks.wants(HookPoint.META)) meta = hooks.apply(HookPoint.META, meta, new int[]{m, d});

        float[] emb = new float[ids.length * d];
        for (int i = 0; i < ids.length; i++) System.arraycopy(weights.embed(), ids[i] * d, emb, i * d, d);
        if (hooks.wants(HookPoint.EMBED)) emb = hooks.apply(HookPoint.EMBED, emb, new int[]{ids.length, d});

        int rows = m + ids.length;
        float[] x = new float[rows * d];
        System.arraycopy(meta, 0, x, 0, meta.length);
        System.arraycopy(emb, 0, x, meta.length, emb.length);

        LayerRunner runner = new LayerRunner(config, weights, rope, st);
        for (int l = 0; l < config.numHiddenLayers(); l++) {
            if (o.isCancelled()) throw new CancellationException("run cancelled before layer " + l);
            x = runner.run(l, x, rows);
            o.progress().layerDone(l + 1, config.numHiddenLayers());
        }
        st.position += rows;
        trimCaches(st);

        int outFrom = lastOnly ? rows - 1 : m;
        int outRows = rows - outFrom;
        float[] tail = Arrays.copyOfRange(x, outFrom * d, rows * d);
        float[] normed = Numerics.rmsNorm(tail, outRows, d, weights.finalNorm(), config.rmsNormEps());
        if (hooks.wants(HookPoint.FINAL_NORM)) normed = hooks.apply(HookPoint.FINAL_NORM, normed, new int[]{outRows, d});
        float[] logits = weights.lmHead().apply(normed, outRows);
        if (hooks.wants(HookPoint.LOGITS)) logits = hooks.apply(HookPoint.LOGITS, logits, new int[]{outRows, V});
        return new ForwardResult(logits, outRows, V);
    }

    /**
     * Drops cached K/V rows no future query can see: a row is needed while some user of the cache (the producer or
     * a consumer) is global, or while it lies within the largest window of its users; meta rows always stay.
     */
    private void trimCaches(InferenceState st) {
        RunOptions o = st.options;
        int n = config.numHiddenLayers();
        int[] widest = new int[n];
        for (int l = 0; l < n; l++) {
            int p = config.kvProducerOf(l);
            int w = o.attentionOverride(l).map(a -> a.kind() == AttentionOverride.Kind.GLOBAL ? Integer.MAX_VALUE : a.window())
                    .orElse(config.isGlobal(l) ? Integer.MAX_VALUE : config.slidingWindow());
            widest[p] = Math.max(widest[p], w);
        }
        for (int l = 0; l < n; l++) {
            if (st.kv[l] == null || widest[l] == Integer.MAX_VALUE) continue;
            // The next query sits at st.position and sees keys u with position − u ≤ W.
            st.kv[l].trimBefore(st.position - widest[l], st.metaCount());
        }
    }

    private float[] metaRows(RunOptions o) {
        int d = config.hiddenSize(), M = config.numMemoryTokens();
        float[] trained = weights.meta();
        return switch (o.metaMode()) {
            case AS_TRAINED -> trained.clone();
            case DROPPED -> new float[0];
            case ZEROED -> new float[M * d];
            case MEAN -> {
                float[] mean = new float[d];
                for (int r = 0; r < M; r++) for (int i = 0; i < d; i++) mean[i] += trained[r * d + i] / M;
                float[] out = new float[M * d];
                for (int r = 0; r < M; r++) System.arraycopy(mean, 0, out, r * d, d);
                yield out;
            }
        };
    }

    /** The fusion mode a layer runs with in these options (override, else the checkpoint's). */
    FusionMode fusionMode(int layer, RunOptions o) { return o.fusionOverride(layer).orElse(config.fusionMode()); }

    @Override
    public void close() { /* ND4J buffers are released with the arrays; nothing pinned here. */ }
}
