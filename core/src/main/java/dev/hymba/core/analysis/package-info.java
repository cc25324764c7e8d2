/**
 * Pure computations over captured arrays for every analysis the workbench shows (definitions:
 * {@code shared/docs/analyses.md}). Nothing here calls the engine; inputs are row-major {@code float[]} with explicit
 * sizes, outputs are arrays or small records.
 * <ul>
 *   <li>Masks and attention sinks (§c): {@link dev.hymba.core.analysis.AttentionMask},
 *       {@link dev.hymba.core.analysis.HeadStatistics} (streaming, O(T) per head) and
 *       {@link dev.hymba.core.analysis.AttentionStatistics} (all heads of a pass) yielding
 *       {@link dev.hymba.core.analysis.HeadSummary}; whole-map forms in {@link dev.hymba.core.analysis.SinkMetrics};
 *       high-norm tokens and massive activations in {@link dev.hymba.core.analysis.ActivationOutliers}.</li>
 *   <li>SSM (§d.2–d.7): {@link dev.hymba.core.analysis.SsmTensors} (+ {@link dev.hymba.core.analysis.ConvGate}),
 *       {@link dev.hymba.core.analysis.HiddenAttention} (α per channel / block, unified Ã),
 *       {@link dev.hymba.core.analysis.SsmScan} (state norms, retention, half-life, horizon, meta-prefix share).</li>
 *   <li>Fusion (§d.8): {@link dev.hymba.core.analysis.Fusion}. Cross-branch (§d.9):
 *       {@link dev.hymba.core.analysis.CrossBranch}, {@link dev.hymba.core.analysis.Locality}.</li>
 *   <li>Run comparison: {@link dev.hymba.core.analysis.RunComparison}, {@link dev.hymba.core.analysis.MetricTable}.</li>
 * </ul>
 */
package dev.hymba.core.analysis;
