package dev.hymba.workbench.run;

import java.util.List;
import java.util.Objects;

/**
 * Where a run came from; copied into every export sidecar.
 *
 * @param model          model folder or name
 * @param modelHash      content hash of the checkpoint (empty when unknown)
 * @param prompt         the prompt text as typed
 * @param tokenIds       the ids the model saw (without meta tokens)
 * @param ablationSpec   the ablation spec as JSON text ("{}" for the baseline)
 * @param engineVersion  version of the engine that produced the run
 */
public record RunProvenance(String model, String modelHash, String prompt, List<Integer> tokenIds, String ablationSpec,
                            String engineVersion) {
    public RunProvenance {
        Objects.requireNonNull(model, "model");
        modelHash = modelHash == null ? "" : modelHash;
        Objects.requireNonNull(prompt, "prompt");
        tokenIds = List.copyOf(tokenIds);
        ablationSpec = ablationSpec == null || ablationSpec.isBlank() ? "{}" : ablationSpec;
        Objects.requireNonNull(engineVersion, "engineVersion");
    }

    /** True when the run had an ablation (a spec with at least one intervention). */
    public boolean ablated() { return !ablationSummary().isEmpty(); }

    /** The ablation in words ("" for the baseline; the raw JSON when the engine could not read it back). */
    public String ablationSummary() {
        if (ablationSpec.replaceAll("\\s", "").equals("{}")) return "";
        try {
            var spec = dev.hymba.core.ablation.AblationSpec.fromJson(ablationSpec);
            // the engine records even the baseline's spec in full ({"version":1,...}): empty means no ablation
            return spec.isEmpty() ? "" : String.join("; ", spec.describe());
        } catch (RuntimeException e) {
            return ablationSpec;
        }
    }
}
