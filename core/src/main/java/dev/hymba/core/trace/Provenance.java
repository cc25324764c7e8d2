package dev.hymba.core.trace;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a run came from, carried by every trace and every exported figure or array.
 *
 * @param ablationJson the ablation spec of the run as JSON ("{}" for the model as trained)
 * @param outOfDistribution true when the run changed the model's structure (ablations): label figures accordingly
 */
public record Provenance(String engineVersion, String modelPath, String modelFingerprint, String configSummary,
                         String ablationJson, boolean outOfDistribution, String prompt, int[] tokenIds, Instant date) {
    public static final String ENGINE_VERSION = "hymba-workbench-core 0.1.0";

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("engine_version", engineVersion);
        m.put("model_path", modelPath);
        m.put("model_fingerprint_sha256", modelFingerprint);
        m.put("config", configSummary);
        m.put("ablation", ablationJson);
        m.put("out_of_distribution", outOfDistribution);
        m.put("prompt", prompt);
        m.put("token_ids", tokenIds);
        m.put("date", date.toString());
        return m;
    }
}
