package dev.hymba.sweeps;

import dev.hymba.core.config.HymbaConfig;
import dev.hymba.core.config.HymbaConfigParser;
import dev.hymba.core.io.SharedData;
import dev.hymba.core.model.HymbaModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The golden tiny-a model (6 layers, 4 heads, vocab 512, no tokenizer), loaded once per test JVM. */
final class TinyA {
    private static HymbaModel model;

    private TinyA() {}

    static Path dir() {
        Path p = SharedData.golden().map(g -> g.resolve("tiny-a")).orElse(null);
        assumeTrue(p != null && Files.isRegularFile(p.resolve("model.safetensors")), "golden tiny-a not found (shared/golden/tiny-a): skipped");
        return p;
    }

    static HymbaConfig config() { return HymbaConfigParser.read(dir().resolve("config.json")); }

    static synchronized HymbaModel model() {
        if (model == null) model = HymbaModel.load(dir());
        return model;
    }

    /** Writes prompts.jsonl and sweep.json (model = tiny-a) into {@code dir}; returns the spec file. */
    static Path writeSweep(Path dir, String grid, String metrics, int batch, String... promptLines) throws IOException {
        Files.writeString(dir.resolve("prompts.jsonl"), String.join("\n", promptLines) + "\n");
        String spec = """
                {"version": 1, "model": "%s", "prompts": "prompts.jsonl", "grid": %s, "metrics": %s, "batch": %d}
                """.formatted(dir().toString().replace("\\", "\\\\"), grid, metrics, batch);
        Path f = dir.resolve("sweep.json");
        Files.writeString(f, spec);
        return f;
    }
}
