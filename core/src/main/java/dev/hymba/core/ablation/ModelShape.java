package dev.hymba.core.ablation;

import dev.hymba.core.config.HymbaConfig;

import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * What an {@link AblationSpec} is validated against.
 *
 * @param layers       number of layers L
 * @param heads        query heads H (SSM channel blocks: also H, each I/H channels)
 * @param kvHeads      KV heads
 * @param innerSize    SSM inner width I (must be a multiple of H)
 * @param globalLayers layers with full causal attention
 * @param kvProducer   for each layer, the layer whose K/V it uses (itself for own-K/V layers)
 */
public record ModelShape(int layers, int heads, int kvHeads, int innerSize, Set<Integer> globalLayers,
                         List<Integer> kvProducer) {

    public ModelShape {
        if (layers <= 0 || heads <= 0 || kvHeads <= 0 || innerSize <= 0)
            throw new IllegalArgumentException("model shape sizes must be > 0: layers=" + layers + " heads=" + heads
                    + " kvHeads=" + kvHeads + " innerSize=" + innerSize);
        if (innerSize % heads != 0)
            throw new IllegalArgumentException("innerSize " + innerSize + " is not a multiple of heads " + heads);
        globalLayers = Set.copyOf(globalLayers);
        kvProducer = List.copyOf(kvProducer);
        if (kvProducer.size() != layers)
            throw new IllegalArgumentException("kvProducer has " + kvProducer.size() + " entries for " + layers + " layers");
    }

    /** The shape of a loaded model's configuration. */
    public static ModelShape of(HymbaConfig c) {
        return new ModelShape(c.numHiddenLayers(), c.numAttentionHeads(), c.numKeyValueHeads(), c.innerSize(),
                Set.copyOf(c.globalAttnIdx()),
                IntStream.range(0, c.numHiddenLayers()).map(c::kvProducerOf).boxed().toList());
    }

    /** Channels per SSM block (= value channels per attention head). */
    public int blockSize() { return innerSize / heads; }

    public boolean isKvProducer(int layer) { return kvProducer.get(layer) == layer; }

    /** Layers that reuse {@code producer}'s K/V (excluding itself). */
    public List<Integer> consumersOf(int producer) {
        return IntStream.range(0, layers).filter(l -> l != producer && kvProducer.get(l) == producer).boxed().toList();
    }
}
