package dev.hymba.core.model;

import dev.hymba.core.config.HymbaConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;

/**
 * Load / prefill / decode figures for a model folder (the CLI {@code bench} command calls {@link #run}).
 * Prefill runs a random prompt (ids uniform in [3, V), seeded) once to warm up ND4J and the JIT, then once measured
 * with the per-phase {@link Profile} on; decode then generates greedily with the caches.
 */
public final class ModelBenchmark {
    private static final Logger LOG = LoggerFactory.getLogger(ModelBenchmark.class);

    private ModelBenchmark() {}

    /**
     * @param gflopPerSecond effective rate: the multiply-adds the prefill actually performs (weight GEMMs, full
     *                       attention score and value GEMMs, lm_head) ×2 / prefill seconds
     * @param profile        seconds per phase of the measured prefill (GEMM = weight GEMMs incl. lm_head;
     *                       ATTENTION = attention core incl. its own GEMMs; LAYER = all layers)
     * @param peakRssBytes   VmHWM of this process at the end (0 where /proc is absent)
     */
    public record Result(HymbaConfig config, int promptTokens, int decodeTokens, double loadSeconds,
                         double warmupSeconds, double prefillSeconds, double prefillCpuSeconds, double prefillTokensPerSecond,
                         double gflopPerSecond, double decodeSeconds, double decodeCpuSeconds, double decodeTokensPerSecond,
                         long rssAfterLoadBytes, long peakRssBytes, Map<Profile.Phase, Double> profile) {
        /** A multi-line human-readable summary. */
        public String summary() {
            StringBuilder sb = new StringBuilder();
            sb.append(BlasInfo.describe()).append(System.lineSeparator());
            sb.append(String.format("load %.1f s; prefill %d tokens (+%d meta): %.2f s = %.1f tok/s, %.0f GFLOP/s effective (warm-up run %.2f s)%n",
                    loadSeconds, promptTokens, config.numMemoryTokens(), prefillSeconds, prefillTokensPerSecond, gflopPerSecond, warmupSeconds));
            sb.append(String.format("process CPU time: prefill %.1f s, decode %.1f s (wall ≈ CPU/cores on an idle machine)%n",
                    prefillCpuSeconds, decodeCpuSeconds));
            sb.append(String.format("decode %d tokens: %.2f s = %.2f tok/s; RSS after load %.2f GB, peak RSS %.2f GB%n", decodeTokens, decodeSeconds,
                    decodeTokensPerSecond, rssAfterLoadBytes / 1e9, peakRssBytes / 1e9));
            double layer = profile.getOrDefault(Profile.Phase.LAYER, 0.0);
            sb.append(String.format("prefill profile: weight GEMMs %.2f s (%.0f%%), attention %.2f s (%.0f%%), scan %.2f s (%.0f%%), conv %.2f s, layers total %.2f s",
                    profile.get(Profile.Phase.GEMM), 100 * profile.get(Profile.Phase.GEMM) / prefillSeconds,
                    profile.get(Profile.Phase.ATTENTION), 100 * profile.get(Profile.Phase.ATTENTION) / prefillSeconds,
                    profile.get(Profile.Phase.SCAN), 100 * profile.get(Profile.Phase.SCAN) / prefillSeconds,
                    profile.get(Profile.Phase.CONV), layer));
            return sb.toString();
        }
    }

    public static Result run(Path modelDir, int promptTokens, int decodeTokens, long seed) {
        return run(modelDir, promptTokens, decodeTokens, seed, null);
    }

    /**
     * As {@link #run(Path, int, int, long)}; {@code extra}, if given, is called last with the warmed-up model and the
     * prompt ids (e.g. the tracing figures), so that a large model is loaded only once.
     */
    public static Result run(Path modelDir, int promptTokens, int decodeTokens, long seed, BiConsumer<HymbaModel, int[]> extra) {
        if (promptTokens < 1) throw new IllegalArgumentException("prompt tokens must be >= 1, got " + promptTokens);
        if (decodeTokens < 0) throw new IllegalArgumentException("decode tokens must be >= 0, got " + decodeTokens);
        long t0 = System.nanoTime();
        HymbaModel model = HymbaModel.load(modelDir);
        double load = secondsSince(t0);
        long rssAfterLoad = procStatus("VmRSS:");
        HymbaConfig c = model.config();
        int[] ids = new int[promptTokens];
        SplittableRandom rnd = new SplittableRandom(seed);
        ids[0] = c.bosTokenId();
        for (int i = 1; i < promptTokens; i++) ids[i] = 3 + rnd.nextInt(c.vocabSize() - 3);

        t0 = System.nanoTime();
        model.forward(ids, RunOptions.DEFAULT);
        double warm = secondsSince(t0);

        Profile.reset();
        Profile.enable(true);
        long cpu0 = cpuNanos();
        t0 = System.nanoTime();
        try {
            model.forward(ids, RunOptions.DEFAULT);
        } finally {
            Profile.enable(false);
        }
        double prefill = secondsSince(t0);
        double prefillCpu = (cpuNanos() - cpu0) / 1e9;
        Map<Profile.Phase, Double> profile = Profile.seconds();

        double decode = 0, decodeCpu = 0;
        if (decodeTokens > 0) {
            InferenceState st = model.newState(RunOptions.DEFAULT);
            ForwardResult r = model.step(st, ids, true);
            t0 = System.nanoTime();
            cpu0 = cpuNanos();
            for (int i = 0; i < decodeTokens; i++) r = model.step(st, new int[]{Generator.choose(r.row(0), Generator.Settings.greedy(1), null)}, true);
            decode = secondsSince(t0);
            decodeCpu = (cpuNanos() - cpu0) / 1e9;
        }
        Result res = new Result(c, promptTokens, decodeTokens, load, warm, prefill, prefillCpu, promptTokens / prefill,
                prefillFlops(c, promptTokens) / prefill / 1e9, decode, decodeCpu, decodeTokens == 0 ? 0 : decodeTokens / decode,
                rssAfterLoad, procStatus("VmHWM:"), profile);
        LOG.info("benchmark of {}:\n{}", modelDir, res.summary());
        if (extra != null) extra.accept(model, ids);
        return res;
    }

    /** Multiply-adds ×2 of one prefill of L tokens (T = M + L rows) as the engine computes it. */
    static double prefillFlops(HymbaConfig c, int promptTokens) {
        double t = c.numMemoryTokens() + promptTokens, d = c.hiddenSize(), inner = c.innerSize();
        double perRowWeights = 0;
        for (int l = 0; l < c.numHiddenLayers(); l++)
            perRowWeights += c.inProjRows(l) * d + (c.mambaDtRank() + 2.0 * c.mambaDState()) * inner + inner * c.mambaDtRank()
                    + d * inner + 3.0 * c.intermediateSize() * d;
        double attention = c.numHiddenLayers() * (double) c.numAttentionHeads() * t * t * (c.headDim() + c.valueHeadDim());
        return 2 * (t * perRowWeights + attention + promptTokens * (double) c.vocabSize() * d);
    }

    /** CPU time of the whole process (all threads, incl. OpenBLAS), or 0 when the platform does not say. */
    private static long cpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os)
            return Math.max(0, os.getProcessCpuTime());
        return 0;
    }

    /** A size field of /proc/self/status (VmRSS, VmHWM) in bytes; 0 where /proc is absent. */
    private static long procStatus(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status")))
                if (line.startsWith(field)) return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        } catch (IOException | RuntimeException e) {
            LOG.debug("no /proc/self/status: {}", e.toString());
        }
        return 0;
    }

    private static double secondsSince(long t0) { return (System.nanoTime() - t0) / 1e9; }

    /** Arguments: model dir, prompt tokens (default 512), decode tokens (default 16). Results go to the log. */
    public static void main(String[] args) {
        if (args.length < 1) throw new IllegalArgumentException("usage: ModelBenchmark MODEL_DIR [PROMPT_TOKENS] [DECODE_TOKENS]");
        run(Path.of(args[0]), args.length > 1 ? Integer.parseInt(args[1]) : 512, args.length > 2 ? Integer.parseInt(args[2]) : 16, 1);
    }
}
