package dev.hymba.workbench.run;

/**
 * What a run adapter needs from one layer's weights besides the trace: the fusion scales (Fusion view) and the SSM's
 * A = −exp(A_log) [I, N] and D [I], which with the traced Δ, B, C and u give the hidden attention (analyses.md d.2).
 * Any part may be null when unknown.
 */
public record LayerStatics(FusionScales scales, float[] ssmA, float[] ssmD) {}
