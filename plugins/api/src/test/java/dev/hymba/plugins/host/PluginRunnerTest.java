package dev.hymba.plugins.host;

import dev.hymba.plugins.api.*;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class PluginRunnerTest {
    private static final Duration LIMIT = Duration.ofSeconds(2);

    private static AnalysisPlugin plugin(String id, Body body) {
        return new AnalysisPlugin() {
            public PluginInfo info() { return new PluginInfo(id, id, "1", PluginApi.VERSION, "test"); }
            public AnalysisResult analyze(AnalysisContext c) throws Exception { return body.run(c); }
        };
    }

    interface Body { AnalysisResult run(AnalysisContext c) throws Exception; }

    private static SimpleContext ctx() { return new SimpleContext(Map.of(), null); }

    @Test
    void successfulPluginReturnsItsResult() {
        PluginOutcome o = PluginRunner.run(plugin("ok", c -> AnalysisResult.builder("t").array("a", new float[]{1, 2}, 2).build()), ctx(), LIMIT);
        assertThat(o).isInstanceOf(PluginOutcome.Success.class);
        assertThat(((PluginOutcome.Success) o).result().arrays().get(0).data()).containsExactly(1f, 2f);
    }

    @Test
    void throwingPluginIsReportedNotPropagated() {
        PluginOutcome o = PluginRunner.run(plugin("boom", c -> { throw new IllegalStateException("no layer 99"); }), ctx(), LIMIT);
        assertThat(o).isInstanceOf(PluginOutcome.Failed.class);
        assertThat(o.summary()).contains("boom failed").contains("no layer 99");
    }

    @Test
    void errorsBeyondExceptionsAreContainedToo() {
        PluginOutcome o = PluginRunner.run(plugin("oom", c -> { throw new OutOfMemoryError("simulated"); }), ctx(), LIMIT);
        assertThat(o).isInstanceOf(PluginOutcome.Failed.class);
        assertThat(o.summary()).contains("OutOfMemoryError");
    }

    @Test
    void hangingPluginTimesOut() {
        PluginOutcome o = PluginRunner.run(plugin("sleepy", c -> { Thread.sleep(60_000); return null; }), ctx(), Duration.ofMillis(300));
        assertThat(o).isInstanceOf(PluginOutcome.TimedOut.class);
        assertThat(o.summary()).contains("sleepy did not finish");
    }

    @Test
    void pluginThatIgnoresInterruptsIsAbandonedAfterTheLimit() {
        PluginOutcome o = PluginRunner.run(plugin("stubborn", c -> {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < end) Thread.onSpinWait(); // ignores interruption
            return null;
        }), ctx(), Duration.ofMillis(300));
        assertThat(o).isInstanceOf(PluginOutcome.TimedOut.class);
        assertThat(o.elapsed()).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void cancelReturnsPromptlyEvenForAStubbornPlugin() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        PluginRunner.Invocation inv = PluginRunner.start(plugin("spin", c -> {
            started.countDown();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < end) Thread.onSpinWait();
            return null;
        }), ctx(), Duration.ofSeconds(30));
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        inv.cancel();
        PluginOutcome o = inv.await();
        assertThat(o).isInstanceOf(PluginOutcome.Cancelled.class);
        assertThat(o.elapsed()).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void cooperativePluginSeesCancellation() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        PluginRunner.Invocation inv = PluginRunner.start(plugin("polite", c -> {
            started.countDown();
            while (true) { c.checkCancelled(); Thread.sleep(5); }
        }), ctx(), Duration.ofSeconds(30));
        started.await(5, TimeUnit.SECONDS);
        inv.cancel();
        assertThat(inv.await()).isInstanceOf(PluginOutcome.Cancelled.class);
    }

    @Test
    void nanAndShapeMismatchesAreBadData() {
        PluginOutcome nan = PluginRunner.run(plugin("nan", c -> AnalysisResult.builder("t").array("a", new float[]{1, Float.NaN}, 2).build()), ctx(), LIMIT);
        assertThat(nan).isInstanceOf(PluginOutcome.InvalidResult.class);
        assertThat(nan.summary()).contains("NaN at index 1");
        PluginOutcome shape = PluginRunner.run(plugin("shape", c -> AnalysisResult.builder("t").array("a", new float[]{1, 2, 3}, 2, 2).build()), ctx(), LIMIT);
        assertThat(shape.summary()).contains("has 3 values but its shape [2, 2] needs 4");
        PluginOutcome nul = PluginRunner.run(plugin("null", c -> null), ctx(), LIMIT);
        assertThat(nul.summary()).contains("the result is null");
        PluginOutcome fig = PluginRunner.run(plugin("fig", c -> AnalysisResult.builder("t").array("a", new float[]{1, 2}, 2)
                .figure(new AnalysisResult.Figure("f", AnalysisResult.Figure.Kind.BAR, "b", null, null, "x", "y")).build()), ctx(), LIMIT);
        assertThat(fig.summary()).contains("missing array 'b'");
    }

    @Test
    void oneFailingPluginDoesNotAffectTheNext() {
        PluginRunner.run(plugin("boom", c -> { throw new RuntimeException("x"); }), ctx(), LIMIT);
        PluginRunner.run(plugin("sleepy", c -> { Thread.sleep(60_000); return null; }), ctx(), Duration.ofMillis(100));
        PluginOutcome ok = PluginRunner.run(plugin("ok", c -> AnalysisResult.builder("t").build()), ctx(), LIMIT);
        assertThat(ok).isInstanceOf(PluginOutcome.Success.class);
    }
}
