package dev.hymba.workbench.testing;

import dev.hymba.core.config.FusionMode;
import dev.hymba.core.config.HymbaConfig;
import dev.hymba.core.io.DType;
import dev.hymba.core.io.RandomCheckpoint;
import dev.hymba.core.io.SharedData;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Small random-weight models for tests that need a tokenizer: the real Hymba tokenizer, copied into a temp folder. */
public final class TinyModels {
    private TinyModels() {}

    /** A 3-layer model (meta 4, window 6, globals 0 and 2) with the real 32,001-piece vocabulary, written to dir. */
    public static Path withRealTokenizer(Path dir) throws IOException {
        assumeTrue(SharedData.golden().isPresent(), "../shared/golden is absent");
        Path src = SharedData.golden().get().resolve("hymba-1.5b-reference-files");
        HymbaConfig c = new HymbaConfig(32001, 32, 3, 2, 1, 64, 1e-6, true, true, 10000.0, "ntk", 256, 64,
                4, 6, List.of(0, 2), List.of(), 4, 4, 2, 2, true, false, true, "silu", "silu", 1, 2, 0, FusionMode.FUSED);
        RandomCheckpoint.write(c, DType.F32, 9, dir);
        for (String f : List.of("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"))
            Files.copy(src.resolve(f), dir.resolve(f)); // a temp copy for this test run only
        return dir;
    }
}
