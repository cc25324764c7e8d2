package dev.hymba.samples;

import dev.hymba.core.io.Npy;
import dev.hymba.core.model.ForwardResult;
import dev.hymba.core.model.HymbaModel;
import dev.hymba.core.model.RunOptions;
import dev.hymba.core.tokenizer.HymbaTokenizer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Java engine reproduces the training recipe's own logits on every shipped sample model (the recipe saved them
 * next to the weights: input_ids.npy + logits.npy for samples/prompts/default.txt), within 1e-4 · max|logit|.
 */
class SampleModelsParityTest {
    static final Path MODELS = Path.of("models");

    @ParameterizedTest
    @ValueSource(strings = {"hymba-mini", "hymba-mini-stacked", "hymba-mini-nometa"})
    void engineReproducesTheRecipeLogits(String name) throws Exception {
        Path dir = MODELS.resolve(name);
        assertThat(dir.resolve("config.json")).as("shipped sample model " + name).exists();
        int[] ids = Npy.read(dir.resolve("input_ids.npy")).intData();
        float[] expected = Npy.read(dir.resolve("logits.npy")).floats();
        try (HymbaModel m = HymbaModel.load(dir)) {
            ForwardResult r = m.forward(ids, RunOptions.DEFAULT);
            double maxRef = 0, maxDiff = 0;
            for (int i = 0; i < expected.length; i++) {
                maxRef = Math.max(maxRef, Math.abs(expected[i]));
                maxDiff = Math.max(maxDiff, Math.abs(expected[i] - r.logits()[i]));
            }
            System.out.printf("%s: max|diff| %.3e, max|logit| %.3e, rel %.2e%n", name, maxDiff, maxRef, maxDiff / maxRef);
            assertThat(r.logits()).hasSize(expected.length);
            assertThat(maxDiff).isLessThanOrEqualTo(1e-4 * maxRef);
        }
        // The shipped tokenizer gives the same ids for the default prompt (BOS first).
        try (HymbaTokenizer tok = HymbaTokenizer.load(dir)) {
            String prompt = Files.readString(Path.of("prompts", "default.txt")).strip();
            assertThat(tok.encode(prompt).ids()).containsExactly(ids);
        }
    }
}
