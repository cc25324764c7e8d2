/**
 * Inference-time interventions as data: {@link dev.hymba.core.ablation.AblationSpec} (immutable, composable,
 * versioned JSON, always labelled out of distribution when non-empty), its elements
 * ({@link dev.hymba.core.ablation.AblationElement}, {@link dev.hymba.core.ablation.MetaMode}) and validation against a
 * {@link dev.hymba.core.ablation.ModelShape} with errors that name the JSON path
 * ({@link dev.hymba.core.ablation.AblationSpecException}). Applying a spec is the engine's job
 * ({@code dev.hymba.core.intervention.AblationCompiler}).
 */
package dev.hymba.core.ablation;
