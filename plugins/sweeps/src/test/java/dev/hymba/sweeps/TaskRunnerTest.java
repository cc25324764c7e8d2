package dev.hymba.sweeps;

import dev.hymba.core.ablation.AblationSpec;
import dev.hymba.core.intervention.AblationCompiler;
import dev.hymba.core.model.ForwardResult;
import dev.hymba.core.model.HymbaModel;
import dev.hymba.core.model.RunOptions;
import dev.hymba.core.trace.HeadSummary;
import dev.hymba.core.trace.LayerTrace;
import dev.hymba.core.trace.Trace;
import dev.hymba.core.trace.Tracer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Metric values checked against a from-scratch computation on the engine's raw logits (tiny-a). */
class TaskRunnerTest {
    @TempDir Path tmp;

    /** log p(token | row) in double, straight from the definition. */
    private static double logProb(ForwardResult r, int row, int token) {
        double max = Double.NEGATIVE_INFINITY, z = 0;
        for (int v = 0; v < r.vocab(); v++) max = Math.max(max, r.logit(row, v));
        for (int v = 0; v < r.vocab(); v++) z += Math.exp(r.logit(row, v) - max);
        return r.logit(row, token) - max - Math.log(z);
    }

    private static double kl(ForwardResult a, ForwardResult b, int row) {
        double s = 0;
        for (int v = 0; v < a.vocab(); v++) {
            double la = logProb(a, row, v);
            s += Math.exp(la) * (la - logProb(b, row, v));
        }
        return s;
    }

    @Test
    void logitMetricsMatchTheirDefinitionsOnTheTargetRows() throws Exception {
        HymbaModel m = TinyA.model();
        Path spec = TinyA.writeSweep(tmp, "[{\"family\":\"head\",\"layers\":2,\"heads\":1}]", "[\"loss_delta\",\"kl\",\"logit_diff\"]", 4,
                "{\"id\":\"t\",\"ids\":[1,17,42,99,7],\"target_ids\":[300,12],\"foil_id\":5}",
                "{\"id\":\"n\",\"ids\":[3,17,42,99],\"target_ids\":[8]}");
        SweepPlan plan = SweepPlan.local(SweepSpec.read(spec), m.config(), TinyA.dir());
        List<ResultRow> rows = TaskRunner.run(m, plan, plan.tasks().getFirst(), () -> false, () -> {});
        assertThat(rows).hasSize(1);
        ResultRow r = rows.getFirst();
        assertThat(r.ablation()).isEqualTo("head:2:1:zero:pre_norm");
        assertThat(r.promptId()).isEqualTo("t");

        int[] ids = {1, 17, 42, 99, 7, 300, 12};
        ForwardResult a = m.forward(ids, RunOptions.DEFAULT);
        ForwardResult b = m.forward(ids, AblationCompiler.compile(plan.ablations().getFirst().spec(), m.config()).options());
        // target starts at index 5: rows 4 and 5 predict 300 and 12
        double loss = (-(logProb(b, 4, 300) + logProb(b, 5, 12)) + (logProb(a, 4, 300) + logProb(a, 5, 12))) / 2;
        double kl = (kl(a, b, 4) + kl(a, b, 5)) / 2;
        double ld = (b.logit(4, 300) - b.logit(4, 5)) - ((double) a.logit(4, 300) - a.logit(4, 5));
        assertThat(r.value(0)).isCloseTo(loss, within(1e-9));
        assertThat(r.value(1)).isCloseTo(kl, within(1e-9));
        assertThat(r.value(2)).isCloseTo(ld, within(1e-9));
        assertThat(kl).isGreaterThan(0); // the head matters at all: the check is not vacuous
    }

    @Test
    void withoutATargetEveryRowIsScoredAndKlAddsTheLastRow() throws Exception {
        HymbaModel m = TinyA.model();
        Path spec = TinyA.writeSweep(tmp, "[{\"family\":\"branch\",\"layers\":0,\"branches\":[\"ssm\"]}]", "[\"loss_delta\",\"kl\"]", 4,
                "{\"id\":\"p\",\"ids\":[1,17,42,99]}");
        SweepPlan plan = SweepPlan.local(SweepSpec.read(spec), m.config(), TinyA.dir());
        ResultRow r = TaskRunner.run(m, plan, plan.tasks().getFirst(), () -> false, () -> {}).getFirst();
        int[] ids = {1, 17, 42, 99};
        ForwardResult a = m.forward(ids, RunOptions.DEFAULT);
        ForwardResult b = m.forward(ids, AblationCompiler.compile(plan.ablations().getFirst().spec(), m.config()).options());
        double loss = 0, kl = 0;
        for (int t = 0; t < 3; t++) loss += (logProb(a, t, ids[t + 1]) - logProb(b, t, ids[t + 1])) / 3;
        for (int t = 0; t < 4; t++) kl += kl(a, b, t) / 4;
        assertThat(r.value(0)).isCloseTo(loss, within(1e-9));
        assertThat(r.value(1)).isCloseTo(kl, within(1e-9));
    }

    @Test
    void sinkMetricsAreHeadMeansOfTheTracedRuns() throws Exception {
        HymbaModel m = TinyA.model();
        Path spec = TinyA.writeSweep(tmp, "[{\"family\":\"meta\",\"modes\":[\"zeroed\"]},{\"family\":\"branch\",\"layers\":4,\"branches\":[\"attention\"]}]",
                "[\"meta_mass_delta\",\"bos_mass_delta\"]", 8,
                "{\"id\":\"bos\",\"ids\":[1,17,42,99,5]}", "{\"id\":\"nobos\",\"ids\":[4,17,42,99,5]}");
        SweepPlan plan = SweepPlan.local(SweepSpec.read(spec), m.config(), TinyA.dir());
        List<ResultRow> bos = TaskRunner.run(m, plan, plan.tasks().get(0), () -> false, () -> {});
        List<ResultRow> noBos = TaskRunner.run(m, plan, plan.tasks().get(1), () -> false, () -> {});

        int[] ids = {1, 17, 42, 99, 5};
        Trace base = Tracer.run(m, Tracer.Request.of(ids, null, "bos"));
        AblationSpec zeroed = plan.ablations().get(0).spec();
        var c = AblationCompiler.compile(zeroed, m.config());
        Trace abl = Tracer.run(m, new Tracer.Request(ids, null, "bos", c.options(), zeroed.toJson(), c.attentionEditedLayers(), true));
        assertThat(bos.get(0).value(0)).isCloseTo(mean(abl, true) - mean(base, true), within(1e-12));
        assertThat(bos.get(0).value(1)).isCloseTo(mean(abl, false) - mean(base, false), within(1e-12));
        assertThat(bos.get(0).value(0)).isNotZero();
        // Layer 4's attention off: its 4 heads leave the mean (20 of 24 heads remain).
        var off = AblationCompiler.compile(plan.ablations().get(1).spec(), m.config());
        Trace offTrace = Tracer.run(m, new Tracer.Request(ids, null, "bos", off.options(), "x", off.attentionEditedLayers(), true));
        assertThat(offTrace.layers().stream().mapToInt(l -> l.heads().size()).sum()).isEqualTo(20);
        assertThat(bos.get(1).value(0)).isCloseTo(mean(offTrace, true) - mean(base, true), within(1e-12));
        // No BOS: the BOS mass is 0 in both runs, so its delta is exactly 0.
        assertThat(noBos).extracting(row -> row.value(1)).containsOnly(0.0);
    }

    private static double mean(Trace t, boolean meta) {
        double s = 0;
        int n = 0;
        for (LayerTrace lt : t.layers()) for (HeadSummary h : lt.heads()) { s += meta ? h.metaMass() : h.bosMass(); n++; }
        return s / n;
    }

    @Test
    void cancellationStopsTheTask() throws Exception {
        HymbaModel m = TinyA.model();
        Path spec = TinyA.writeSweep(tmp, "[{\"family\":\"head\",\"layers\":0}]", "[\"kl\"]", 4, "{\"id\":\"p\",\"ids\":[1,2,3]}");
        SweepPlan plan = SweepPlan.local(SweepSpec.read(spec), m.config(), TinyA.dir());
        int[] runs = {0};
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TaskRunner.run(m, plan, plan.tasks().getFirst(), () -> runs[0] >= 2, () -> runs[0]++))
                .isInstanceOf(java.util.concurrent.CancellationException.class);
        assertThat(runs[0]).isEqualTo(2);
    }

    @Test
    void aPluginInterventionInTheGridRunsLikeTheEquivalentBuiltInAblation() throws Exception {
        HymbaModel m = TinyA.model();
        // scale-branch with factor 0 is the engine's branch-off, bit for bit: equal metrics, exactly
        Path spec = TinyA.writeSweep(tmp, """
                [{"family":"branch","layers":2,"branches":["attention"]},
                 {"family":"plugin","plugin":"scale-branch","params":{"layer":2,"branch":"attention","factor":0}},
                 {"family":"plugin","plugin":"scale-branch","params":{"layer":2,"branch":"attention","factor":0.5}}]""",
                "[\"loss_delta\",\"kl\",\"logit_diff\"]", 4,
                "{\"id\":\"t\",\"ids\":[1,17,42,99,7],\"target_ids\":[300,12],\"foil_id\":5}");
        SweepPlan plan = SweepPlan.local(SweepSpec.read(spec), m.config(), TinyA.dir());
        List<ResultRow> rows = TaskRunner.run(m, plan, plan.tasks().getFirst(), () -> false, () -> {});
        assertThat(rows).extracting(ResultRow::ablation).containsExactly("branch:2:attention",
                "plugin:scale-branch:{\"layer\":2,\"branch\":\"attention\",\"factor\":0}",
                "plugin:scale-branch:{\"layer\":2,\"branch\":\"attention\",\"factor\":0.5}");
        assertThat(rows.get(1).family()).isEqualTo("plugin");
        assertThat(rows.get(1).values()).containsExactly(rows.get(0).values());
        assertThat(rows.get(2).values()).isNotEqualTo(rows.get(0).values());
        assertThat(rows.get(2).values()[1]).isPositive();
    }
}
