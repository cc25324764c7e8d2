package dev.hymba.core.patching;

import dev.hymba.core.hook.HookPoint;

import java.util.Arrays;
import java.util.Objects;

/**
 * Where the clean activation replaces the corrupted one: a hook point (full name, e.g. {@code layers.3.resid_pre}),
 * optionally restricted to prompt positions and/or heads.
 *
 * @param positions prompt positions 0..L−1 (meta rows excluded; they are identical in both runs); null = every row
 * @param heads     head blocks of the point's columns (see {@link ActivationPatching#headCount}); null = every column
 */
public record PatchSite(String point, int[] positions, int[] heads) {
    public PatchSite {
        Objects.requireNonNull(point, "point");
        if (HookPoint.suffixOf(point).equals(HookPoint.ATTN_PATTERN))
            throw new IllegalArgumentException("point " + point + ": attention patterns are not patched (patch attn.q/k/v or attn.out)");
        if (HookPoint.suffixOf(point).equals(HookPoint.SSM_STATE))
            throw new IllegalArgumentException("point " + point + ": ssm.state is a read-only statistic");
        positions = positions == null ? null : positions.clone();
        heads = heads == null ? null : heads.clone();
    }

    public static PatchSite all(String point) { return new PatchSite(point, null, null); }

    public static PatchSite positions(String point, int... positions) { return new PatchSite(point, positions, null); }

    public static PatchSite heads(String point, int... heads) { return new PatchSite(point, null, heads); }

    @Override
    public String toString() {
        return point + (positions == null ? "" : " positions " + Arrays.toString(positions)) + (heads == null ? "" : " heads " + Arrays.toString(heads));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PatchSite s && s.point.equals(point) && Arrays.equals(s.positions, positions) && Arrays.equals(s.heads, heads);
    }

    @Override
    public int hashCode() { return Objects.hash(point, Arrays.hashCode(positions), Arrays.hashCode(heads)); }
}
