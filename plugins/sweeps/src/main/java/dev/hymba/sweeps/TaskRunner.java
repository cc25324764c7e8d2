package dev.hymba.sweeps;

import dev.hymba.core.analysis.RunComparison;
import dev.hymba.core.intervention.AblationCompiler;
import dev.hymba.core.model.ForwardResult;
import dev.hymba.core.model.HymbaModel;
import dev.hymba.core.model.RunOptions;
import dev.hymba.core.trace.HeadSummary;
import dev.hymba.core.trace.LayerTrace;
import dev.hymba.core.trace.Trace;
import dev.hymba.core.trace.Tracer;
import dev.hymba.plugins.host.PluginInterventions;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.ToDoubleFunction;

/**
 * Runs one task: the prompt's baseline once, then each ablation of the batch, and turns each pair into a
 * {@link ResultRow} (see {@link Metric} for the definitions). Stateless; safe to call from several threads on one
 * model, since a forward pass only reads the weights.
 */
public final class TaskRunner {
    private TaskRunner() {}

    /** One run's outputs that the metrics read. */
    private record Run(ForwardResult logits, double metaMass, double bosMass) {}

    /** Called after each ablated run of a task (for progress); may be a no-op. */
    @FunctionalInterface
    public interface RunListener { void ablatedRunDone(); }

    /** Runs a task; plugin interventions are resolved among the intervention plugins on the class path. */
    public static List<ResultRow> run(HymbaModel model, SweepPlan plan, SweepTask task, BooleanSupplier cancelled, RunListener listener) {
        return run(model, plan, task, cancelled, listener, PluginInterventions.classPath());
    }

    /** Runs a task; plugin interventions of the grid (family "plugin") are compiled by {@code plugins}. */
    public static List<ResultRow> run(HymbaModel model, SweepPlan plan, SweepTask task, BooleanSupplier cancelled, RunListener listener,
                                      PluginInterventions plugins) {
        Prompt p = plan.prompts().get(task.promptIndex());
        boolean trace = plan.spec().metrics().stream().anyMatch(Metric::needsTrace);
        RunOptions base = RunOptions.builder().cancelled(cancelled).build();
        Run baseline = execute(model, p, base, "{}", Set.of(), trace);
        double[] baseNll = RunComparison.nextTokenNll(baseline.logits.logits(), baseline.logits.rows(), baseline.logits.vocab(), p.ids());
        List<ResultRow> rows = new ArrayList<>(task.size());
        for (int i = task.from(); i < task.to(); i++) {
            if (cancelled.getAsBoolean()) throw new CancellationException("sweep cancelled in task " + task.id());
            Ablation a = plan.ablations().get(i);
            AblationCompiler.Compiled c = AblationCompiler.compile(a.spec(), model.config(), RunOptions.builder().cancelled(cancelled), plugins);
            Run ablated = execute(model, p, c.options(), a.spec().toJson(), c.attentionEditedLayers(), trace);
            double[] v = new double[plan.spec().metrics().size()];
            for (int m = 0; m < v.length; m++) v[m] = metric(plan.spec().metrics().get(m), p, baseline, baseNll, ablated);
            rows.add(new ResultRow(p.index(), p.id(), i, a.key(), a.family().json(), a.layer(), a.unit(), v));
            listener.ablatedRunDone();
        }
        return rows;
    }

    private static Run execute(HymbaModel model, Prompt p, RunOptions o, String specJson, Set<Integer> edited, boolean trace) {
        if (!trace) return new Run(model.forward(p.ids(), o), Double.NaN, Double.NaN);
        Trace t = Tracer.run(model, new Tracer.Request(p.ids(), null, p.id(), o, specJson, edited, !specJson.equals("{}")));
        return new Run(t.logits(), headMean(t, HeadSummary::metaMass), headMean(t, HeadSummary::bosMass));
    }

    /** Mean of a per-head statistic over every head of every layer whose attention branch ran. */
    private static double headMean(Trace t, ToDoubleFunction<HeadSummary> f) {
        double s = 0;
        int n = 0;
        for (LayerTrace lt : t.layers()) for (HeadSummary h : lt.heads()) { s += f.applyAsDouble(h); n++; }
        return n == 0 ? Double.NaN : s / n;
    }

    static double metric(Metric m, Prompt p, Run base, double[] baseNll, Run abl) {
        ForwardResult a = base.logits, b = abl.logits;
        int T = a.rows(), V = a.vocab(), first = p.firstScoredRow();
        return switch (m) {
            case LOSS_DELTA -> {
                double[] nll = RunComparison.nextTokenNll(b.logits(), T, V, p.ids());
                yield mean(nll, first, T - 2) - mean(baseNll, first, T - 2);
            }
            case KL -> mean(RunComparison.klDivergence(a.logits(), b.logits(), T, V), first, p.hasTarget() ? T - 2 : T - 1);
            case LOGIT_DIFF -> {
                int row = p.targetFrom() - 1, target = p.ids()[p.targetFrom()];
                yield logitDiff(b, row, target, p.foil()) - logitDiff(a, row, target, p.foil());
            }
            case META_MASS_DELTA -> abl.metaMass - base.metaMass;
            case BOS_MASS_DELTA -> abl.bosMass - base.bosMass;
        };
    }

    private static double logitDiff(ForwardResult r, int row, int target, int foil) {
        return (double) r.logit(row, target) - (foil >= 0 ? r.logit(row, foil) : 0.0);
    }

    /** Mean of v[from..to] inclusive. */
    private static double mean(double[] v, int from, int to) {
        double s = 0;
        for (int i = from; i <= to; i++) s += v[i];
        return s / (to - from + 1);
    }
}
