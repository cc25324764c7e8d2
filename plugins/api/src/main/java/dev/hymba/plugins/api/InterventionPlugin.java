package dev.hymba.plugins.api;

import java.util.List;
import java.util.Map;

/**
 * An ablation or intervention type. Its settings travel inside the ablation spec JSON as
 * {@code {"plugin": TYPE, "params": {...}}}; the host validates them with {@link #validate} and compiles them into hook
 * edits for each run.
 */
public interface InterventionPlugin extends HymbaPlugin {
    /** The type name used in ablation JSON (usually the plugin id). */
    default String type() { return info().id(); }

    /** Checks params; throws IllegalArgumentException naming the bad field. Returns a one-line description. */
    String validate(Map<String, Object> params, ModelDims dims);

    List<HookEdit> compile(Map<String, Object> params, ModelDims dims);

    /** The sizes an intervention may need to validate its parameters. */
    record ModelDims(int layers, int hiddenSize, int heads, int kvHeads, int innerSize, int metaTokens, int vocabSize) {}
}
