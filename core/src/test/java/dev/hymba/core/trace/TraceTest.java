package dev.hymba.core.trace;
import dev.hymba.core.model.ArrayAsserts;
import dev.hymba.core.model.GoldenSet;

import dev.hymba.core.hook.HookPoint;
import dev.hymba.core.hook.Hooks;
import dev.hymba.core.model.*;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TraceTest {
    static GoldenSet golden;
    static HymbaModel model;
    static Trace trace;

    @BeforeAll
    static void run() {
        golden = GoldenSet.of("tiny-a");
        model = HymbaModel.load(golden.dir());
        trace = Tracer.run(model, Tracer.Request.of(golden.inputIds(), null, "golden ids"));
    }

    @Test
    void onDemandMapsReproduceTheGoldenProbabilities() {
        float[] probs = golden.array("attn_probs.npy").floats();
        int n = model.config().numHiddenLayers(), H = model.config().numAttentionHeads(), T = trace.positions();
        float[] all = new float[n * H * T * T];
        for (int l = 0; l < n; l++)
            for (int h = 0; h < H; h++) System.arraycopy(trace.attentionMap(l, h), 0, all, (l * H + h) * T * T, T * T);
        ArrayAsserts.assertClose("tiny-a on-demand attn_probs", probs, all);
    }

    @Test
    void trustCheckPassesOnEveryLayer() {
        for (LayerTrace lt : trace.layers()) {
            assertThat(lt.trust().status()).as("layer " + lt.layer() + ": " + lt.trust().describe()).isEqualTo(LayerTrace.TrustCheck.Status.PASSED);
            assertThat(lt.trust().rowsChecked()).isEqualTo(64 * model.config().numAttentionHeads());
        }
    }

    @Test
    void trustCheckReportsAnUndeclaredEditAndSkipsADeclaredOne() {
        Hooks halveAttention = new Hooks() {
            public boolean wants(String p) { return p.equals(HookPoint.layer(2, HookPoint.ATTN_OUT)); }
            public float[] apply(String p, float[] v, int[] s) {
                float[] r = v.clone();
                for (int i = 0; i < r.length; i++) r[i] *= 0.5f;
                return r;
            }
        };
        RunOptions o = RunOptions.builder().hooks(halveAttention).build();
        Trace undeclared = Tracer.run(model, new Tracer.Request(golden.inputIds(), null, "", o, "{}", Set.of(), false));
        assertThat(undeclared.layers().get(2).trust().status()).isEqualTo(LayerTrace.TrustCheck.Status.FAILED);
        assertThat(undeclared.layers().get(1).trust().status()).isEqualTo(LayerTrace.TrustCheck.Status.PASSED);
        Trace declared = Tracer.run(model, new Tracer.Request(golden.inputIds(), null, "", o, "{\"x\":1}", Set.of(2), true));
        assertThat(declared.layers().get(2).trust().status()).isEqualTo(LayerTrace.TrustCheck.Status.SKIPPED_ABLATED);
        assertThat(declared.provenance().outOfDistribution()).isTrue();
        assertThat(trace.provenance().outOfDistribution()).isFalse();
    }

    @Test
    void ssmArraysMatchGolden() {
        int n = model.config().numHiddenLayers(), T = trace.positions(), I = model.config().innerSize();
        float[] delta = new float[n * T * I], norms = new float[n * T * I];
        for (int l = 0; l < n; l++) {
            System.arraycopy(trace.layers().get(l).delta(), 0, delta, l * T * I, T * I);
            System.arraycopy(trace.layers().get(l).stateNorms(), 0, norms, l * T * I, T * I);
        }
        ArrayAsserts.assertClose("trace ssm_delta", golden.array("ssm_delta.npy").floats(), delta);
        ArrayAsserts.assertClose("trace ssm_state_norm", golden.array("ssm_state_norm.npy").floats(), norms);
    }

    @Test
    void branchNormsFollowFromTheGoldenStreams() {
        int T = trace.positions(), I = model.config().innerSize();
        float[] attnOut = golden.array("attn_out.npy").floats();
        float[] ssmOut = golden.array("ssm_out.npy").floats();
        for (int l : new int[]{0, 2, 5}) {
            LayerWeights lw = model.weights().layers().get(l);
            LayerTrace lt = trace.layers().get(l);
            float[] rho = lt.branchShare();
            for (int t = 0; t < T; t += 7) {
                double a = termNorm(attnOut, (l * T + t) * I, I, lw.beta1()), m = termNorm(ssmOut, (l * T + t) * I, I, lw.beta2());
                assertThat((double) lt.attnTermNorm()[t]).isCloseTo(a, within(1e-4 * a));
                assertThat((double) lt.ssmTermNorm()[t]).isCloseTo(m, within(1e-4 * m));
                assertThat((double) rho[t]).isCloseTo(m / (a + m), within(1e-5));
            }
        }
    }

    private static double termNorm(float[] x, int off, int n, float[] beta) {
        double ss = 0;
        for (int i = 0; i < n; i++) ss += (double) x[off + i] * x[off + i];
        double r = Math.sqrt(ss / n + 1e-6), out = 0;
        for (int i = 0; i < n; i++) out += Math.pow(beta[i] * x[off + i] / r, 2);
        return Math.sqrt(out);
    }

    @Test
    void headSummariesAgreeWithDirectComputationOnGoldenMaps() {
        float[] probs = golden.array("attn_probs.npy").floats();
        int H = model.config().numAttentionHeads(), T = trace.positions(), M = trace.metaCount();
        int l = 4, h = 3; // a local layer: window 16 < T
        HeadSummary s = trace.layers().get(l).heads().get(h);
        int base = (l * H + h) * T * T;
        double meta = 0, bos = 0, self = 0;
        for (int t = M; t < T; t++) {
            for (int u = 0; u < M; u++) meta += probs[base + t * T + u];
            bos += probs[base + t * T + M];
            if (t != M) self += probs[base + t * T + t];
        }
        int real = T - M;
        assertThat(s.metaMass()).isCloseTo(meta / real, within(1e-5));
        assertThat(s.bosMass()).isCloseTo(bos / real, within(1e-5));
        assertThat(s.selfMass()).isCloseTo(self / real, within(1e-5));
        assertThat(s.metaMass() + s.bosMass() + s.selfMass() + s.crossMass()).isCloseTo(1.0, within(1e-9));
        // Mask-aware α for the last meta token: every query after it sees it, so n_k = T − k there.
        int k = M - 1;
        double col = 0;
        for (int t = k; t < T; t++) col += probs[base + t * T + k];
        assertThat((double) s.alphaMaskAware()[k]).isCloseTo(col / (T - k), within(1e-5));
        // For a key deep in the sequence only W+1 queries see it.
        int key = M + 20;
        double colKey = 0;
        int seen = 0;
        for (int t = key; t < T; t++) if (t - key <= model.config().slidingWindow()) { colKey += probs[base + t * T + key]; seen++; }
        assertThat(seen).isEqualTo(model.config().slidingWindow() + 1);
        assertThat((double) s.alphaMaskAware()[key]).isCloseTo(colKey / seen, within(1e-5));
        assertThat((double) s.alphaOriginal()[key]).isCloseTo(colKey / (T - key), within(1e-5));
    }

    @Test
    void headSummaryOfTheWorkedVectorC1() {
        // analyses.md C1: A = [[1],[.5,.5],[.4,.3,.3],[.4,.2,.2,.2]] gives α = [0.575, 0.3333, 0.25, 0.20].
        float[] a = {1, 0, 0, 0, .5f, .5f, 0, 0, .4f, .3f, .3f, 0, .4f, .2f, .2f, .2f};
        HeadSummary s = HeadSummaries.of(a, 1, 4, 4, 0, false, Integer.MAX_VALUE).get(0);
        assertThat(s.alphaOriginal()).containsExactly(new float[]{0.575f, 1f / 3, 0.25f, 0.2f}, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(s.alphaMaskAware()).containsExactly(s.alphaOriginal(), org.assertj.core.data.Offset.offset(0f));
        assertThat(s.firstTokenScore()).isCloseTo((1 + .5 + .4 + .4) / 4, within(1e-6));
    }

    @Test
    void metaHiddenStatesAndNormsAreKept() {
        int M = trace.metaCount(), d = model.config().hiddenSize();
        float[] hidden = golden.array("hidden_states.npy").floats();
        int T = trace.positions();
        LayerTrace last = trace.layers().get(5);
        float[] expected = new float[M * d];
        System.arraycopy(hidden, 6 * T * d, expected, 0, M * d);
        ArrayAsserts.assertClose("meta hidden layer 5", expected, last.metaHidden());
        assertThat(trace.hiddenNorms()).hasNumberOfRows(model.config().numHiddenLayers() + 1);
        assertThat(trace.label(0)).isEqualTo("meta 0");
        assertThat(trace.provenance().modelFingerprint()).hasSize(64);
        assertThat(trace.layers().get(2).kvProducer()).isEqualTo(1);
    }

    @Test
    void traceOfARunWithoutAttentionHasNoMapsForThatLayer() {
        RunOptions o = RunOptions.builder().attentionOff(3).build();
        Trace t = Tracer.run(model, new Tracer.Request(golden.inputIds(), null, "", o, "{}", Set.of(), false));
        assertThat(t.layers().get(3).heads()).isEmpty();
        assertThat(t.layers().get(3).trust().status()).isEqualTo(LayerTrace.TrustCheck.Status.SKIPPED_BRANCH_OFF);
        assertThat(t.layers().get(3).branchShare()).containsOnly(1f);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> t.attentionMap(3, 0)).hasMessageContaining("without its attention branch");
        assertThat(List.of(t.layers().get(2).heads().size())).containsExactly(4);
    }
}
