package dev.hymba.samples;

import dev.hymba.core.model.HymbaModel;
import dev.hymba.core.tokenizer.HymbaTokenizer;
import dev.hymba.plugins.api.AnalysisPlugin;
import dev.hymba.plugins.api.AnalysisResult;
import dev.hymba.plugins.bundled.*;
import dev.hymba.plugins.host.PluginOutcome;
import dev.hymba.plugins.host.PluginRunner;
import dev.hymba.plugins.host.SimpleContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every bundled analysis plugin runs on the shipped trained sample (hymba-mini) through the plugin host, on a copy-task
 * prompt the model solves, and returns well-formed results (the host's validator rejects ragged tables, NaN arrays,
 * mismatched shapes). The exact semantics of each plugin are tested on the golden tiny-a model in plugins/api.
 */
class BundledPluginsOnSampleModelsTest {
    static final String PROMPT = "Copy: river window six market. Again: river window";
    static HymbaModel model;
    static HymbaTokenizer tokenizer;
    static PromptTokens prompt;

    @BeforeAll
    static void load() {
        Path dir = Path.of("models", "hymba-mini");
        model = HymbaModel.load(dir);
        tokenizer = HymbaTokenizer.load(dir);
        var enc = tokenizer.encode(PROMPT);
        prompt = new PromptTokens(enc.ids(), enc.pieces());
    }

    @AfterAll
    static void close() throws Exception {
        tokenizer.close();
        model.close();
    }

    private static AnalysisResult run(AnalysisPlugin plugin, Map<String, String> params) {
        SimpleContext ctx = new SimpleContext(params, (f, m) -> {}).with(HymbaModel.class, model)
                .with(PromptTokens.class, prompt).with(HymbaTokenizer.class, tokenizer);
        PluginOutcome o = PluginRunner.run(plugin, ctx, Duration.ofMinutes(5));
        assertThat(o).as(o.summary()).isInstanceOf(PluginOutcome.Success.class);
        AnalysisResult r = ((PluginOutcome.Success) o).result();
        assertThat(r.tables()).isNotEmpty();
        r.tables().forEach(t -> assertThat(t.rows()).as(t.name()).isNotEmpty());
        return r;
    }

    /** The model's own top token after the prompt. */
    private static int modelsTopToken() {
        int[] ids = prompt.ids();
        float[] logits = model.forward(ids, dev.hymba.core.model.RunOptions.DEFAULT).logits();
        int vocab = model.config().vocabSize(), last = ids.length - 1, best = 0;
        for (int v = 1; v < vocab; v++) if (logits[last * vocab + v] > logits[last * vocab + best]) best = v;
        return best;
    }

    @Test
    void logitLensNamesTheModelsOwnPrediction() {
        AnalysisResult r = run(new LogitLensPlugin(), Map.of("k", "3"));
        int best = modelsTopToken();
        AnalysisResult.Table table = r.tables().getFirst();
        // columns: layer, P(target), top 1..k; the last row is the last layer, i.e. the model's own output
        assertThat(table.columns().get(1)).isEqualTo("P(target=" + best + ")");
        List<String> lastLayer = table.rows().getLast();
        assertThat(lastLayer.getFirst()).isEqualTo("layer " + (model.config().numHiddenLayers() - 1));
        assertThat(lastLayer.get(2)).startsWith(best + " (");
        assertThat(table.rows()).hasSize(model.config().numHiddenLayers() + 1);
    }

    @Test
    void branchAttributionHeadImportanceAndPatchingRunOnTheSample() {
        run(new BranchAttributionPlugin(), Map.of());
        run(new HeadImportancePlugin(), Map.of());
        // corrupted: the first copied word replaced by the second (same length, so positions line up)
        int[] corrupted = prompt.ids();
        corrupted[5] = corrupted[6];
        AnalysisResult r = run(new ActivationPatchingPlugin(), Map.of(
                "corrupted_ids", String.join(",", Arrays.stream(corrupted).mapToObj(Integer::toString).toList()),
                "target", Integer.toString(modelsTopToken())));
        assertThat(r.arrays()).isNotEmpty();
    }
}
