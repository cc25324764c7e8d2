package dev.hymba.workbench.cli;

import dev.hymba.core.ablation.AblationElement;
import dev.hymba.core.ablation.AblationSpec;
import dev.hymba.core.config.HymbaConfig;
import dev.hymba.core.eval.EvalTask;
import dev.hymba.core.eval.TaskEvaluator;
import dev.hymba.core.intervention.AblationCompiler;
import dev.hymba.core.model.HymbaModel;
import dev.hymba.core.model.RunOptions;
import dev.hymba.core.trace.HeadSummary;
import dev.hymba.core.trace.LayerTrace;
import dev.hymba.core.trace.Trace;
import dev.hymba.core.trace.Tracer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;
import java.util.concurrent.Callable;

/**
 * {@code ./hymba eval --model DIR --task ppl|recall|long-recall|copy|all [--ablation SPEC.json]} scores a model on the
 * fixed evaluation sets of samples/eval; {@code ./hymba eval --table} reproduces the paper's design questions on the
 * shipped sample models (issue 5).
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Score a model on the evaluation sets (perplexity, recall, long-range recall, copy), or print the design-question table of the sample models.")
public final class EvalCommand implements Callable<Integer> {
    @Option(names = "--model", description = "Model folder. Default: the bundled sample.") Path model;
    @Option(names = "--task", defaultValue = "all", description = "ppl, recall, long-recall, copy or all (default).") String task;
    @Option(names = "--ablation", description = "Ablation spec (JSON) applied to every row.") Path ablation;
    @Option(names = "--data", description = "Folder with <task>.jsonl (default: samples/eval).") Path data;
    @Option(names = "--limit", defaultValue = "0", description = "Use only the first N rows of each set (0 = all).") int limit;
    @Option(names = "--table", description = "Print the design-question table over samples/models (hymba-mini, -stacked, -nometa).") boolean table;
    @Option(names = "--out", description = "Also write the output (Markdown) to this file.") Path out;
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (out != null) OutputPaths.checkWritableFile(out, "--out");
        Path evalDir = data != null ? data : samplesDir().resolve("eval");
        StringBuilder md = new StringBuilder();
        if (table) {
            md.append(designTable(samplesDir().resolve("models"), evalDir));
        } else {
            List<String> tasks = task.equals("all") ? EvalTask.NAMES : List.of(task);
            for (String t : tasks) if (!EvalTask.NAMES.contains(t)) throw new IllegalArgumentException("--task: '" + t + "' is not one of " + EvalTask.NAMES + " or all");
            Path dir = ModelLocation.resolve(model);
            try (HymbaModel m = HymbaModel.load(dir)) {
                AblationSpec s = AblationOption.read(ablation, "--ablation", m.config());
                RunOptions o = AblationOption.compile(s, m.config()).options();
                md.append("model ").append(dir).append(s.isEmpty() ? "" : " with ablation: " + String.join("; ", s.describe())).append("\n\n");
                md.append("| task | rows | accuracy | perplexity | mean NLL |\n|---|---|---|---|---|\n");
                for (String t : tasks) {
                    TaskEvaluator.Score sc = TaskEvaluator.evaluate(m, EvalTask.read(t, evalDir.resolve(t + ".jsonl")).limit(limit), o, i -> {});
                    md.append(String.format("| %s | %d | %s | %s | %.4f |%n", t, sc.rows(), pct(sc.accuracy()), num(sc.perplexity()), sc.meanNll()));
                }
            }
        }
        PrintWriter w = spec.commandLine().getOut();
        w.print(md);
        w.flush();
        if (out != null) Files.writeString(out, md.toString());
        return 0;
    }

    private static Path samplesDir() {
        return ModelLocation.bundledSample().map(p -> p.getParent().getParent())
                .orElseThrow(() -> new IllegalArgumentException("the samples folder (samples/models, samples/eval) was not found"));
    }

    private static String pct(double a) { return Double.isNaN(a) ? "" : String.format("%.1f%%", 100 * a); }

    private static String num(double a) { return Double.isNaN(a) ? "" : String.format("%.2f", a); }

    private String designTable(Path models, Path evalDir) throws Exception {
        StringBuilder md = new StringBuilder("# Design questions on the sample models\n\n");
        Path mini = models.resolve("hymba-mini"), stacked = models.resolve("hymba-mini-stacked"), nometa = models.resolve("hymba-mini-nometa");
        for (Path p : List.of(mini, stacked, nometa))
            if (!Files.isRegularFile(p.resolve("config.json"))) throw new IllegalArgumentException("--table needs " + p);
        Map<String, EvalTask> sets = new LinkedHashMap<>();
        for (String t : EvalTask.NAMES) sets.put(t, EvalTask.read(t, evalDir.resolve(t + ".jsonl")).limit(limit));

        try (HymbaModel m = HymbaModel.load(mini)) {
            HymbaConfig c = m.config();
            // 1. Global vs local.
            AblationSpec allLocal = AblationSpec.EMPTY;
            for (int g : c.globalAttnIdx()) allLocal = allLocal.with(AblationElement.AttentionChange.local(g, c.slidingWindow()));
            md.append("## 1. Three global layers vs all local (hymba-mini)\n\n| run | long-recall | recall | perplexity |\n|---|---|---|---|\n");
            for (var e : List.of(Map.entry("as trained (global " + c.globalAttnIdx() + ")", AblationSpec.EMPTY), Map.entry("all layers local (window " + c.slidingWindow() + ")", allLocal))) {
                RunOptions o = AblationCompiler.compile(e.getValue(), c).options();
                md.append(String.format("| %s | %s | %s | %s |%n", e.getKey(), pct(score(m, sets.get("long-recall"), o).accuracy()),
                        pct(score(m, sets.get("recall"), o).accuracy()), num(score(m, sets.get("ppl"), o).perplexity())));
            }
            // 2. Branch removal per layer.
            md.append("\n## 2. Removing one branch of one layer (hymba-mini)\n\n| layer | attention off: perplexity | attention off: recall | SSM off: perplexity | SSM off: recall |\n|---|---|---|---|---|\n");
            md.append(String.format("| none | %s | %s | %s | %s |%n", num(score(m, sets.get("ppl"), RunOptions.DEFAULT).perplexity()), pct(score(m, sets.get("recall"), RunOptions.DEFAULT).accuracy()), "", ""));
            for (int l = 0; l < c.numHiddenLayers(); l++) {
                RunOptions a = RunOptions.builder().attentionOff(l).build(), s = RunOptions.builder().ssmOff(l).build();
                md.append(String.format("| %d | %s | %s | %s | %s |%n", l, num(score(m, sets.get("ppl"), a).perplexity()), pct(score(m, sets.get("recall"), a).accuracy()),
                        num(score(m, sets.get("ppl"), s).perplexity()), pct(score(m, sets.get("recall"), s).accuracy())));
            }
        }
        // 3. Fused vs stacked (both as trained).
        md.append("\n## 3. Trained fused vs trained stacked\n\n| model | perplexity | recall | long-recall | copy |\n|---|---|---|---|---|\n");
        for (Path p : List.of(mini, stacked)) {
            try (HymbaModel m = HymbaModel.load(p)) {
                md.append(String.format("| %s (%s) | %s | %s | %s | %s |%n", p.getFileName(), m.config().fusionMode().jsonName(),
                        num(score(m, sets.get("ppl"), RunOptions.DEFAULT).perplexity()), pct(score(m, sets.get("recall"), RunOptions.DEFAULT).accuracy()),
                        pct(score(m, sets.get("long-recall"), RunOptions.DEFAULT).accuracy()), pct(score(m, sets.get("copy"), RunOptions.DEFAULT).accuracy())));
            }
        }
        // 4. Sinks with and without meta tokens.
        md.append("\n## 4. Where the attention sink goes: BOS vs meta tokens\n\nMean over layers, heads, real query positions and the first 20 perplexity rows; BOS-sink heads: share of (layer, head) with mask-aware α_BOS > 0.3 (analyses.md C1).\n\n")
                .append("| model | meta mass | BOS mass | self | cross | BOS-sink heads |\n|---|---|---|---|---|---|\n");
        for (Path p : List.of(mini, nometa)) {
            try (HymbaModel m = HymbaModel.load(p)) {
                double meta = 0, bos = 0, self = 0, cross = 0, sinkHeads = 0, heads = 0;
                List<EvalTask.Row> rows = sets.get("ppl").rows().subList(0, Math.min(20, sets.get("ppl").rows().size()));
                for (EvalTask.Row r : rows) {
                    Trace t = Tracer.run(m, Tracer.Request.of(r.ids(), null, ""));
                    int b = t.bosPosition();
                    for (LayerTrace lt : t.layers()) for (HeadSummary h : lt.heads()) {
                        meta += h.metaMass(); bos += h.bosMass(); self += h.selfMass(); cross += h.crossMass();
                        if (b >= 0 && h.alphaMaskAware()[b] > 0.3) sinkHeads++;
                        heads++;
                    }
                }
                md.append(String.format("| %s (%d meta tokens) | %.3f | %.3f | %.3f | %.3f | %.1f%% |%n", p.getFileName(), m.config().numMemoryTokens(),
                        meta / heads, bos / heads, self / heads, cross / heads, 100 * sinkHeads / heads));
            }
        }
        return md.toString();
    }

    private static TaskEvaluator.Score score(HymbaModel m, EvalTask t, RunOptions o) { return TaskEvaluator.evaluate(m, t, o, i -> {}); }
}
