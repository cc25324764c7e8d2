package dev.hymba.workbench.app;

import java.util.Map;

/**
 * What "Save workspace" keeps: the model, the prompt, the ablation spec (JSON text as shown in the ablations panel),
 * the open view and each view's settings.
 *
 * @param viewSettings per view id, that view's settings
 */
public record Workspace(int version, String model, String prompt, String ablationSpec, String openView,
                        Map<String, Map<String, String>> viewSettings) {
    public static final int CURRENT_VERSION = 1;

    public Workspace {
        model = model == null ? "" : model;
        prompt = prompt == null ? "" : prompt;
        ablationSpec = ablationSpec == null || ablationSpec.isBlank() ? "{}" : ablationSpec;
        openView = openView == null ? "" : openView;
        viewSettings = viewSettings == null ? Map.of() : Map.copyOf(viewSettings);
    }
}
