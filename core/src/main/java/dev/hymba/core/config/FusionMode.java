package dev.hymba.core.config;

/**
 * How a layer combines its attention and SSM branches.
 * FUSED is Hymba as released: x + A(x) + S(x). The stacked modes run the branches one after the other with the same
 * weights (x1 = x + A(x), x2 = x1 + S(x1) for ATTN_FIRST; the mirror image for SSM_FIRST), then the MLP.
 * A checkpoint trained stacked says so in config.json with {@code "fusion_mode": "stacked_attn_first"}.
 */
public enum FusionMode {
    FUSED("fused"), STACKED_ATTN_FIRST("stacked_attn_first"), STACKED_SSM_FIRST("stacked_ssm_first");

    private final String jsonName;

    FusionMode(String jsonName) { this.jsonName = jsonName; }

    public String jsonName() { return jsonName; }

    public static FusionMode fromJson(String s) {
        for (FusionMode m : values()) if (m.jsonName.equals(s)) return m;
        throw new ConfigException("fusion_mode: '" + s + "' is not one of fused, stacked_attn_first, stacked_ssm_first");
    }
}
