package dev.hymba.core.model;

import dev.hymba.core.config.FusionMode;
import dev.hymba.core.config.HymbaConfig;
import dev.hymba.core.hook.HookPoint;
import dev.hymba.core.hook.Hooks;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

import java.util.stream.IntStream;

/**
 * One Hymba decoder layer over a chunk of rows (architecture §3.2): input norm, fused in_proj, the attention branch
 * and the Mamba-1 SSM branch on the same input, the two pre-average RMS norms with β₁/β₂ and their mean, out_proj,
 * residual, SwiGLU MLP, residual. Stacked fusion (issue 3) runs the branches one after the other instead.
 */
final class LayerRunner {
    private final HymbaConfig c;
    private final HymbaWeights w;
    private final Rope rope;
    private final InferenceState st;
    private final Hooks hooks;
    private final RunOptions o;
    private final int d, I, H, Hkv, dh, dv, N, R, K;
    private final AttentionKernel attention;

    LayerRunner(HymbaConfig c, HymbaWeights w, Rope rope, InferenceState st) {
        this.c = c;
        this.w = w;
        this.rope = rope;
        this.st = st;
        this.o = st.options;
        this.hooks = o.hooks();
        d = c.hiddenSize();
        I = c.innerSize();
        H = c.numAttentionHeads();
        Hkv = c.numKeyValueHeads();
        dh = c.headDim();
        dv = c.valueHeadDim();
        N = c.mambaDState();
        R = c.mambaDtRank();
        K = c.mambaDConv();
        attention = new AttentionKernel(H, Hkv, dh, dv);
    }

    private float[] hook(int l, String point, float[] v, int... shape) {
        String name = HookPoint.layer(l, point);
        if (!hooks.wants(name)) return v;
        long t0 = Profile.start();
        float[] out = hooks.apply(name, v, shape);
        Profile.end(Profile.Phase.HOOKS, t0);
        return out;
    }

    /** x: [n, d] at absolute positions st.position … → the layer output [n, d]. */
    float[] run(int l, float[] x, int n) {
        long t0 = Profile.start();
        float[] out = runLayer(l, x, n);
        Profile.end(Profile.Phase.LAYER, t0);
        return out;
    }

    private float[] runLayer(int l, float[] x, int n) {
        LayerWeights lw = w.layers().get(l);
        x = hook(l, HookPoint.RESID_PRE, x, n, d);
        FusionMode mode = o.fusionOverride(l).orElse(c.fusionMode());
        boolean attnOn = !o.attentionOff(l), ssmOn = !o.ssmOff(l);
        float[] mid;
        if (mode == FusionMode.FUSED) {
            float[] h = Numerics.rmsNorm(x, n, d, lw.inputNorm(), c.rmsNormEps());
            float[] p = lw.inProj().apply(h, n);
            int rows = lw.inProj().out();
            if (!attnOn) cacheOwnKv(l, p, rows, n);
            float[] an = attnOn ? attentionTerm(l, lw, p, rows, n) : null;
            float[] mn = ssmOn ? ssmTerm(l, lw, p, rows, n) : null;
            float[] fused = new float[n * I];
            if (an != null) for (int i = 0; i < fused.length; i++) fused[i] += an[i];
            if (mn != null) for (int i = 0; i < fused.length; i++) fused[i] += mn[i];
            for (int i = 0; i < fused.length; i++) fused[i] *= 0.5f;
            float[] mixer = hook(l, HookPoint.MIXER_OUT, lw.outProj().apply(fused, n), n, d);
            mid = add(x, mixer);
        } else {
            // Stacked: x1 = x + A(x), x2 = x1 + S(x1) (attention first), each half from its own input norm + in_proj.
            boolean attnFirst = mode == FusionMode.STACKED_ATTN_FIRST;
            float[] cur = x;
            float[] mixerSum = new float[n * d];
            for (int pass = 0; pass < 2; pass++) {
                boolean doAttn = (pass == 0) == attnFirst;
                if (doAttn ? !attnOn : !ssmOn) continue;
                float[] h = Numerics.rmsNorm(cur, n, d, lw.inputNorm(), c.rmsNormEps());
                float[] p = lw.inProj().apply(h, n);
                if (!doAttn && !attnOn) cacheOwnKv(l, p, lw.inProj().out(), n);
                float[] term = doAttn ? attentionTerm(l, lw, p, lw.inProj().out(), n) : ssmTerm(l, lw, p, lw.inProj().out(), n);
                for (int i = 0; i < term.length; i++) term[i] *= 0.5f;
                float[] out = lw.outProj().apply(term, n);
                for (int i = 0; i < out.length; i++) mixerSum[i] += out[i];
                cur = add(cur, out);
            }
            if (hooks.wants(HookPoint.layer(l, HookPoint.MIXER_OUT))) {
                float[] edited = hook(l, HookPoint.MIXER_OUT, mixerSum, n, d);
                cur = add(x, edited);
            }
            mid = cur;
        }
        mid = hook(l, HookPoint.RESID_MID, mid, n, d);
        float[] h2 = Numerics.rmsNorm(mid, n, d, lw.preMlpNorm(), c.rmsNormEps());
        float[] g = lw.gate().apply(h2, n);
        float[] u = lw.up().apply(h2, n);
        VectorMath.silu(g, g);
        for (int i = 0; i < g.length; i++) g[i] *= u[i];
        float[] mlp = hook(l, HookPoint.MLP_OUT, lw.down().apply(g, n), n, d);
        return hook(l, HookPoint.RESID_POST, add(mid, mlp), n, d);
    }

    private static float[] add(float[] a, float[] b) {
        float[] r = new float[a.length];
        for (int i = 0; i < a.length; i++) r[i] = a[i] + b[i];
        return r;
    }

    private static float[] columns(float[] p, int rows, int width, int from, int count) {
        float[] out = new float[rows * count];
        for (int r = 0; r < rows; r++) System.arraycopy(p, r * width + from, out, r * count, count);
        return out;
    }

    // ---------------------------------------------------------------- attention branch

    /** β₁ ⊙ attn / r_a for the chunk (the normalised attention stream, before the ½ and out_proj). */
    private float[] attentionTerm(int l, LayerWeights lw, float[] p, int width, int n) {
        float[] attn = attention(l, p, width, n);
        attn = hook(l, HookPoint.ATTN_OUT, attn, n, I);
        float[] an = Numerics.rmsNorm(attn, n, I, lw.beta1(), c.rmsNormEps());
        return hook(l, HookPoint.FUSION_ATTN_NORM, an, n, I);
    }

    private int window(int l) {
        AttentionOverride ov = o.attentionOverride(l).orElse(null);
        if (ov != null) return ov.kind() == AttentionOverride.Kind.GLOBAL ? Integer.MAX_VALUE : adjustForDecode(ov.window());
        return c.isGlobal(l) ? Integer.MAX_VALUE : adjustForDecode(c.slidingWindow());
    }

    /** The released decode path trims its cache to W−1 past positions (§3.6); optional, for token-exact parity. */
    private int adjustForDecode(int window) {
        return o.referenceDecodeWindow() && st.position > 0 ? window - 1 : window;
    }

    private float[] attention(int l, float[] p, int width, int n) {
        int p0 = st.position;
        float[] q = columns(p, n, width, 0, d);
        rope.apply(q, n, H, p0);
        q = hook(l, HookPoint.ATTN_Q, q, n, H * dh);
        int producer = c.kvProducerOf(l);
        KvCache cache = st.kv[producer];
        if (producer == l) {
            cacheOwnKv(l, p, width, n);
        } else if (hooks.wants(HookPoint.layer(l, HookPoint.ATTN_K)) || hooks.wants(HookPoint.layer(l, HookPoint.ATTN_V))) {
            // A consumer sees the producer's K/V of this chunk; an edit here applies to this layer only.
            float[] k = hook(l, HookPoint.ATTN_K, cache.lastKeys(n), n, Hkv * dh);
            float[] v = hook(l, HookPoint.ATTN_V, cache.lastValues(n), n, Hkv * dv);
            KvCache local = copyWithLast(cache, n, k, v);
            cache = local;
        }
        long t0 = Profile.start();
        float[] out = attend(l, q, n, p0, cache);
        Profile.end(Profile.Phase.ATTENTION, t0);
        return out;
    }

    /**
     * Computes this chunk's post-RoPE K/V of an own-KV layer and appends them to its cache. Called also when the
     * layer's attention branch is off: the layers that reuse its K/V still need them.
     */
    private void cacheOwnKv(int l, float[] p, int width, int n) {
        if (c.isKvConsumer(l)) return;
        int p0 = st.position;
        float[] k = columns(p, n, width, d, Hkv * dh);
        float[] v = columns(p, n, width, d + Hkv * dh, Hkv * dv);
        rope.apply(k, n, Hkv, p0);
        k = hook(l, HookPoint.ATTN_K, k, n, Hkv * dh);
        v = hook(l, HookPoint.ATTN_V, v, n, Hkv * dv);
        st.kv[l].append(k, v, n, p0);
    }

    private static KvCache copyWithLast(KvCache src, int n, float[] k, float[] v) {
        KvCache copy = new KvCache(src.kWidth(), src.vWidth());
        int rows = src.rows();
        float[] ks = java.util.Arrays.copyOf(src.keys(), rows * src.kWidth());
        float[] vs = java.util.Arrays.copyOf(src.values(), rows * src.vWidth());
        int[] pos = java.util.Arrays.copyOf(src.positions(), rows);
        // Rows keep their positions; only the chunk's rows change.
        for (int r = 0; r < rows; r++) {
            float[] kr = java.util.Arrays.copyOfRange(ks, r * src.kWidth(), (r + 1) * src.kWidth());
            float[] vr = java.util.Arrays.copyOfRange(vs, r * src.vWidth(), (r + 1) * src.vWidth());
            copy.append(kr, vr, 1, pos[r]);
        }
        copy.replaceLast(n, k, v);
        return copy;
    }

    /** softmax(q·kᵀ/√dh + mask)·v for every head; GQA: query head h uses KV head ⌊h/(H/Hkv)⌋. */
    private float[] attend(int l, float[] q, int n, int p0, KvCache cache) {
        int tk = cache.rows();
        java.util.function.UnaryOperator<float[]> pattern = hooks.wants(HookPoint.layer(l, HookPoint.ATTN_PATTERN))
                ? probs -> hook(l, HookPoint.ATTN_PATTERN, probs, H, n, tk) : null;
        return attention.attend(q, n, p0, cache, window(l), st.metaCount(), pattern);
    }

    // ---------------------------------------------------------------- SSM branch

    /** β₂ ⊙ ssm / r_m for the chunk. */
    private float[] ssmTerm(int l, LayerWeights lw, float[] p, int width, int n) {
        int xOff = width - 2 * I, zOff = width - I;
        float[] x = columns(p, n, width, xOff, I);
        float[] z = columns(p, n, width, zOff, I);
        long t0c = Profile.start();
        float[] u = causalConv(l, lw, x, n);
        Profile.end(Profile.Phase.CONV, t0c);
        u = hook(l, HookPoint.SSM_CONV_OUT, u, n, I);
        float[] dbc = lw.xProj().apply(u, n);
        int dbcW = R + 2 * N;
        float[] dtLow = columns(dbc, n, dbcW, 0, R);
        float[] b = columns(dbc, n, dbcW, R, N);
        float[] cc = columns(dbc, n, dbcW, R + N, N);
        if (c.mambaInnerLayernorms()) {
            dtLow = Numerics.rmsNorm(dtLow, n, R, lw.dtNorm(), c.rmsNormEps());
            b = Numerics.rmsNorm(b, n, N, lw.bNorm(), c.rmsNormEps());
            cc = Numerics.rmsNorm(cc, n, N, lw.cNorm(), c.rmsNormEps());
        }
        b = hook(l, HookPoint.SSM_B, b, n, N);
        cc = hook(l, HookPoint.SSM_C, cc, n, N);
        float[] delta = lw.dtProj().apply(dtLow, n);
        float[] bias = lw.dtBias();
        VectorMath.softplusWithBias(delta, n, I, bias);
        delta = hook(l, HookPoint.SSM_DELTA, delta, n, I);
        float[] gate = new float[z.length];
        VectorMath.silu(z, gate);
        boolean wantNorms = hooks.wants(HookPoint.layer(l, HookPoint.SSM_STATE));
        float[] norms = wantNorms ? new float[n * I] : null;
        long t0 = Profile.start();
        float[] y = scan(lw, u, delta, b, cc, gate, n, st.ssmState[l], norms);
        Profile.end(Profile.Phase.SCAN, t0);
        if (wantNorms) hook(l, HookPoint.SSM_STATE, norms, n, I);
        y = hook(l, HookPoint.SSM_OUT, y, n, I);
        float[] mn = Numerics.rmsNorm(y, n, I, lw.beta2(), c.rmsNormEps());
        return hook(l, HookPoint.FUSION_SSM_NORM, mn, n, I);
    }

    /** silu(bias + Σ_k w[c,k]·x_{t−K+1+k}[c]) with the previous chunk's last K−1 inputs as left context. */
    private float[] causalConv(int l, LayerWeights lw, float[] x, int n) {
        float[] tail = st.convTail[l];
        float[] wc = lw.convW(), bias = lw.convBias();
        float[] out = new float[n * I];
        int ctx = K - 1;
        Numerics.rowsParallel(n, I * K, t -> {
            for (int ch = 0; ch < I; ch++) {
                float acc = bias[ch];
                for (int k = 0; k < K; k++) {
                    int src = t - ctx + k; // index into the chunk; negative means the carried tail
                    float xv = src >= 0 ? x[src * I + ch] : tail[(ctx + src) * I + ch];
                    acc += wc[ch * K + k] * xv;
                }
                out[t * I + ch] = acc;
            }
        });
        // Carry the last K−1 inputs (from the old tail where the chunk is shorter than that).
        float[] next = new float[ctx * I];
        for (int r = 0; r < ctx; r++) {
            int src = n - ctx + r;
            if (src >= 0) System.arraycopy(x, src * I, next, r * I, I);
            else System.arraycopy(tail, (ctx + src) * I, next, r * I, I);
        }
        st.convTail[l] = next;
        VectorMath.silu(out, out);
        return out;
    }

    /**
     * Mamba-1 selective scan (§3.2; selective_scan_ref): s_t = exp(Δ_t·A)⊙s_{t−1} + Δ_t·B_t·u_t,
     * y_t = C_t·s_t + D·u_t, out = y·silu(z). Channels are independent: parallel over channel blocks, vectorised
     * over the state dimension with the deterministic {@link VectorMath#exp}.
     */
    private float[] scan(LayerWeights lw, float[] u, float[] delta, float[] b, float[] cc, float[] gate, int n, float[] state, float[] norms) {
        float[] negA = lw.negA(), dSkip = lw.d();
        float[] y = new float[n * I];
        int step = VectorMath.SPECIES.length();
        int blocks = Math.max(1, Math.min(I, 64));
        int per = (I + blocks - 1) / blocks;
        IntStream.range(0, blocks).parallel().forEach(blk -> {
            float[] s = new float[N];
            float[] lanes = new float[step];
            int c0 = blk * per, c1 = Math.min(I, c0 + per);
            for (int ch = c0; ch < c1; ch++) {
                if (N == step) scanOneVector(ch, n, negA, dSkip[ch], u, delta, b, cc, gate, state, y, norms, lanes);
                else scanChannel(ch, n, negA, dSkip[ch], u, delta, b, cc, gate, state, y, norms, s, lanes);
            }
        });
        return y;
    }

    /**
     * One channel when the state is exactly one vector (d_state 16 with 16 float lanes, the 1.5B model on AVX-512):
     * the state stays in a register for the whole chunk, no masks. Same operations in the same order as
     * {@link #scanChannel}, so the same bits.
     */
    private void scanOneVector(int ch, int n, float[] negA, float dSkip, float[] u, float[] delta, float[] b, float[] cc,
                               float[] gate, float[] state, float[] y, float[] norms, float[] lanes) {
        var sp = VectorMath.SPECIES;
        FloatVector a = FloatVector.fromArray(sp, negA, ch * N);
        FloatVector sv = FloatVector.fromArray(sp, state, ch * N);
        for (int t = 0; t < n; t++) {
            float dt = delta[t * I + ch], uc = u[t * I + ch];
            FloatVector dA = VectorMath.exp(a.mul(dt));
            sv = dA.mul(sv).add(FloatVector.fromArray(sp, b, t * N).mul(dt * uc));
            float yv = VectorMath.sumLanes(FloatVector.fromArray(sp, cc, t * N).mul(sv), lanes) + dSkip * uc;
            y[t * I + ch] = yv * gate[t * I + ch];
            if (norms != null) norms[t * I + ch] = (float) Math.sqrt(VectorMath.sumLanes(sv.mul(sv), lanes));
        }
        sv.intoArray(state, ch * N);
    }

    /** One channel, any d_state: the state in s, vector by vector with masks for the tail. */
    private void scanChannel(int ch, int n, float[] negA, float dSkip, float[] u, float[] delta, float[] b, float[] cc,
                             float[] gate, float[] state, float[] y, float[] norms, float[] s, float[] lanes) {
        var sp = VectorMath.SPECIES;
        int step = sp.length();
        System.arraycopy(state, ch * N, s, 0, N);
        for (int t = 0; t < n; t++) {
            float dt = delta[t * I + ch], uc = u[t * I + ch];
            float du = dt * uc;
            FloatVector acc = FloatVector.zero(sp);
            FloatVector sq = FloatVector.zero(sp);
            for (int i = 0; i < N; i += step) {
                VectorMask<Float> m = VectorMath.mask(i, N);
                FloatVector dA = VectorMath.exp(FloatVector.fromArray(sp, negA, ch * N + i, m).mul(dt));
                FloatVector bv = FloatVector.fromArray(sp, b, t * N + i, m);
                FloatVector sv = FloatVector.fromArray(sp, s, i, m);
                sv = dA.mul(sv).add(bv.mul(du));
                sv.intoArray(s, i, m);
                FloatVector cv = FloatVector.fromArray(sp, cc, t * N + i, m);
                acc = acc.add(cv.mul(sv), m);
                sq = sq.add(sv.mul(sv), m);
            }
            float yv = VectorMath.sumLanes(acc, lanes) + dSkip * uc;
            y[t * I + ch] = yv * gate[t * I + ch];
            if (norms != null) norms[t * I + ch] = (float) Math.sqrt(VectorMath.sumLanes(sq, lanes));
        }
        System.arraycopy(s, 0, state, ch * N, N);
    }
}
