package dev.hymba.workbench.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Deterministic runs for tests: causal, row-stochastic maps with a meta-token sink whose strength varies by layer and
 * head, plus local layers that respect a sliding window. Shapes only, no model behind them.
 */
public final class SyntheticRuns {
    private SyntheticRuns() {}

    public static InMemoryRunData run(int meta, int promptTokens, int layers, int heads, int window, long seed) {
        int t = meta + 1 + promptTokens;
        List<TokenInfo> tokens = new ArrayList<>();
        for (int i = 0; i < meta; i++) tokens.add(new TokenInfo(i, -1, "[m" + i + "]", TokenKind.META));
        tokens.add(new TokenInfo(meta, 1, "<s>", TokenKind.BOS));
        List<Integer> ids = new ArrayList<>(List.of(1)); // the ids the model saw: BOS first, as in a real trace
        for (int i = 0; i < promptTokens; i++) {
            tokens.add(new TokenInfo(meta + 1 + i, 100 + i, " w" + i, TokenKind.TEXT));
            ids.add(100 + i);
        }
        List<LayerInfo> infos = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            boolean global = l == 0 || l == layers / 2 || l == layers - 1;
            infos.add(new LayerInfo(l, global, global ? 0 : window, l % 2 == 1 && !global && l - 1 > 0 ? l - 1 : l));
        }
        Random rnd = new Random(seed);
        AttentionMap[][] maps = new AttentionMap[layers][heads];
        for (int l = 0; l < layers; l++)
            for (int h = 0; h < heads; h++)
                maps[l][h] = map(t, meta, infos.get(l).global() ? 0 : window, 0.2 + 0.6 * ((l + h) % 4) / 3.0, rnd);
        RunProvenance p = new RunProvenance("synthetic", "", "synthetic prompt", ids, "{}", "test");
        return new InMemoryRunData(p, tokens, infos, maps, Map.of());
    }

    /** Row i: sink mass on meta token 0 (or key 0), the rest spread over the allowed keys with random weights. */
    public static AttentionMap map(int t, int meta, int window, double sink, Random rnd) {
        float[] v = new float[t * t];
        for (int i = 0; i < t; i++) {
            double sum = 0;
            for (int j = 0; j <= i; j++) {
                boolean allowed = window == 0 || i - j <= window || j < meta;
                if (!allowed) continue;
                double w = 0.05 + rnd.nextDouble();
                v[i * t + j] = (float) w;
                sum += w;
            }
            double rest = i == 0 ? 1 : 1 - sink;
            for (int j = 0; j <= i; j++) v[i * t + j] = (float) (v[i * t + j] / sum * rest);
            if (i > 0) v[i * t] += (float) sink;
        }
        return new AttentionMap(t, t, v);
    }
}
