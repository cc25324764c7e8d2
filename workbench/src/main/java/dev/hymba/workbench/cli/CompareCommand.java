package dev.hymba.workbench.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.hymba.core.ablation.AblationSpec;
import dev.hymba.core.analysis.RunComparison;
import dev.hymba.core.export.NpyStreamWriter;
import dev.hymba.core.intervention.AblationCompiler;
import dev.hymba.core.model.HymbaModel;
import dev.hymba.core.trace.Trace;
import dev.hymba.core.trace.TraceComparison;
import dev.hymba.core.trace.Tracer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;
import java.util.concurrent.Callable;

/** {@code ./hymba compare --model DIR --text "…" --a SPEC.json --b SPEC.json --out DIR}: run A vs run B. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Compare two runs of one prompt (two ablation specs; omit one for the model as trained): per-token KL, loss change, top-k changes, per-layer/per-head deltas.")
public final class CompareCommand implements Callable<Integer> {
    @Option(names = "--model", description = "Model folder. Default: the bundled sample.") Path model;
    @Mixin PromptInput input;
    @Option(names = "--a", description = "Ablation spec of run A (default: none).") Path specA;
    @Option(names = "--b", description = "Ablation spec of run B (default: none).") Path specB;
    @Option(names = "--top-k", defaultValue = "5", description = "k for top-k changes (default ${DEFAULT-VALUE}).") int k;
    @Option(names = "--out", required = true, description = "Output folder (created).") Path out;
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path dir = ModelLocation.resolve(model);
        PromptInput.Tokens tokens = input.resolve(dir);
        OutputPaths.checkWritableDir(out, "--out");
        try (HymbaModel m = HymbaModel.load(dir)) {
            AblationSpec a = AblationOption.read(specA, "--a", m.config()), b = AblationOption.read(specB, "--b", m.config());
            Trace ta = trace(m, tokens, a), tb = trace(m, tokens, b);
            TraceComparison cmp = TraceComparison.of(ta, tb, k);
            write(cmp, ta, a, b);
            PrintWriter o = spec.commandLine().getOut();
            o.printf("A: %s%nB: %s%n", a.isEmpty() ? "as trained" : String.join("; ", a.describe()), b.isEmpty() ? "as trained" : String.join("; ", b.describe()));
            o.printf("mean KL(A||B) %.6f nats, mean next-token loss change (B-A) %+.6f nats, top-1 changed at %d of %d positions%n",
                    cmp.meanKl(), cmp.meanNllDelta(), cmp.top1Changes(), tokens.ids().length);
            o.printf("wrote %s%n", out);
        }
        return 0;
    }

    private static Trace trace(HymbaModel m, PromptInput.Tokens t, AblationSpec s) {
        AblationCompiler.Compiled c = AblationOption.compile(s, m.config());
        return Tracer.run(m, new Tracer.Request(t.ids(), t.pieces(), t.prompt(), c.options(), s.toJson(), c.attentionEditedLayers(), s.isOutOfDistribution()));
    }

    private void write(TraceComparison cmp, Trace ta, AblationSpec a, AblationSpec b) throws Exception {
        int L = ta.ids().length;
        try (BufferedWriter w = Files.newBufferedWriter(out.resolve("per_token.csv"))) {
            w.write("position,token_id,token,kl_a_b,nll_a,nll_b,nll_delta,top1_a,top1_b,topk_overlap\n");
            for (int t = 0; t < L; t++) {
                RunComparison.TopK tk = cmp.topK().get(t);
                String nA = t < cmp.nllA().length ? Double.toString(cmp.nllA()[t]) : "";
                String nB = t < cmp.nllB().length ? Double.toString(cmp.nllB()[t]) : "";
                String nD = t < cmp.nllA().length ? Double.toString(cmp.nllB()[t] - cmp.nllA()[t]) : "";
                w.write(t + "," + ta.ids()[t] + "," + csv(ta.label(ta.metaCount() + t)) + "," + cmp.klPerToken()[t] + "," + nA + "," + nB + "," + nD + ","
                        + tk.idsA()[0] + "," + tk.idsB()[0] + "," + tk.overlap() + "\n");
            }
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("a", a.toJson());
        root.put("b", b.toJson());
        root.put("mean_kl", cmp.meanKl());
        root.put("mean_nll_delta", cmp.meanNllDelta());
        root.put("top1_changes", cmp.top1Changes());
        root.put("head_deltas_b_minus_a", cmp.headDeltas());
        root.put("layer_deltas_b_minus_a", cmp.layerDeltas());
        root.put("provenance_a", ta.provenance().toMap());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("comparison.json").toFile(), root);
        float[] kl = new float[L];
        for (int t = 0; t < L; t++) kl[t] = (float) cmp.klPerToken()[t];
        NpyStreamWriter.write(out.resolve("kl_per_token.npy"), kl, L);
    }

    private static String csv(String s) { return "\"" + s.replace("\"", "\"\"") + "\""; }
}
