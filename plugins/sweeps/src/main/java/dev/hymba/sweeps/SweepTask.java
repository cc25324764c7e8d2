package dev.hymba.sweeps;

/**
 * One unit of work: one prompt × ablations [{@code from}, {@code to}) of the plan; its baseline is run once and
 * reused for every ablation of the batch. The id is stable across runs, so a rerun can skip or replace it.
 */
public record SweepTask(int index, String id, int promptIndex, int from, int to) {
    public int size() { return to - from; }
}
