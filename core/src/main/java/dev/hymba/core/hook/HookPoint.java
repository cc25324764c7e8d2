package dev.hymba.core.hook;

/**
 * Names of the engine's hook points. Values are row-major float arrays; shapes below use T = rows of the current
 * chunk (meta tokens included, meta first), d = hidden size, I = SSM inner width, H = heads, dh/dv = q-k/value head
 * dims, Hkv = KV heads, N = SSM state size, R = dt rank, V = vocabulary.
 *
 * <table>
 * <tr><th>name</th><th>shape</th><th>meaning</th></tr>
 * <tr><td>embed</td><td>[L, d]</td><td>token embeddings (no scaling)</td></tr>
 * <tr><td>meta</td><td>[M, d]</td><td>meta-token rows prepended to the sequence (after the meta mode)</td></tr>
 * <tr><td>layers.i.resid_pre</td><td>[T, d]</td><td>residual stream entering layer i</td></tr>
 * <tr><td>layers.i.attn.q</td><td>[T, H·dh]</td><td>queries after RoPE</td></tr>
 * <tr><td>layers.i.attn.k</td><td>[T, Hkv·dh]</td><td>keys after RoPE; consumers see the producer's keys they use</td></tr>
 * <tr><td>layers.i.attn.v</td><td>[T, Hkv·dv]</td><td>values; consumers see the producer's values they use</td></tr>
 * <tr><td>layers.i.attn.pattern</td><td>[H, T, Tk]</td><td>attention probabilities (Tk = keys visible to the chunk); materialised only when wanted</td></tr>
 * <tr><td>layers.i.attn.out</td><td>[T, I]</td><td>attention branch output, head-major (head h = columns h·dv…), before the pre-average norm</td></tr>
 * <tr><td>layers.i.ssm.conv_out</td><td>[T, I]</td><td>silu(causal conv(x)), the scan input u</td></tr>
 * <tr><td>layers.i.ssm.delta</td><td>[T, I]</td><td>Δ = softplus(dt_proj(RMSNorm(dt_low)) + bias)</td></tr>
 * <tr><td>layers.i.ssm.B</td><td>[T, N]</td><td>B after its RMSNorm</td></tr>
 * <tr><td>layers.i.ssm.C</td><td>[T, N]</td><td>C after its RMSNorm</td></tr>
 * <tr><td>layers.i.ssm.state</td><td>[T, I]</td><td>‖s_t[c,:]‖₂, state norm after step t (read-only)</td></tr>
 * <tr><td>layers.i.ssm.out</td><td>[T, I]</td><td>SSM branch output y·silu(z) incl. D·u, before the pre-average norm</td></tr>
 * <tr><td>layers.i.fusion.attn_norm</td><td>[T, I]</td><td>β₁ ⊙ attn/r_a (normalised attention stream)</td></tr>
 * <tr><td>layers.i.fusion.ssm_norm</td><td>[T, I]</td><td>β₂ ⊙ ssm/r_m (normalised SSM stream)</td></tr>
 * <tr><td>layers.i.mixer_out</td><td>[T, d]</td><td>out_proj of the fused streams (sum of both branch terms)</td></tr>
 * <tr><td>layers.i.resid_mid</td><td>[T, d]</td><td>residual after the mixer</td></tr>
 * <tr><td>layers.i.mlp_out</td><td>[T, d]</td><td>SwiGLU MLP output</td></tr>
 * <tr><td>layers.i.resid_post</td><td>[T, d]</td><td>residual leaving layer i</td></tr>
 * <tr><td>final_norm</td><td>[L, d]</td><td>final RMSNorm output of the prompt rows (meta rows dropped)</td></tr>
 * <tr><td>logits</td><td>[L, V]</td><td>output logits</td></tr>
 * </table>
 * Writers may replace any value except {@code ssm.state} (a derived statistic) with an array of the same length.
 */
public final class HookPoint {
    public static final String EMBED = "embed";
    public static final String META = "meta";
    public static final String FINAL_NORM = "final_norm";
    public static final String LOGITS = "logits";

    public static final String RESID_PRE = "resid_pre";
    public static final String ATTN_Q = "attn.q";
    public static final String ATTN_K = "attn.k";
    public static final String ATTN_V = "attn.v";
    public static final String ATTN_PATTERN = "attn.pattern";
    public static final String ATTN_OUT = "attn.out";
    public static final String SSM_CONV_OUT = "ssm.conv_out";
    public static final String SSM_DELTA = "ssm.delta";
    public static final String SSM_B = "ssm.B";
    public static final String SSM_C = "ssm.C";
    public static final String SSM_STATE = "ssm.state";
    public static final String SSM_OUT = "ssm.out";
    public static final String FUSION_ATTN_NORM = "fusion.attn_norm";
    public static final String FUSION_SSM_NORM = "fusion.ssm_norm";
    public static final String MIXER_OUT = "mixer_out";
    public static final String RESID_MID = "resid_mid";
    public static final String MLP_OUT = "mlp_out";
    public static final String RESID_POST = "resid_post";

    /** Every per-layer suffix, in the order the engine reaches them. */
    public static final java.util.List<String> LAYER_POINTS = java.util.List.of(RESID_PRE, ATTN_Q, ATTN_K, ATTN_V, ATTN_PATTERN,
            ATTN_OUT, SSM_CONV_OUT, SSM_DELTA, SSM_B, SSM_C, SSM_STATE, SSM_OUT, FUSION_ATTN_NORM, FUSION_SSM_NORM,
            MIXER_OUT, RESID_MID, MLP_OUT, RESID_POST);

    private HookPoint() {}

    /** The full name of a per-layer point, e.g. {@code layers.3.attn.out}. */
    public static String layer(int layer, String point) { return "layers." + layer + "." + point; }

    /** Layer index of a full per-layer name, or -1. */
    public static int layerOf(String name) {
        if (!name.startsWith("layers.")) return -1;
        int dot = name.indexOf('.', 7);
        return dot < 0 ? -1 : Integer.parseInt(name.substring(7, dot));
    }

    /** The per-layer suffix of a full name (e.g. {@code attn.out}), or the name itself for model-level points. */
    public static String suffixOf(String name) {
        if (!name.startsWith("layers.")) return name;
        int dot = name.indexOf('.', 7);
        return dot < 0 ? name : name.substring(dot + 1);
    }
}
