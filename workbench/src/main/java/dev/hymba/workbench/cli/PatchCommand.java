package dev.hymba.workbench.cli;

import dev.hymba.core.io.Npy;
import dev.hymba.core.model.HymbaModel;
import dev.hymba.core.patching.ActivationPatching;
import dev.hymba.core.patching.PatchMetric;
import dev.hymba.plugins.api.AnalysisResult;
import dev.hymba.plugins.bundled.ActivationPatchingPlugin;
import dev.hymba.plugins.bundled.PromptTokens;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;

/**
 * {@code ./hymba patch --model DIR --clean "…" --corrupted "…" (or --clean-ids/--corrupted-ids F.npy) --target ID
 * [--distractor ID] [--metric logit-diff|prob|nll] [--sweep positions|heads] [--point SUFFIX] [--layers L,…] --out DIR}:
 * activation patching sweep; writes effect.npy/.csv (normalised indirect effect) and metric.npy/.csv, [layers, columns].
 */
@Command(name = "patch", mixinStandardHelpOptions = true,
        description = "Activation patching: clean vs corrupted prompt, sweep layers x positions or heads, write the effect grid.")
public final class PatchCommand implements Callable<Integer> {
    @Option(names = "--model", description = "Model folder. Default: the bundled sample.") Path model;
    @Option(names = "--clean", description = "Clean prompt text.") String clean;
    @Option(names = "--corrupted", description = "Corrupted prompt text (same token count).") String corrupted;
    @Option(names = "--clean-ids", description = "Clean token ids (1-D int .npy).") Path cleanIds;
    @Option(names = "--corrupted-ids", description = "Corrupted token ids (1-D int .npy).") Path corruptedIds;
    @Option(names = "--target", required = true, description = "Target token id the metric reads at the last position.") int target;
    @Option(names = "--distractor", description = "Second token id: the metric becomes logit[target] - logit[distractor].") Integer distractor;
    @Option(names = "--metric", description = "logit-diff | prob | nll (default: logit-diff with --distractor, else prob).") String metric;
    @Option(names = "--sweep", description = "positions (layers x positions) or heads (layers x heads). Default: ${DEFAULT-VALUE}.", defaultValue = "positions") String sweep;
    @Option(names = "--point", description = "Per-layer hook point (default resid_pre for positions, attn.out for heads).") String point;
    @Option(names = "--layers", split = ",", description = "Layers to sweep (default: all).") int[] layers;
    @Option(names = "--out", required = true, description = "Output folder (created).") Path out;
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!sweep.equals("positions") && !sweep.equals("heads")) throw new IllegalArgumentException("--sweep " + sweep + ": expected positions or heads");
        Path dir = ModelLocation.resolve(model);
        PromptInput.Tokens a = prompt(dir, clean, cleanIds, "--clean"), b = prompt(dir, corrupted, corruptedIds, "--corrupted");
        if (a.ids().length != b.ids().length)
            throw new IllegalArgumentException("--clean has " + a.ids().length + " tokens but --corrupted has " + b.ids().length + "; activation patching needs equal lengths");
        PatchMetric pm = PatchMetric.parse(metric != null ? metric : distractor != null ? "logit-diff" : "prob", target, distractor);
        OutputPaths.checkWritableDir(out, "--out");
        PrintWriter o = spec.commandLine().getOut();
        try (HymbaModel m = HymbaModel.load(dir)) {
            ActivationPatching ap = ActivationPatching.prepare(m, a.ids(), b.ids(), pm);
            String p = point != null ? point : sweep.equals("positions") ? "resid_pre" : "attn.out";
            ActivationPatching.Grid g = sweep.equals("positions") ? ap.sweepPositions(p, layers, null, null, null) : ap.sweepHeads(p, layers, null, null, null);
            AnalysisResult r = ActivationPatchingPlugin.result(g, new PromptTokens(a.ids(), a.pieces()));
            PluginCommand.print(r, o);
            PluginCommand.write(r, out, o);
            Files.writeString(out.resolve("grid.txt"), "rows: layers " + Arrays.toString(g.layers()) + "\ncolumns: " + g.columnKind() + "s "
                    + Arrays.toString(g.columns()) + "\nmetric: " + g.metricName() + "\nclean: " + g.clean() + "\ncorrupted: " + g.corrupted() + "\n");
        }
        return 0;
    }

    private static PromptInput.Tokens prompt(Path dir, String text, Path ids, String option) throws Exception {
        if ((text == null) == (ids == null)) throw new IllegalArgumentException("give exactly one of " + option + " \"...\" or " + option + "-ids FILE.npy");
        if (text != null) return Tokenization.encode(dir, text);
        if (!Files.isRegularFile(ids)) throw new IllegalArgumentException(option + "-ids " + ids + ": no such file");
        Npy.Array arr = Npy.read(ids);
        if (arr.longs() == null || arr.shape().length != 1 || arr.size() == 0)
            throw new IllegalArgumentException(option + "-ids " + ids + ": expected a non-empty 1-D int32 or int64 array, got " + arr.descr() + " " + Arrays.toString(arr.shape()));
        int[] out = new int[arr.size()];
        for (int i = 0; i < out.length; i++) {
            long v = arr.longs()[i];
            if (v < 0 || v > Integer.MAX_VALUE) throw new IllegalArgumentException(option + "-ids " + ids + ": value " + v + " at index " + i + " is not a token id");
            out[i] = (int) v;
        }
        return new PromptInput.Tokens(out, null, null);
    }
}
