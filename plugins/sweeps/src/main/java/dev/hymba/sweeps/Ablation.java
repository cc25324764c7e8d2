package dev.hymba.sweeps;

import dev.hymba.core.ablation.AblationSpec;

/**
 * One point of the grid: a single-intervention {@link AblationSpec} and its stable key.
 *
 * @param key    unique within a sweep, stable across runs (e.g. {@code head:3:1:zero:pre_norm}); with the prompt id
 *               it keys a result row
 * @param layer  the layer it acts on, −1 for meta variants
 * @param unit   the head or SSM block index, −1 for other families
 */
public record Ablation(String key, GridEntry.Family family, int layer, int unit, AblationSpec spec) {}
