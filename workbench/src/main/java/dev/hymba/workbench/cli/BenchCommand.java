package dev.hymba.workbench.cli;

import dev.hymba.core.model.ModelBenchmark;
import dev.hymba.core.trace.TraceBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code ./hymba bench --model DIR [--prompt-tokens N] [--decode-tokens N]}: load, prefill and decode figures. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure load time, prefill tok/s and effective GFLOP/s, decode tok/s and peak memory (a benchmark: run it on an idle machine).")
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--model", description = "Model folder. Default: the bundled sample.") Path model;
    @Option(names = "--prompt-tokens", defaultValue = "512", description = "Prompt length (default ${DEFAULT-VALUE}).") int promptTokens;
    @Option(names = "--decode-tokens", defaultValue = "16", description = "Tokens to decode after the prompt (default ${DEFAULT-VALUE}).") int decodeTokens;
    @Option(names = "--trace", description = "Also measure tracing: overhead over the plain prefill, heap kept by the trace, one on-demand attention map.") boolean trace;
    @Option(names = "--seed", defaultValue = "1", description = "Seed of the random prompt ids.") long seed;
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Path dir = ModelLocation.resolve(model);
        TraceBenchmark.Result[] traced = new TraceBenchmark.Result[1];
        ModelBenchmark.Result r = ModelBenchmark.run(dir, promptTokens, decodeTokens, seed,
                trace ? (m, ids) -> traced[0] = TraceBenchmark.measure(m, ids) : null);
        spec.commandLine().getOut().println("model " + dir + " (" + String.format("%,d", r.config().parameterCount()) + " parameters)");
        spec.commandLine().getOut().println(r.summary());
        if (traced[0] != null) spec.commandLine().getOut().println(traced[0].summary());
        return 0;
    }
}
