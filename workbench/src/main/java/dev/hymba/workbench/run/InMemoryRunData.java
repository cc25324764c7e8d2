package dev.hymba.workbench.run;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A run whose maps and metrics are all held in memory. The metrics are computed from the maps with the
 * definitions of analyses.md unless given explicitly, so tests can check view models against hand-derived values.
 *
 * @param maps attention maps indexed [layer][head]
 */
public record InMemoryRunData(RunProvenance provenance, List<TokenInfo> tokens, List<LayerInfo> layers,
                              AttentionMap[][] maps, Map<HeadMetric, double[][]> metrics) implements RunData {

    public InMemoryRunData {
        Objects.requireNonNull(provenance, "provenance");
        tokens = List.copyOf(tokens);
        layers = List.copyOf(layers);
        metrics = Map.copyOf(metrics);
        if (maps.length != layers.size())
            throw new IllegalArgumentException("maps cover " + maps.length + " layers, run has " + layers.size());
        for (int l = 0; l < maps.length; l++)
            for (int h = 0; h < maps[l].length; h++)
                if (maps[l][h].queries() != tokens.size() || maps[l][h].keys() != tokens.size())
                    throw new IllegalArgumentException("map (" + l + ", " + h + ") is " + maps[l][h].queries() + "x"
                            + maps[l][h].keys() + ", expected " + tokens.size() + "x" + tokens.size());
    }

    @Override public int attentionHeads() { return maps.length == 0 ? 0 : maps[0].length; }

    @Override public AttentionMap attention(int layer, int head) { return maps[layer][head]; }

    @Override
    public double headMetric(HeadMetric metric, int layer, int head) {
        double[][] given = metrics.get(metric);
        if (given != null) return given[layer][head];
        return AttentionMetrics.compute(metric, maps[layer][head], metaCount(), bosPosition());
    }

    @Override
    public RegionMasses regionMasses(int layer, int head) {
        return AttentionMetrics.regionMasses(maps[layer][head], metaCount(), bosPosition());
    }
}
