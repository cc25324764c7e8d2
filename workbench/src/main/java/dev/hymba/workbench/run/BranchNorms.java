package dev.hymba.workbench.run;

/**
 * Per-position magnitudes of one layer's two branches (issue 4, Fusion view; paper Fig. 12).
 *
 * @param attentionOut ‖attention output‖ before its fusion norm, per position (null when the branch was off)
 * @param ssmOut       ‖SSM output‖ before its fusion norm, per position (null when the branch was off)
 * @param ssmShare     ρ_t = ‖SSM term‖ / (‖attention term‖ + ‖SSM term‖) after the β-scaled norms (analyses §d.8)
 */
public record BranchNorms(float[] attentionOut, float[] ssmOut, float[] ssmShare) {}
