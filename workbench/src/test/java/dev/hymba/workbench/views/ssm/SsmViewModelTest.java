package dev.hymba.workbench.views.ssm;

import dev.hymba.workbench.run.AttentionMap;
import dev.hymba.workbench.run.Matrix;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SsmViewModelTest {
    private final Matrix norms = new Matrix(2, 4, new float[] {1, 3, 5, 7, 2, 2, 10, 0});

    @Test
    void blocksAverageEqualChannelSpans() {
        AttentionMap m = SsmViewModel.stateMatrix(norms, 2);
        assertThat(m.queries()).isEqualTo(2);
        assertThat(m.keys()).isEqualTo(2);
        assertThat(m.values()).containsExactly(2, 6, 2, 5);
        assertThat(SsmViewModel.stateMatrix(norms, 0).values()).isSameAs(norms.values());
        assertThatThrownBy(() -> SsmViewModel.stateMatrix(norms, 3)).hasMessage("4 channels do not split into 3 equal blocks");
    }

    @Test
    void meanDeltaPerPosition() {
        assertThat(SsmViewModel.meanDelta(norms)).containsExactly(4, 3.5);
    }

    @Test
    void blockChannelsMatchTheHeadSpan() {
        assertThat(SsmViewModel.blockChannels(3200, 25, 3)).containsExactly(384, 512);
        assertThatThrownBy(() -> SsmViewModel.blockChannels(64, 4, 4)).hasMessage("block 4 is out of range 0..3");
    }

    @Test
    void causalCorrelationUsesOnlyCellsAtOrBelowTheDiagonalFromTheFirstQuery() {
        AttentionMap a = new AttentionMap(2, 2, new float[] {1, 0, 2, 3});
        AttentionMap same = new AttentionMap(2, 2, new float[] {2, 9, 4, 6});     // 2x the causal cells; 9 is masked
        AttentionMap reversed = new AttentionMap(2, 2, new float[] {6, 0, 4, 2});
        assertThat(SsmViewModel.causalCorrelation(a, same, 0)).isCloseTo(1, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(SsmViewModel.causalCorrelation(a, reversed, 0)).isCloseTo(-1, org.assertj.core.api.Assertions.within(1e-12));
        // from query 1 only cells (1,0), (1,1): 2,3 vs 4,2 -> perfectly anti-correlated
        assertThat(SsmViewModel.causalCorrelation(a, reversed, 1)).isCloseTo(-1, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(SsmViewModel.causalCorrelation(a, new AttentionMap(2, 2, new float[] {1, 1, 1, 1}), 0)).isNaN();
    }

    @Test
    void sidePairTakesTheHeadWithTheBlocksChannels() {
        var base = dev.hymba.workbench.run.SyntheticRuns.run(1, 2, 2, 2, 4, 3); // T = 4, 2 heads
        AttentionMap hidden = base.attention(1, 1); // a hidden map identical to head 1's
        java.util.List<int[]> asked = new java.util.ArrayList<>();
        dev.hymba.workbench.run.RunData run = new WithHidden(base, (l, f, t) -> { asked.add(new int[] {l, f, t}); return hidden; });
        SsmViewModel.SidePair p = SsmViewModel.sidePair(run, 1, 1).orElseThrow();
        assertThat(asked).singleElement().satisfies(x -> assertThat(x).containsExactly(1, 32, 64)); // 64 channels / 2 heads
        assertThat(p.attention()).isEqualTo(base.attention(1, 1));
        assertThat(p.correlation()).isCloseTo(1, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(SsmViewModel.sidePair(base, 1, 1)).isEmpty(); // no hidden attention in a plain run
    }

    @Test
    void hiddenPairsAreComputedOnTheWorkerAndAStaleAnswerIsDropped() {
        var base = dev.hymba.workbench.run.SyntheticRuns.run(1, 2, 2, 2, 4, 3);
        java.util.List<String> computedOn = new java.util.ArrayList<>();
        dev.hymba.workbench.run.RunData run = new WithHidden(base, (l, f, t) -> {
            computedOn.add(Thread.currentThread().getName() + " L" + l + " " + f);
            return base.attention(l, f / 32);
        });
        java.util.ArrayDeque<Runnable> worker = new java.util.ArrayDeque<>(), ui = new java.util.ArrayDeque<>();
        var pairs = new SsmViewModel.HiddenPairs(worker::add, ui::add);
        java.util.List<SsmViewModel.SidePair> shown = new java.util.ArrayList<>();

        pairs.request(run, 1, 0, p -> shown.add(p.orElseThrow()), e -> { throw new AssertionError(e); });
        assertThat(computedOn).isEmpty(); // asynchronous: nothing computed by the caller
        assertThat(pairs.busy()).isTrue();
        Thread w = new Thread(worker.poll(), "test-worker");
        w.start();
        assertThat(join(w)).isTrue();
        assertThat(computedOn).containsExactly("test-worker L1 0");
        // The selection changes before the first answer is delivered: that answer is stale and must not be shown.
        pairs.request(run, 1, 1, p -> shown.add(p.orElseThrow()), e -> { throw new AssertionError(e); });
        ui.poll().run();
        assertThat(shown).isEmpty();
        assertThat(pairs.busy()).isTrue();
        worker.poll().run();
        ui.poll().run();
        assertThat(shown).singleElement().satisfies(p -> assertThat(p.block()).isEqualTo(1));
        assertThat(pairs.busy()).isFalse();

        // Back to block 0: its stale answer was cached for this run, so it is shown at once without new work.
        pairs.request(run, 1, 0, p -> shown.add(p.orElseThrow()), e -> { throw new AssertionError(e); });
        assertThat(worker).isEmpty();
        assertThat(shown).hasSize(2).last().satisfies(p -> assertThat(p.block()).isEqualTo(0));

        // A new run (a re-run with an ablation) empties the cache; a request cancelled before it starts never runs.
        dev.hymba.workbench.run.RunData rerun = new WithHidden(base, (l, f, t) -> { computedOn.add("rerun"); return base.attention(l, 0); });
        pairs.request(rerun, 1, 0, p -> shown.add(p.orElseThrow()), e -> { throw new AssertionError(e); });
        pairs.request(rerun, 0, 0, p -> shown.add(p.orElseThrow()), e -> { throw new AssertionError(e); });
        worker.poll().run(); // the first (cancelled) request
        assertThat(ui).isEmpty();
        worker.poll().run();
        ui.poll().run();
        assertThat(computedOn).hasSize(3).last().isEqualTo("rerun");
        assertThat(shown).hasSize(3).last().satisfies(p -> assertThat(p.layer()).isEqualTo(0));
    }

    private static boolean join(Thread t) {
        try {
            t.join(5000);
            return !t.isAlive();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    interface Hidden { AttentionMap at(int layer, int from, int to); }

    private record WithHidden(dev.hymba.workbench.run.RunData base, Hidden hidden) implements dev.hymba.workbench.run.RunData {
        @Override public java.util.Optional<AttentionMap> ssmHiddenAttention(int l, int f, int t) { return java.util.Optional.of(hidden.at(l, f, t)); }
        @Override public int ssmChannels() { return 64; }
        @Override public dev.hymba.workbench.run.RunProvenance provenance() { return base.provenance(); }
        @Override public java.util.List<dev.hymba.workbench.run.TokenInfo> tokens() { return base.tokens(); }
        @Override public java.util.List<dev.hymba.workbench.run.LayerInfo> layers() { return base.layers(); }
        @Override public int attentionHeads() { return base.attentionHeads(); }
        @Override public AttentionMap attention(int l, int h) { return base.attention(l, h); }
        @Override public double headMetric(dev.hymba.workbench.run.HeadMetric m, int l, int h) { return base.headMetric(m, l, h); }
        @Override public dev.hymba.workbench.run.RegionMasses regionMasses(int l, int h) { return base.regionMasses(l, h); }
    }
}
