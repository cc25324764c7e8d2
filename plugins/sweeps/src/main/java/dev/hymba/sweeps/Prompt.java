package dev.hymba.sweeps;

import java.util.Arrays;

/**
 * One prompt of a sweep, tokenised.
 *
 * @param index      its line order in the prompt set (0-based, blank lines not counted)
 * @param ids        prompt tokens followed by the target continuation's tokens
 * @param targetFrom index in {@code ids} of the first target token, or −1 without a target
 * @param foil       the competing token for {@link Metric#LOGIT_DIFF}, or −1
 */
public record Prompt(int index, String id, int[] ids, int targetFrom, int foil) {
    public Prompt {
        ids = ids.clone();
    }

    @Override
    public int[] ids() { return ids.clone(); }

    public boolean hasTarget() { return targetFrom >= 0; }

    /** The first logit row whose next token is scored (loss, KL). */
    public int firstScoredRow() { return hasTarget() ? targetFrom - 1 : 0; }

    @Override
    public boolean equals(Object o) {
        return o instanceof Prompt p && p.index == index && p.id.equals(id) && Arrays.equals(p.ids, ids)
                && p.targetFrom == targetFrom && p.foil == foil;
    }

    @Override
    public int hashCode() { return 31 * id.hashCode() + Arrays.hashCode(ids); }

    @Override
    public String toString() { return "Prompt[" + index + " " + id + " " + Arrays.toString(ids) + " target@" + targetFrom + "]"; }
}
