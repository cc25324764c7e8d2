package dev.hymba.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;

/** Reads and validates a Hugging Face Hymba config.json. Unknown fields are ignored with a warning. */
public final class HymbaConfigParser {
    private static final Logger LOG = LoggerFactory.getLogger(HymbaConfigParser.class);
    // Python's json keeps the last of duplicate keys silently; we refuse them, and any text after the object.
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** Fields we read, plus fields of the released config that carry no meaning for the forward pass. */
    private static final Set<String> KNOWN = Set.of(
            "vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads", "num_key_value_heads",
            "intermediate_size", "rms_norm_eps", "tie_word_embeddings", "rope", "rope_theta", "rope_type",
            "max_position_embeddings", "orig_max_position_embeddings", "num_memory_tokens", "sliding_window",
            "global_attn_idx", "kv_reuse_group", "mamba_d_state", "mamba_d_conv", "mamba_expand", "mamba_dt_rank",
            "mamba_conv_bias", "mamba_proj_bias", "mamba_inner_layernorms", "hidden_act", "mlp_hidden_act",
            "bos_token_id", "eos_token_id", "pad_token_id", "fusion_mode",
            // informational / unused by the math (architecture §1)
            "architectures", "model_type", "auto_map", "attention_dropout", "attn_hidden_size", "attn_implementation",
            "attn_implementation_new", "calc_logits_for_entire_prompt", "conv_dim", "initializer_range", "kq_head_dim",
            "kq_norm", "kv_reuse_every_i_layer", "kv_weight_reuse", "layer_type", "memory_tokens_interspersed_every",
            "num_experts", "num_experts_per_tok", "num_mamba", "output_router_logits", "router_aux_loss_coef",
            "seq_length", "torch_dtype", "transformers_version", "use_cache", "use_mamba_kernels", "v_head_dim",
            "_name_or_path", "_pre_quantization_dtype");

    private HymbaConfigParser() {}

    public static HymbaConfig read(Path configJson) {
        String text;
        try {
            text = Files.readString(configJson);
        } catch (IOException e) {
            throw new ConfigException(configJson + ": cannot read (" + e.getMessage() + ")");
        }
        try {
            return parse(text);
        } catch (ConfigException e) {
            throw new ConfigException(configJson + ": " + e.getMessage());
        }
    }

    public static HymbaConfig parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            String m = e.getOriginalMessage() == null ? "" : e.getOriginalMessage().split("\n")[0];
            if (m.startsWith("Duplicate field")) throw new ConfigException("a field appears twice (" + m + ")");
            throw new ConfigException("not well-formed JSON (" + m + ")");
        } catch (IOException e) {
            String m = e.getMessage() == null ? "" : e.getMessage().split("\n")[0];
            throw new ConfigException("not well-formed JSON (" + m + ")");
        }
        if (root == null || !root.isObject()) throw new ConfigException("top level is not a JSON object");
        unknownFields(root).forEach(f -> LOG.warn("config.json: ignoring unknown field '{}'", f));
        if (root.has("model_type") && !"hymba".equals(root.get("model_type").asText()))
            throw new ConfigException("model_type: '" + root.get("model_type").asText() + "' is not 'hymba'");

        int d = posInt(root, "hidden_size", null);
        int layers = posInt(root, "num_hidden_layers", null);
        int heads = posInt(root, "num_attention_heads", null);
        int kvHeads = posInt(root, "num_key_value_heads", heads);
        int expand = posInt(root, "mamba_expand", 2);
        long inner = (long) expand * d;
        if (inner + d + 2 * inner > Integer.MAX_VALUE)
            throw new ConfigException("mamba_expand: inner width " + expand + "·" + d + " makes the projections too large for int sizes");
        if (d % heads != 0) throw new ConfigException("num_attention_heads: " + heads + " does not divide hidden_size " + d);
        if (heads % kvHeads != 0) throw new ConfigException("num_key_value_heads: " + kvHeads + " does not divide num_attention_heads " + heads);
        if ((expand * d) % heads != 0) throw new ConfigException("mamba_expand: inner width " + expand * d + " is not divisible by num_attention_heads " + heads);
        if (d / heads % 2 != 0) throw new ConfigException("num_attention_heads: head dim " + d / heads + " must be even for rotate-half RoPE");
        if (d / heads < 4) throw new ConfigException("num_attention_heads: head dim " + d / heads + " is below 4 (the NTK exponent dh/(dh−2) needs dh > 2)");
        if (root.has("v_head_dim") && root.get("v_head_dim").isIntegralNumber() && root.get("v_head_dim").asInt() != expand * d / heads)
            LOG.warn("config.json: v_head_dim {} is overwritten to mamba_expand*hidden_size/heads = {} (as the reference does)", root.get("v_head_dim").asInt(), expand * d / heads);
        if (root.has("num_experts") && root.get("num_experts").asInt(1) != 1)
            throw new ConfigException("num_experts: " + root.get("num_experts") + " is not supported (Hymba layers have one MLP)");
        if (root.has("num_mamba") && root.get("num_mamba").asInt(1) != 1)
            throw new ConfigException("num_mamba: " + root.get("num_mamba") + " is not supported (one SSM per layer)");
        if (root.has("memory_tokens_interspersed_every") && root.get("memory_tokens_interspersed_every").asInt(0) != 0)
            throw new ConfigException("memory_tokens_interspersed_every: interspersed meta tokens are not supported (released models use 0)");
        if (root.has("layer_type") && root.get("layer_type").isArray()) {
            JsonNode lt = root.get("layer_type");
            if (lt.size() != layers) throw new ConfigException("layer_type: has " + lt.size() + " entries but num_hidden_layers is " + layers);
            for (JsonNode t : lt) if (!"h".equals(t.asText())) throw new ConfigException("layer_type: '" + t.asText() + "' is not a hybrid layer 'h'");
        }

        List<Integer> globals = intList(root, "global_attn_idx");
        Set<Integer> seenG = new HashSet<>();
        for (int g : globals) {
            if (g < 0 || g >= layers) throw new ConfigException("global_attn_idx: layer " + g + " is outside 0.." + (layers - 1));
            if (!seenG.add(g)) throw new ConfigException("global_attn_idx: layer " + g + " is listed twice");
        }
        List<List<Integer>> groups = new ArrayList<>();
        JsonNode kv = root.get("kv_reuse_group");
        Set<Integer> inGroup = new HashSet<>();
        if (kv != null && !kv.isNull()) {
            if (!kv.isArray()) throw new ConfigException("kv_reuse_group: must be a list of lists of layer ids");
            for (JsonNode g : kv) {
                if (!g.isArray() || g.size() < 2) throw new ConfigException("kv_reuse_group: group " + g + " must list a producer and at least one consumer");
                List<Integer> ids = new ArrayList<>();
                for (JsonNode x : g) {
                    if (!x.isIntegralNumber() || !x.canConvertToInt()) throw new ConfigException("kv_reuse_group: " + x + " in group " + g + " is not a layer id");
                    int l = x.asInt();
                    if (l < 0 || l >= layers) throw new ConfigException("kv_reuse_group: layer " + l + " in group " + g + " is outside 0.." + (layers - 1));
                    if (!inGroup.add(l)) throw new ConfigException("kv_reuse_group: layer " + l + " appears more than once");
                    if (seenG.contains(l)) throw new ConfigException("kv_reuse_group: layer " + l + " is a global layer (global_attn_idx) and cannot share K/V");
                    ids.add(l);
                }
                for (int i = 1; i < ids.size(); i++)
                    if (ids.get(i) <= ids.get(0)) throw new ConfigException("kv_reuse_group: consumer " + ids.get(i) + " in group " + g + " comes before its producer " + ids.get(0));
                groups.add(ids);
            }
        }
        int window = posInt(root, "sliding_window", null);
        int meta = nonNegInt(root, "num_memory_tokens", 0);
        String ropeType = root.has("rope_type") && !root.get("rope_type").isNull() ? root.get("rope_type").asText() : "default";
        if (!ropeType.equals("ntk") && !ropeType.equals("default"))
            throw new ConfigException("rope_type: '" + ropeType + "' is not supported (ntk or default)");
        int maxPos = posInt(root, "max_position_embeddings", 8192);
        int origMaxPos = posInt(root, "orig_max_position_embeddings", maxPos);
        if (ropeType.equals("ntk") && 2L * maxPos <= origMaxPos)
            throw new ConfigException("orig_max_position_embeddings: " + origMaxPos + " is at least twice max_position_embeddings " + maxPos
                    + ", so the NTK factor 2·max/orig − 1 is not positive");
        String act = text(root, "hidden_act", "silu"), mlpAct = text(root, "mlp_hidden_act", "silu");
        if (!act.equals("silu")) throw new ConfigException("hidden_act: '" + act + "' is not supported (silu)");
        if (!mlpAct.equals("silu")) throw new ConfigException("mlp_hidden_act: '" + mlpAct + "' is not supported (silu)");
        double eps = number(root, "rms_norm_eps", 1e-6);
        double theta = number(root, "rope_theta", 10000.0);
        if (root.has("kq_norm") && !"none".equals(root.get("kq_norm").asText()))
            throw new ConfigException("kq_norm: '" + root.get("kq_norm").asText() + "' is not supported (none)");
        int dtRank = root.has("mamba_dt_rank") && !"auto".equals(root.get("mamba_dt_rank").asText())
                ? posInt(root, "mamba_dt_rank", null) : (int) Math.ceil(d / 16.0);
        FusionMode fusion = root.has("fusion_mode") ? FusionMode.fromJson(root.get("fusion_mode").asText()) : FusionMode.FUSED;
        int vocab = posInt(root, "vocab_size", null);
        int bos = nonNegInt(root, "bos_token_id", 1), eos = nonNegInt(root, "eos_token_id", 2), pad = nonNegInt(root, "pad_token_id", 0);
        if (bos >= vocab) throw new ConfigException("bos_token_id: " + bos + " is not below vocab_size " + vocab);
        if (eos >= vocab) throw new ConfigException("eos_token_id: " + eos + " is not below vocab_size " + vocab);
        if (pad >= vocab) throw new ConfigException("pad_token_id: " + pad + " is not below vocab_size " + vocab);
        HymbaConfig config = new HymbaConfig(
                vocab, d, layers, heads, kvHeads, posInt(root, "intermediate_size", null), eps,
                bool(root, "tie_word_embeddings", true), bool(root, "rope", true), theta, ropeType, maxPos, origMaxPos,
                meta, window, globals, groups,
                posInt(root, "mamba_d_state", 16), posInt(root, "mamba_d_conv", 4), expand, dtRank,
                bool(root, "mamba_conv_bias", true), bool(root, "mamba_proj_bias", false), bool(root, "mamba_inner_layernorms", true),
                act, mlpAct, bos, eos, pad, fusion);
        double base = config.ropeBase();
        if (!(base > 0) || !Double.isFinite(base))
            throw new ConfigException("rope_theta: the NTK-scaled RoPE base " + base + " is not a positive finite number");
        return config;
    }

    /**
     * The config as a Hugging Face style config.json tree that {@link #parse} reads back to an equal config. It also
     * carries the fixed fields of the released file (model_type, layer_type, num_experts...) so the reference code
     * could load it. fusion_mode is written only when it is not the released FUSED mode.
     */
    public static com.fasterxml.jackson.databind.node.ObjectNode toJsonTree(HymbaConfig c) {
        var o = JSON.createObjectNode();
        o.putArray("architectures").add("HymbaForCausalLM");
        o.put("model_type", "hymba");
        o.put("vocab_size", c.vocabSize());
        o.put("hidden_size", c.hiddenSize());
        o.put("num_hidden_layers", c.numHiddenLayers());
        o.put("num_attention_heads", c.numAttentionHeads());
        o.put("num_key_value_heads", c.numKeyValueHeads());
        o.put("intermediate_size", c.intermediateSize());
        o.put("rms_norm_eps", c.rmsNormEps());
        o.put("tie_word_embeddings", c.tieWordEmbeddings());
        o.put("rope", c.rope());
        o.put("rope_theta", c.ropeTheta());
        o.put("rope_type", c.ropeType());
        o.put("max_position_embeddings", c.maxPositionEmbeddings());
        o.put("orig_max_position_embeddings", c.origMaxPositionEmbeddings());
        o.put("num_memory_tokens", c.numMemoryTokens());
        o.put("memory_tokens_interspersed_every", 0);
        o.put("sliding_window", c.slidingWindow());
        var g = o.putArray("global_attn_idx");
        c.globalAttnIdx().forEach(g::add);
        var kv = o.putArray("kv_reuse_group");
        for (List<Integer> group : c.kvReuseGroups()) {
            var a = kv.addArray();
            group.forEach(a::add);
        }
        o.put("mamba_d_state", c.mambaDState());
        o.put("mamba_d_conv", c.mambaDConv());
        o.put("mamba_expand", c.mambaExpand());
        o.put("mamba_dt_rank", c.mambaDtRank());
        o.put("mamba_conv_bias", c.mambaConvBias());
        o.put("mamba_proj_bias", c.mambaProjBias());
        o.put("mamba_inner_layernorms", c.mambaInnerLayernorms());
        o.put("hidden_act", c.hiddenAct());
        o.put("mlp_hidden_act", c.mlpHiddenAct());
        o.put("bos_token_id", c.bosTokenId());
        o.put("eos_token_id", c.eosTokenId());
        o.put("pad_token_id", c.padTokenId());
        var lt = o.putArray("layer_type");
        for (int i = 0; i < c.numHiddenLayers(); i++) lt.add("h");
        o.put("num_experts", 1);
        o.put("num_mamba", 1);
        o.put("kq_norm", "none");
        o.put("v_head_dim", c.valueHeadDim());
        if (c.fusionMode() != FusionMode.FUSED) o.put("fusion_mode", c.fusionMode().jsonName());
        return o;
    }

    /** {@link #toJsonTree} as pretty-printed text. */
    public static String toJson(HymbaConfig c) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(toJsonTree(c));
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise a config", e);
        }
    }

    private static int posInt(JsonNode root, String field, Integer dflt) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            if (dflt == null) throw new ConfigException(field + ": required field is missing");
            return dflt;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) throw new ConfigException(field + ": " + n + " is not an integer");
        if (n.asInt() <= 0) throw new ConfigException(field + ": " + n.asInt() + " must be positive");
        return n.asInt();
    }

    private static int nonNegInt(JsonNode root, String field, int dflt) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) return dflt;
        if (!n.isIntegralNumber() || !n.canConvertToInt()) throw new ConfigException(field + ": " + n + " is not an integer");
        if (n.asInt() < 0) throw new ConfigException(field + ": " + n.asInt() + " must not be negative");
        return n.asInt();
    }

    /** Top-level fields the parser neither reads nor knows as informational; they are ignored with a warning. */
    static List<String> unknownFields(JsonNode root) {
        List<String> out = new ArrayList<>();
        root.fieldNames().forEachRemaining(f -> { if (!KNOWN.contains(f)) out.add(f); });
        return out;
    }

    private static double number(JsonNode root, String field, double dflt) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) return dflt;
        if (!n.isNumber()) throw new ConfigException(field + ": " + n + " is not a number");
        double v = n.asDouble();
        if (!(v > 0) || !Double.isFinite(v)) throw new ConfigException(field + ": " + n + " must be a positive number");
        return v;
    }

    private static boolean bool(JsonNode root, String field, boolean dflt) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) return dflt;
        if (!n.isBoolean()) throw new ConfigException(field + ": " + n + " is not true/false");
        return n.asBoolean();
    }

    private static String text(JsonNode root, String field, String dflt) {
        JsonNode n = root.get(field);
        return n == null || n.isNull() ? dflt : n.asText();
    }

    private static List<Integer> intList(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) return List.of();
        if (!n.isArray()) throw new ConfigException(field + ": must be a list of layer ids");
        List<Integer> out = new ArrayList<>();
        for (JsonNode x : n) {
            if (!x.isIntegralNumber() || !x.canConvertToInt()) throw new ConfigException(field + ": " + x + " is not a layer id");
            out.add(x.asInt());
        }
        return out;
    }
}
