package dev.hymba.core.trace;

import java.util.List;

/**
 * What a trace keeps of one layer. Arrays are row-major over the T positions of the run (meta first).
 *
 * @param window       attention window of the run (Integer.MAX_VALUE = global)
 * @param kvProducer   layer whose K/V this layer used
 * @param q            [T, H·dh] post-RoPE queries (for on-demand maps)
 * @param k            [T, Hkv·dh] post-RoPE keys this layer attended with
 * @param ssmInput     [T, I] u = silu(conv(x)), the scan input
 * @param delta        [T, I] Δ
 * @param b            [T, N] B after its norm
 * @param c            [T, N] C after its norm
 * @param stateNorms   [T, I] ‖s_t[c,:]‖₂
 * @param attnRms      [T] r_a: RMS of the attention stream per token (null when the branch was off)
 * @param ssmRms       [T] r_m
 * @param attnTermNorm [T] ‖β₁⊙a/r_a‖ per token
 * @param ssmTermNorm  [T] ‖β₂⊙m/r_m‖ per token
 * @param attnOutNorm  [T] ‖attn_out‖ before the norm (Fig. 12 magnitudes)
 * @param ssmOutNorm   [T] ‖ssm_out‖ before the norm
 * @param metaHidden   [M, d] residual stream at the meta positions leaving this layer
 * @param heads        per-head attention statistics (empty when the attention branch was off)
 * @param trust        result of the attention reconstruction check
 */
public record LayerTrace(int layer, int window, int kvProducer, float[] q, float[] k, float[] ssmInput, float[] delta,
                         float[] b, float[] c, float[] stateNorms, float[] attnRms, float[] ssmRms, float[] attnTermNorm,
                         float[] ssmTermNorm, float[] attnOutNorm, float[] ssmOutNorm, float[] metaHidden,
                         List<HeadSummary> heads, TrustCheck trust) {

    /** Dynamic branch share ρ_t = ‖SSM term‖ / (‖attention term‖ + ‖SSM term‖) (analyses §d.8). */
    public float[] branchShare() {
        int T = attnTermNorm != null ? attnTermNorm.length : ssmTermNorm.length;
        float[] rho = new float[T];
        for (int t = 0; t < T; t++) {
            double a = attnTermNorm == null ? 0 : attnTermNorm[t], m = ssmTermNorm == null ? 0 : ssmTermNorm[t];
            rho[t] = (float) (a + m == 0 ? 0 : m / (a + m));
        }
        return rho;
    }

    /** Outcome of recomputing attention from q/k and multiplying by V against the stream the engine used. */
    public record TrustCheck(Status status, int rowsChecked, double maxAbsDiff, double maxAbsRef) {
        public enum Status { PASSED, FAILED, SKIPPED_ABLATED, SKIPPED_BRANCH_OFF }

        public String describe() {
            return switch (status) {
                case PASSED -> "passed: " + rowsChecked + " rows, max|diff| " + String.format("%.2e", maxAbsDiff) + " (max|ref| " + String.format("%.2e", maxAbsRef) + ")";
                case FAILED -> "FAILED: " + rowsChecked + " rows, max|diff| " + String.format("%.2e", maxAbsDiff) + " exceeds 1e-5 of max|ref| " + String.format("%.2e", maxAbsRef);
                case SKIPPED_ABLATED -> "skipped: the run ablates this layer's attention stream";
                case SKIPPED_BRANCH_OFF -> "skipped: attention branch off";
            };
        }
    }
}
