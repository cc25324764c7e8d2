package dev.hymba.workbench.cli;

import dev.hymba.core.model.HymbaModel;
import dev.hymba.core.trace.Trace;
import dev.hymba.core.trace.TraceComparison;
import dev.hymba.core.trace.Tracer;
import dev.hymba.workbench.charts.Figure;
import dev.hymba.workbench.export.ExportOptions;
import dev.hymba.workbench.export.FigureExporter;
import dev.hymba.workbench.run.TraceRunData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;

/**
 * {@code ./hymba figure --model DIR --text "…" [--ablation SPEC.json] --view attention|sinks|ssm|fusion|meta|compare
 * [--layer L --head H] --format png|svg|pdf --out FILE}: the same figure as the GUI, rendered without a display.
 */
@Command(name = "figure", mixinStandardHelpOptions = true, description = "Render one view's figure headless to PNG, SVG or PDF (with a provenance sidecar).")
public final class FigureCommand implements Callable<Integer> {
    @Option(names = "--model", description = "Model folder. Default: the bundled sample.") Path model;
    @Mixin PromptInput input;
    @Mixin AblationOption ablation;
    @Option(names = "--view", required = true, description = "attention, sinks, ssm, fusion, meta or compare (compare: baseline vs --ablation).") String view;
    @Option(names = "--layer", defaultValue = "-1", description = "Layer (default: the last).") int layer;
    @Option(names = "--head", defaultValue = "0", description = "Head for the attention view (default ${DEFAULT-VALUE}).") int head;
    @Option(names = "--format", description = "png, svg or pdf (default: from the --out extension).") String format;
    @Option(names = "--width", defaultValue = "1200", description = "Width in pixels (default ${DEFAULT-VALUE}).") int width;
    @Option(names = "--height", defaultValue = "900", description = "Height in pixels (default ${DEFAULT-VALUE}).") int height;
    @Option(names = "--dpi", defaultValue = "150", description = "Resolution written into PNG/PDF (default ${DEFAULT-VALUE}).") int dpi;
    @Option(names = "--out", required = true, description = "Output file.") Path out;
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!RunFigures.VIEWS.contains(view)) throw new IllegalArgumentException("--view: '" + view + "' is not one of " + RunFigures.VIEWS);
        Path file = out;
        if (format != null) {
            String f = format.toLowerCase();
            if (!f.equals("png") && !f.equals("svg") && !f.equals("pdf")) throw new IllegalArgumentException("--format: '" + format + "' is not png, svg or pdf");
            if (!file.getFileName().toString().toLowerCase().endsWith("." + f)) file = file.resolveSibling(file.getFileName() + "." + f);
        }
        OutputPaths.checkWritableFile(file, "--out");
        Path dir = ModelLocation.resolve(model);
        PromptInput.Tokens tokens = input.resolve(dir);
        try (HymbaModel m = HymbaModel.load(dir)) {
            int n = m.config().numHiddenLayers();
            int l = layer < 0 ? n - 1 : layer;
            if (l >= n) throw new IllegalArgumentException("--layer: " + l + " is outside 0.." + (n - 1));
            if (head < 0 || head >= m.config().numAttentionHeads()) throw new IllegalArgumentException("--head: " + head + " is outside 0.." + (m.config().numAttentionHeads() - 1));
            Tracer.Request req = ablation.request(m.config(), tokens);
            Trace t = Tracer.run(m, req);
            TraceRunData run = new TraceRunData(t);
            Figure fig = switch (view) {
                case "attention" -> RunFigures.attention(run, l, head);
                case "sinks" -> RunFigures.sinks(t);
                case "ssm" -> RunFigures.ssm(t, l);
                case "fusion" -> RunFigures.fusion(t, m).get(0);
                case "meta" -> RunFigures.meta(t, l, "prompt");
                default -> {
                    Trace base = Tracer.run(m, Tracer.Request.of(tokens.ids(), tokens.pieces(), tokens.prompt()));
                    yield RunFigures.compare(TraceComparison.of(base, t, 5));
                }
            };
            FigureExporter.Written w = new FigureExporter(HymbaCli.VERSION, Clock.systemUTC()).export(fig, file, new ExportOptions(width, height, dpi), run.provenance());
            spec.commandLine().getOut().printf("wrote %s (%s) and %s%n", w.file(), fig.name(), w.sidecar().getFileName());
        }
        return 0;
    }
}
