package dev.hymba.plugins.bundled;

import dev.hymba.core.io.Npy;
import dev.hymba.core.io.SharedData;
import dev.hymba.core.model.HymbaModel;
import dev.hymba.plugins.api.AnalysisPlugin;
import dev.hymba.plugins.api.AnalysisResult;
import dev.hymba.plugins.host.PluginOutcome;
import dev.hymba.plugins.host.PluginRunner;
import dev.hymba.plugins.host.SimpleContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The golden tiny-a checkpoint (read in place) and a short prompt from its input ids; one model per JVM. */
final class TinyA {
    private static HymbaModel model;

    private TinyA() {}

    static Path dir() {
        assumeTrue(SharedData.golden().isPresent(), "../shared/golden is absent: plugin tests on tiny-a skipped");
        return SharedData.golden().get().resolve("tiny-a");
    }

    static synchronized HymbaModel model() {
        if (model == null) model = HymbaModel.load(dir());
        return model;
    }

    static int[] ids(int n) {
        try {
            return Arrays.copyOf(Npy.read(dir().resolve("input_ids.npy")).intData(), n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SimpleContext context(int[] ids, Map<String, String> params) {
        return new SimpleContext(params, null).with(HymbaModel.class, model()).with(PromptTokens.class, new PromptTokens(ids, null));
    }

    /** Runs a plugin the way hosts do (isolated, time-limited) and insists on success. */
    static AnalysisResult run(AnalysisPlugin p, SimpleContext ctx) {
        PluginOutcome o = PluginRunner.run(p, ctx, Duration.ofMinutes(2));
        assertThat(o).as(o.summary()).isInstanceOf(PluginOutcome.Success.class);
        return ((PluginOutcome.Success) o).result();
    }

    static AnalysisResult.NamedArray array(AnalysisResult r, String name) {
        return r.arrays().stream().filter(a -> a.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError("no array " + name));
    }
}
