package dev.hymba.workbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hymba.core.ablation.AblationElement;
import dev.hymba.core.ablation.AblationSpec;
import dev.hymba.core.analysis.RunComparison;
import dev.hymba.core.intervention.AblationCompiler;
import dev.hymba.core.model.ForwardResult;
import dev.hymba.core.model.HymbaModel;
import dev.hymba.core.model.MetaMode;
import dev.hymba.core.model.RunOptions;
import dev.hymba.core.tokenizer.HymbaTokenizer;
import dev.hymba.core.trace.Trace;
import dev.hymba.core.trace.Tracer;
import dev.hymba.workbench.charts.Figure;
import dev.hymba.workbench.charts.MetricCharts;
import dev.hymba.workbench.export.ExportOptions;
import dev.hymba.workbench.export.FigureExporter;
import dev.hymba.workbench.run.TraceRunData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.*;
import java.util.concurrent.Callable;

/**
 * {@code ./hymba report --model DIR --prompts FILE --out DIR}: the paper's analyses for any Hymba checkpoint
 * (architecture reference §6.3) as PNG + SVG + CSV figures and a Markdown page linking them with their data.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Regenerate the paper's analyses (Figs. 3, 5, 7, 12 and entropy with/without meta tokens) for a checkpoint and a prompt set.")
public final class ReportCommand implements Callable<Integer> {
    @Option(names = "--model", description = "Model folder. Default: the bundled sample.") Path model;
    @Option(names = "--prompts", required = true, description = "Prompts: .jsonl with {\"text\"|\"ids\", \"domain\"} per line, or .txt with one prompt per line.") Path prompts;
    @Option(names = "--out", required = true, description = "Output folder (created).") Path out;
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    record Prompt(String domain, String text, int[] ids) {}

    @Override
    public Integer call() throws Exception {
        Path dir = ModelLocation.resolve(model);
        OutputPaths.checkWritableDir(out, "--out");
        List<Prompt> ps = readPrompts(dir);
        PrintWriter o = spec.commandLine().getOut();
        try (HymbaModel m = HymbaModel.load(dir)) {
            int n = m.config().numHiddenLayers();
            List<Trace> traces = new ArrayList<>();
            for (Prompt p : ps) traces.add(Tracer.run(m, Tracer.Request.of(p.ids(), null, p.text())));
            Trace first = traces.get(0);
            List<Figure> figs = new ArrayList<>();
            List<String> captions = new ArrayList<>();
            if (m.config().numMemoryTokens() > 0) {
                // Fig. 5: one series per domain (traces of that domain averaged), last layer.
                Map<String, List<Trace>> byDomain = new LinkedHashMap<>();
                for (int i = 0; i < ps.size(); i++) byDomain.computeIfAbsent(ps.get(i).domain(), k -> new ArrayList<>()).add(traces.get(i));
                figs.add(metaByDomain(byDomain, n - 1));
                captions.add("Fig. 5: attention received by each meta token in the last layer, per prompt domain (mean over heads, real query positions and prompts).");
            }
            figs.add(averageSinks(traces));
            captions.add("Fig. 7: attention mass by region Meta / BOS / Self / Cross per layer (mean over heads, real query positions and prompts).");
            figs.addAll(RunFigures.fusion(first, m));
            captions.add("Fig. 12 (left): mean ‖attention output‖ vs ‖SSM output‖ per layer, before the pre-average norms (first prompt).");
            captions.add("Fig. 12 (right): mean |β₁| and |β₂| per layer (the pre-average RMSNorm weights).");
            figs.add(branchRemoval(m, ps));
            captions.add("Fig. 3 (analogue): mean next-token loss change on the prompts when a layer's attention branch or SSM branch is removed (out of distribution).");
            if (m.config().numMemoryTokens() > 0) {
                RunOptions dropped = RunOptions.builder().metaMode(MetaMode.DROPPED).build();
                Trace noMeta = Tracer.run(m, new Tracer.Request(first.ids(), null, ps.get(0).text(), dropped, "{\"meta\":\"dropped\"}", Set.of(), true));
                figs.add(RunFigures.entropy(first, noMeta));
                captions.add("Attention entropy with and without the meta prefix (first prompt; dropping meta tokens is out of distribution).");
            }
            FigureExporter ex = new FigureExporter(HymbaCli.VERSION, Clock.systemUTC());
            var prov = new TraceRunData(first).provenance();
            StringBuilder md = new StringBuilder("# Hymba report\n\nModel: `" + dir + "`  \nCheckpoint fingerprint: `" + first.provenance().modelFingerprint()
                    + "`  \nPrompts: `" + prompts + "` (" + ps.size() + ")  \nEngine: " + first.provenance().engineVersion() + "\n\n");
            for (int i = 0; i < figs.size(); i++) {
                Figure f = figs.get(i);
                ex.export(f, out.resolve(f.name() + ".png"), new ExportOptions(1200, 800, 150), prov);
                ex.export(f, out.resolve(f.name() + ".svg"), new ExportOptions(1200, 800, 72), prov);
                ex.exportCsv(f, out.resolve(f.name() + ".csv"), prov);
                md.append("## ").append(f.name()).append("\n\n").append(captions.get(i)).append("\n\n")
                        .append("![").append(f.name()).append("](").append(f.name()).append(".png)\n\n")
                        .append("Data: [").append(f.name()).append(".csv](").append(f.name()).append(".csv) · vector: [")
                        .append(f.name()).append(".svg](").append(f.name()).append(".svg)\n\n");
            }
            Files.writeString(out.resolve("report.md"), md.toString());
            o.printf("wrote %d figures and report.md to %s%n", figs.size(), out);
        }
        return 0;
    }

    private static Figure metaByDomain(Map<String, List<Trace>> byDomain, int layer) {
        List<String> series = new ArrayList<>(byDomain.keySet());
        int M = byDomain.values().iterator().next().get(0).metaCount();
        double[][] v = new double[series.size()][M];
        for (int s = 0; s < series.size(); s++) {
            List<Trace> ts = byDomain.get(series.get(s));
            for (Trace t : ts)
                for (var h : t.layers().get(layer).heads())
                    for (int k = 0; k < M; k++) v[s][k] += h.metaReceived()[k] / (t.layers().get(layer).heads().size() * (double) ts.size());
        }
        List<String> cats = new ArrayList<>();
        for (int k = 0; k < M; k++) cats.add(Integer.toString(k));
        return MetricCharts.bars("fig5_meta_by_domain", "Attention received per meta token, layer " + layer, "meta token", "mass", cats, series, v);
    }

    private static Figure averageSinks(List<Trace> traces) {
        int n = traces.get(0).layers().size();
        double[][] v = new double[4][n];
        for (Trace t : traces) {
            // Mean over heads, then over prompts.
            for (int l = 0; l < n; l++) {
                var hs = t.layers().get(l).heads();
                for (var h : hs) {
                    v[0][l] += h.metaMass() / hs.size() / traces.size();
                    v[1][l] += h.bosMass() / hs.size() / traces.size();
                    v[2][l] += h.selfMass() / hs.size() / traces.size();
                    v[3][l] += h.crossMass() / hs.size() / traces.size();
                }
            }
        }
        List<String> cats = new ArrayList<>();
        for (int l = 0; l < n; l++) cats.add(Integer.toString(l));
        return MetricCharts.stackedBars("fig7_region_mass", "Attention mass by region (mean over heads and prompts)", "layer", "mass", cats,
                List.of("Meta", "BOS", "Self", "Cross"), v);
    }

    private static Figure branchRemoval(HymbaModel m, List<Prompt> ps) {
        int n = m.config().numHiddenLayers(), V = m.config().vocabSize();
        double[][] v = new double[2][n];
        for (Prompt p : ps) {
            if (p.ids().length < 2) continue;
            ForwardResult base = m.forward(p.ids(), RunOptions.DEFAULT);
            double baseLoss = mean(RunComparison.nextTokenNll(base.logits(), p.ids().length, V, p.ids()));
            for (int l = 0; l < n; l++) {
                for (int b = 0; b < 2; b++) {
                    AblationSpec s = AblationSpec.of(new AblationElement.BranchOff(l, b == 0 ? AblationElement.Branch.ATTENTION : AblationElement.Branch.SSM));
                    ForwardResult r = m.forward(p.ids(), AblationCompiler.compile(s, m.config()).options());
                    v[b][l] += (mean(RunComparison.nextTokenNll(r.logits(), p.ids().length, V, p.ids())) - baseLoss) / ps.size();
                }
            }
        }
        List<String> cats = new ArrayList<>();
        for (int l = 0; l < n; l++) cats.add(Integer.toString(l));
        return MetricCharts.bars("fig3_branch_removal", "Loss change when a layer's branch is removed", "layer", "Δ next-token loss (nats)", cats,
                List.of("attention branch removed", "SSM branch removed"), v);
    }

    private static double mean(double[] a) { return Arrays.stream(a).average().orElse(0); }

    private List<Prompt> readPrompts(Path modelDir) throws Exception {
        if (!Files.isRegularFile(prompts)) throw new IllegalArgumentException("--prompts " + prompts + ": no such file");
        List<String> lines = Files.readAllLines(prompts).stream().filter(s -> !s.isBlank()).toList();
        if (lines.isEmpty()) throw new IllegalArgumentException("--prompts " + prompts + ": the file has no prompts");
        boolean jsonl = prompts.toString().endsWith(".jsonl");
        List<Prompt> out = new ArrayList<>();
        HymbaTokenizer tok = null;
        try {
            ObjectMapper json = new ObjectMapper();
            for (int i = 0; i < lines.size(); i++) {
                String domain = "prompt", text;
                int[] ids = null;
                if (jsonl) {
                    JsonNode n;
                    try {
                        n = json.readTree(lines.get(i));
                    } catch (Exception e) {
                        throw new IllegalArgumentException("--prompts " + prompts + ": line " + (i + 1) + " is not JSON");
                    }
                    if (n.has("domain")) domain = n.get("domain").asText();
                    text = n.has("text") ? n.get("text").asText() : null;
                    if (n.has("ids")) {
                        ids = new int[n.get("ids").size()];
                        for (int k = 0; k < ids.length; k++) ids[k] = n.get("ids").get(k).asInt();
                    }
                    if (text == null && ids == null) throw new IllegalArgumentException("--prompts " + prompts + ": line " + (i + 1) + " has neither \"text\" nor \"ids\"");
                } else {
                    text = lines.get(i);
                }
                if (ids == null) {
                    if (tok == null) tok = HymbaTokenizer.load(modelDir);
                    ids = tok.encode(text).ids();
                }
                out.add(new Prompt(domain, text == null ? "" : text, ids));
            }
        } finally {
            if (tok != null) tok.close();
        }
        return out;
    }
}
