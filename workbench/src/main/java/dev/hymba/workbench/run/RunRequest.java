package dev.hymba.workbench.run;

import java.util.Objects;

/**
 * What to run: a model folder, a prompt, and an ablation spec as JSON text ("{}" = baseline).
 *
 * @param chatTemplate wrap the prompt in the model's chat template (Instruct models)
 */
public record RunRequest(String model, String prompt, String ablationSpec, boolean chatTemplate) {
    public RunRequest {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(prompt, "prompt");
        ablationSpec = ablationSpec == null || ablationSpec.isBlank() ? "{}" : ablationSpec;
    }

    public RunRequest withAblation(String spec) { return new RunRequest(model, prompt, spec, chatTemplate); }
}
