package dev.hymba.workbench.cli;

import dev.hymba.core.export.TraceExport;
import dev.hymba.core.model.HymbaModel;
import dev.hymba.core.trace.LayerTrace;
import dev.hymba.core.trace.Trace;
import dev.hymba.core.trace.Tracer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code ./hymba trace --model DIR (--ids F | --text T) [--ablation SPEC.json] --out DIR [--maps all|L:H,…]}. */
@Command(name = "trace", mixinStandardHelpOptions = true,
        description = "Run a traced prefill and write the golden-named arrays, metrics.json and provenance.json.")
public final class TraceCommand implements Callable<Integer> {
    @Option(names = "--model", description = "Model folder. Default: the bundled sample.") Path model;
    @Mixin PromptInput input;
    @Mixin AblationOption ablation;
    @Option(names = "--out", required = true, description = "Output folder (created).") Path out;
    @Option(names = "--maps", description = "Attention maps to write: 'all' (attn_probs.npy [n,H,T,T]) or LAYER:HEAD,...") String maps;
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path dir = ModelLocation.resolve(model);
        PromptInput.Tokens tokens = input.resolve(dir);
        OutputPaths.checkWritableDir(out, "--out");
        try (HymbaModel m = HymbaModel.load(dir)) {
            TraceExport.Maps which = TraceExport.Maps.parse(maps, m.config());
            Tracer.Request req = ablation.request(m.config(), tokens);
            Trace t = TraceExport.run(m, req, out, which);
            PrintWriter o = spec.commandLine().getOut();
            o.printf("traced %d tokens (%d positions) into %s%n", tokens.ids().length, t.positions(), out);
            for (LayerTrace lt : t.layers()) if (lt.trust().status() == LayerTrace.TrustCheck.Status.FAILED)
                o.printf("WARNING layer %d attention trust check %s%n", lt.layer(), lt.trust().describe());
        }
        return 0;
    }
}
