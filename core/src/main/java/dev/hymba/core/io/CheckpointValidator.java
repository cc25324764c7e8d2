package dev.hymba.core.io;

import dev.hymba.core.config.HymbaConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.*;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a checkpoint against the layout its config implies, before any compute: every tensor name, dtype and
 * shape. All problems are collected and reported together in one {@link CheckpointException} (one line each,
 * naming file, tensor, expected and actual), so a user fixes a broken checkpoint in one round.
 *
 * <p>Extra tensors are harmless unless they show that the config does not describe the checkpoint (layers beyond
 * num_hidden_layers, meta tokens when num_memory_tokens is 0, biases or inner norms the config turns off): those
 * are errors; any other extra tensor is logged as a warning and ignored. A present lm_head.weight with tied
 * embeddings is ignored with a warning too, as the reference does.
 */
public final class CheckpointValidator {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointValidator.class);
    private static final Pattern LAYER = Pattern.compile("model\\.layers\\.(\\d+)\\.(.+)");
    /** Per-layer tensors that exist only under some config switch; finding one the config did not ask for is a mismatch. */
    private static final Map<String, String> SWITCHED = Map.of(
            "mamba.conv1d.bias", "mamba_conv_bias is false",
            "mamba.in_proj.bias", "mamba_proj_bias is false",
            "mamba.out_proj.bias", "mamba_proj_bias is false",
            "mamba.dt_layernorm.weight", "mamba_inner_layernorms is false",
            "mamba.B_layernorm.weight", "mamba_inner_layernorms is false",
            "mamba.C_layernorm.weight", "mamba_inner_layernorms is false");

    private CheckpointValidator() {}

    /** What a successful validation found worth mentioning. */
    public record Report(List<String> warnings) {
        public Report { warnings = List.copyOf(warnings); }
    }

    /** Validates and returns the warnings, or throws one CheckpointException listing every problem. */
    public static Report validate(CheckpointFiles files, HymbaConfig config) {
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Set<String> expectedNames = new HashSet<>();
        for (CheckpointLayout.Expected e : CheckpointLayout.expected(config)) {
            expectedNames.add(e.name());
            Optional<TensorInfo> info = files.info(e.name());
            if (info.isEmpty()) {
                problems.add(files.dir() + ": tensor '" + e.name() + "' is missing (expected shape " + Arrays.toString(e.shape()) + ")");
                continue;
            }
            TensorInfo t = info.get();
            String where = files.fileOf(e.name()).map(Object::toString).orElse(files.dir().toString()) + ": tensor '" + e.name() + "'";
            if (!t.dtype().isFloatingWeight())
                problems.add(where + ": dtype " + t.dtype() + ", expected F32, BF16 or F16");
            if (!Arrays.equals(t.shape(), e.shape()))
                problems.add(where + ": shape " + t.shapeString() + ", expected " + Arrays.toString(e.shape()) + shapeHint(e.name(), config));
        }
        for (String name : files.names()) {
            if (expectedNames.contains(name)) continue;
            String where = files.fileOf(name).map(Object::toString).orElse(files.dir().toString()) + ": tensor '" + name + "'";
            String mismatch = configMismatch(name, config);
            if (mismatch != null) problems.add(where + ": unexpected, " + mismatch);
            else if (name.equals(CheckpointLayout.LM_HEAD)) warnings.add(where + ": present although tie_word_embeddings is true; ignored (embed_tokens is used)");
            else warnings.add(where + ": not part of the Hymba layout; ignored");
        }
        if (!problems.isEmpty()) {
            throw new CheckpointException("checkpoint " + files.dir() + " does not match its config (" + problems.size()
                    + (problems.size() == 1 ? " problem" : " problems") + "):\n  " + String.join("\n  ", problems));
        }
        warnings.forEach(LOG::warn);
        return new Report(warnings);
    }

    /** Why an extra tensor contradicts the config, or null when it is merely unknown. */
    private static String configMismatch(String name, HymbaConfig c) {
        if (name.equals(CheckpointLayout.META)) return "the config has num_memory_tokens = 0";
        Matcher m = LAYER.matcher(name);
        if (!m.matches()) return null;
        String layer = m.group(1);
        if (layer.length() > 6 || Integer.parseInt(layer) >= c.numHiddenLayers())
            return "layer " + layer + " does not exist (num_hidden_layers is " + c.numHiddenLayers() + ")";
        String why = SWITCHED.get(m.group(2));
        return why == null ? null : "the config says " + why;
    }

    /** For in_proj, say which row count belongs to which role, since a wrong kv_reuse_group shows up there. */
    private static String shapeHint(String name, HymbaConfig c) {
        Matcher m = LAYER.matcher(name);
        if (!m.matches() || !m.group(2).equals("mamba.in_proj.weight")) return "";
        int l = Integer.parseInt(m.group(1));
        return c.isKvConsumer(l)
                ? " (layer " + l + " reuses layer " + c.kvProducerOf(l) + "'s K/V per kv_reuse_group, so it has no k/v rows)"
                : " (layer " + l + " computes its own K/V, so it has q, k, v, x and z rows)";
    }
}
