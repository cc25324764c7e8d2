package dev.hymba.workbench.run;

/**
 * Static facts about one decoder layer in this run (after ablations).
 *
 * @param global       true for full attention, false for sliding-window attention
 * @param window       sliding-window size in tokens (ignored when global)
 * @param kvProducer   the layer whose K/V this layer reuses (its own index when it produces K/V)
 */
public record LayerInfo(int index, boolean global, int window, int kvProducer) {
    public LayerInfo {
        if (index < 0) throw new IllegalArgumentException("layer index must be >= 0, got " + index);
        if (!global && window <= 0) throw new IllegalArgumentException("layer " + index + ": local attention needs window > 0, got " + window);
        if (kvProducer < 0 || kvProducer > index)
            throw new IllegalArgumentException("layer " + index + ": KV producer must be in [0, " + index + "], got " + kvProducer);
    }

    public boolean kvConsumer() { return kvProducer != index; }
}
