package dev.hymba.core.model;

import java.util.*;
import java.util.function.IntConsumer;

/**
 * Autoregressive generation on top of {@link HymbaModel#step}: greedy (temperature 0) or sampling with
 * temperature, top-k and top-p, seeded; stops at EOS or after {@code maxNewTokens}. Each new token is passed to a
 * callback as soon as it is chosen, for streaming.
 */
public final class Generator {
    /** Sampling settings. temperature 0 = greedy; topK 0 = no limit; topP 1 = no nucleus cut. */
    public record Settings(int maxNewTokens, double temperature, int topK, double topP, long seed, boolean stopAtEos) {
        public Settings {
            if (maxNewTokens < 0) throw new IllegalArgumentException("max new tokens must be >= 0, got " + maxNewTokens);
            if (temperature < 0 || !Double.isFinite(temperature)) throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
            if (topK < 0) throw new IllegalArgumentException("top-k must be >= 0, got " + topK);
            if (!(topP > 0 && topP <= 1)) throw new IllegalArgumentException("top-p must be in (0, 1], got " + topP);
        }

        public static Settings greedy(int maxNewTokens) { return new Settings(maxNewTokens, 0, 0, 1, 0, true); }
    }

    public record Result(int[] tokens, String stopReason) {}

    private final HymbaModel model;

    public Generator(HymbaModel model) { this.model = model; }

    public Result generate(int[] prompt, Settings s, RunOptions options, IntConsumer onToken) {
        if (prompt.length == 0) throw new IllegalArgumentException("the prompt has no tokens");
        InferenceState st = model.newState(options);
        Random rnd = new Random(s.seed());
        ForwardResult r = model.step(st, prompt, true);
        List<Integer> out = new ArrayList<>();
        String reason = "length";
        for (int i = 0; i < s.maxNewTokens(); i++) {
            if (options.isCancelled()) { reason = "cancelled"; break; }
            int next = choose(r.row(0), s, rnd);
            out.add(next);
            onToken.accept(next);
            if (s.stopAtEos() && next == model.config().eosTokenId()) { reason = "eos"; break; }
            if (i + 1 < s.maxNewTokens()) r = model.step(st, new int[]{next}, true);
        }
        return new Result(out.stream().mapToInt(Integer::intValue).toArray(), reason);
    }

    /** Picks the next token from one row of logits. */
    static int choose(float[] logits, Settings s, Random rnd) {
        if (s.temperature() == 0) {
            int best = 0;
            for (int i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
            return best;
        }
        Integer[] order = new Integer[logits.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Float.compare(logits[b], logits[a]));
        int keep = s.topK() > 0 ? Math.min(s.topK(), order.length) : order.length;
        double max = logits[order[0]];
        double[] p = new double[keep];
        double sum = 0;
        for (int i = 0; i < keep; i++) {
            p[i] = Math.exp((logits[order[i]] - max) / s.temperature());
            sum += p[i];
        }
        // Nucleus: the smallest prefix whose probability reaches top-p.
        double acc = 0;
        int cut = keep;
        for (int i = 0; i < keep; i++) {
            acc += p[i] / sum;
            if (acc >= s.topP()) { cut = i + 1; break; }
        }
        double total = 0;
        for (int i = 0; i < cut; i++) total += p[i];
        double x = rnd.nextDouble() * total;
        for (int i = 0; i < cut; i++) {
            x -= p[i];
            if (x <= 0) return order[i];
        }
        return order[cut - 1];
    }
}
