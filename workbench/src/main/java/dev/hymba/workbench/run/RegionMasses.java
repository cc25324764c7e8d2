package dev.hymba.workbench.run;

/** Attention mass (mean over queries) on the meta tokens, BOS, the query itself and all other keys. */
public record RegionMasses(double meta, double bos, double self, double cross) {
    public RegionMasses {
        for (double v : new double[] {meta, bos, self, cross})
            if (!(v >= 0) || Double.isInfinite(v)) throw new IllegalArgumentException("region mass must be finite and >= 0, got " + v);
    }

    public double total() { return meta + bos + self + cross; }
}
