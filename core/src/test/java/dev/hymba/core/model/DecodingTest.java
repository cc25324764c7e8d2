package dev.hymba.core.model;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DecodingTest {

    /** Token-by-token decoding must give the prefill logits at every position, also far past the window. */
    @ParameterizedTest
    @ValueSource(strings = {"tiny-a", "tiny-b"})
    void tokenByTokenEqualsPrefill(String set) {
        GoldenSet g = GoldenSet.of(set);
        HymbaModel m = HymbaModel.load(g.dir());
        int[] ids = g.inputIds();
        ForwardResult prefill = m.forward(ids, RunOptions.DEFAULT);
        InferenceState st = m.newState(RunOptions.DEFAULT);
        float[] stepwise = new float[prefill.logits().length];
        int V = m.config().vocabSize();
        for (int t = 0; t < ids.length; t++) {
            ForwardResult r = m.step(st, new int[]{ids[t]}, false);
            System.arraycopy(r.logits(), 0, stepwise, t * V, V);
        }
        assertThat(ids.length + m.config().numMemoryTokens()).isGreaterThan(m.config().slidingWindow() + m.config().numMemoryTokens() + 10);
        ArrayAsserts.assertClose(set + " decode vs prefill", prefill.logits(), stepwise);
    }

    @Test
    void chunkedPrefillEqualsOnePrefill() {
        GoldenSet g = GoldenSet.of("tiny-a");
        HymbaModel m = HymbaModel.load(g.dir());
        int[] ids = g.inputIds();
        ForwardResult whole = m.forward(ids, RunOptions.DEFAULT);
        InferenceState st = m.newState(RunOptions.DEFAULT);
        ForwardResult a = m.step(st, java.util.Arrays.copyOfRange(ids, 0, 30), false);
        ForwardResult b = m.step(st, java.util.Arrays.copyOfRange(ids, 30, ids.length), false);
        float[] joined = new float[whole.logits().length];
        System.arraycopy(a.logits(), 0, joined, 0, a.logits().length);
        System.arraycopy(b.logits(), 0, joined, a.logits().length, b.logits().length);
        ArrayAsserts.assertClose("chunked prefill", whole.logits(), joined);
    }

    /** The released decode path sees W−1 past positions: identical until the first position past the window. */
    @Test
    void referenceDecodeWindowDiffersOnlyPastTheWindow() {
        GoldenSet g = GoldenSet.of("tiny-a");
        HymbaModel m = HymbaModel.load(g.dir());
        int[] ids = g.inputIds();
        int M = m.config().numMemoryTokens(), W = m.config().slidingWindow(), V = m.config().vocabSize();
        RunOptions ref = RunOptions.builder().referenceDecodeWindow(true).build();
        InferenceState a = m.newState(RunOptions.DEFAULT), b = m.newState(ref);
        // Prefill the first token, then decode one by one.
        m.step(a, new int[]{ids[0]}, false);
        m.step(b, new int[]{ids[0]}, false);
        int firstDifferent = -1;
        for (int t = 1; t < ids.length; t++) {
            float[] la = m.step(a, new int[]{ids[t]}, false).logits();
            float[] lb = m.step(b, new int[]{ids[t]}, false).logits();
            double diff = 0;
            for (int i = 0; i < V; i++) diff = Math.max(diff, Math.abs(la[i] - lb[i]));
            if (diff > 1e-6 && firstDifferent < 0) firstDifferent = t;
            if (M + t < M + W) assertThat(diff).as("position %d within the window", M + t).isZero();
        }
        // The key at distance W from query position p is a real token once p − W ≥ M: the first such p is M + W.
        assertThat(firstDifferent).isEqualTo(W);
    }

    @Test
    void cacheIsTrimmedForLocalLayersButKeepsMetaRows() {
        GoldenSet g = GoldenSet.of("tiny-a");
        HymbaModel m = HymbaModel.load(g.dir());
        InferenceState st = m.newState(RunOptions.DEFAULT);
        m.forward(g.inputIds(), RunOptions.DEFAULT);
        m.step(st, g.inputIds(), false);
        int M = m.config().numMemoryTokens(), W = m.config().slidingWindow();
        assertThat(st.kv[1].rows()).isEqualTo(M + W); // local producer: meta + the last W positions
        assertThat(st.kv[0].rows()).isEqualTo(st.position()); // global: everything
        for (int r = 0; r < M; r++) assertThat(st.kv[1].positions()[r]).isEqualTo(r);
    }

    @Test
    void greedyGenerationFollowsArgmaxOfPrefill() {
        GoldenSet g = GoldenSet.of("tiny-a");
        HymbaModel m = HymbaModel.load(g.dir());
        int[] prompt = java.util.Arrays.copyOf(g.inputIds(), 20);
        List<Integer> streamed = new ArrayList<>();
        Generator.Result r = new Generator(m).generate(prompt, new Generator.Settings(8, 0, 0, 1, 0, false), RunOptions.DEFAULT, streamed::add);
        assertThat(r.tokens()).hasSize(8);
        assertThat(streamed).containsExactly(java.util.Arrays.stream(r.tokens()).boxed().toArray(Integer[]::new));
        int[] seq = prompt;
        for (int tok : r.tokens()) {
            ForwardResult f = m.forward(seq, RunOptions.DEFAULT);
            assertThat(tok).isEqualTo(f.argmax(seq.length - 1));
            seq = java.util.Arrays.copyOf(seq, seq.length + 1);
            seq[seq.length - 1] = tok;
        }
        assertThat(r.stopReason()).isEqualTo("length");
    }

    @Test
    void samplingIsSeededAndRespectsTopKAndTopP() {
        float[] logits = {0f, 5f, 4.9f, -3f, 1f};
        Generator.Settings top1 = new Generator.Settings(1, 1.0, 1, 1, 7, true);
        for (int i = 0; i < 20; i++) assertThat(Generator.choose(logits, top1, new Random(i))).isEqualTo(1);
        Generator.Settings nucleus = new Generator.Settings(1, 1.0, 0, 0.5, 7, true); // token 1 alone has p ≈ 0.49 < 0.5 → {1, 2}
        for (int i = 0; i < 50; i++) assertThat(Generator.choose(logits, nucleus, new Random(i))).isIn(1, 2);
        Generator.Settings free = new Generator.Settings(1, 1.0, 0, 1, 7, true);
        assertThat(Generator.choose(logits, free, new Random(3))).isEqualTo(Generator.choose(logits, free, new Random(3)));
        assertThatThrownBy(() -> new Generator.Settings(1, -1, 0, 1, 0, true)).hasMessageContaining("temperature");
        assertThatThrownBy(() -> new Generator.Settings(1, 1, 0, 0, 0, true)).hasMessageContaining("top-p");
    }

    @Test
    void stopsAtEos() {
        GoldenSet g = GoldenSet.of("tiny-a");
        HymbaModel m = HymbaModel.load(g.dir());
        int eos = m.config().eosTokenId();
        // Force EOS with a logits hook: the run must stop right after emitting it.
        dev.hymba.core.hook.Hooks forceEos = new dev.hymba.core.hook.Hooks() {
            public boolean wants(String p) { return p.equals(dev.hymba.core.hook.HookPoint.LOGITS); }
            public float[] apply(String p, float[] v, int[] s) {
                float[] r = v.clone();
                for (int row = 0; row < s[0]; row++) r[row * s[1] + eos] = 1e9f;
                return r;
            }
        };
        Generator.Result r = new Generator(m).generate(new int[]{1, 5, 6}, Generator.Settings.greedy(10), RunOptions.builder().hooks(forceEos).build(), t -> {});
        assertThat(r.tokens()).containsExactly(eos);
        assertThat(r.stopReason()).isEqualTo("eos");
    }
}
