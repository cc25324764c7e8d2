package dev.hymba.workbench.cli;

import dev.hymba.core.config.HymbaConfig;
import dev.hymba.core.config.HymbaPresets;
import dev.hymba.core.io.DType;
import dev.hymba.core.io.RandomCheckpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code ./hymba init --like hymba-1.5b|tiny --dtype bf16|f32 --seed S --out DIR}: a random-weight checkpoint in the real layout. */
@Command(name = "init", mixinStandardHelpOptions = true, description = "Write a random-weight checkpoint in the real Hugging Face layout (for tests and benchmarks).")
public final class InitCommand implements Callable<Integer> {
    @Option(names = "--like", required = true, description = "Preset: hymba-1.5b (exact 1.5B shapes) or tiny.") String like;
    @Option(names = "--dtype", defaultValue = "bf16", description = "bf16 (default), f16 or f32.") String dtype;
    @Option(names = "--seed", defaultValue = "0", description = "Random seed.") long seed;
    @Option(names = "--out", required = true, description = "Output folder (created; must be empty if it exists).") Path out;
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        HymbaConfig c = HymbaPresets.byName(like);
        DType t = switch (dtype.toLowerCase()) {
            case "bf16" -> DType.BF16;
            case "f16" -> DType.F16;
            case "f32" -> DType.F32;
            default -> throw new IllegalArgumentException("--dtype: '" + dtype + "' is not bf16, f16 or f32");
        };
        if (Files.isDirectory(out)) {
            try (var s = Files.list(out)) {
                if (s.findAny().isPresent()) throw new IllegalArgumentException("--out " + out + ": folder is not empty");
            }
        }
        OutputPaths.checkWritableDir(out, "--out");
        long t0 = System.nanoTime();
        RandomCheckpoint.write(c, t, seed, out);
        spec.commandLine().getOut().printf("wrote %s: %s, %,d parameters, %s, seed %d in %.1f s%n", out, like, c.parameterCount(), t, seed, (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}
