package dev.hymba.workbench.cli;

import dev.hymba.core.io.Npy;
import dev.hymba.core.io.SharedData;
import dev.hymba.core.model.HymbaModel;
import dev.hymba.core.model.RunOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class PluginCommandTest {
    static Path golden;

    @BeforeAll
    static void golden() {
        assumeTrue(SharedData.golden().isPresent(), "../shared/golden is absent");
        golden = SharedData.golden().get().resolve("tiny-a");
    }

    static Path ids(Path tmp, int n) throws Exception {
        int[] ids = Arrays.copyOf(Npy.read(golden.resolve("input_ids.npy")).intData(), n);
        Path f = tmp.resolve("ids-" + n + ".npy");
        Npy.writeInt32(f, ids, ids.length);
        return f;
    }

    @Test
    void listShowsBundledPluginsAndRefusedJarsWithReasons(@TempDir Path tmp) throws Exception {
        Path plugins = Files.createDirectories(tmp.resolve("plugins"));
        Files.write(plugins.resolve("broken.jar"), new byte[]{1, 2, 3});
        CliTestSupport.Result r = CliTestSupport.run("plugin", "--list", "--plugins", plugins.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("logit-lens", "branch-attribution", "head-importance", "activation-patching", "scale-branch")
                .contains("--param target=").contains("refused:").contains("broken.jar: not a readable jar file");
    }

    @Test
    void runsLogitLensPrintsTablesAndWritesArrays(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        CliTestSupport.Result r = CliTestSupport.run("plugin", "logit-lens", "--model", golden.toString(), "--ids", ids(tmp, 12).toString(),
                "--param", "target=3", "--param", "k=2", "--out", out.toString(), "--plugins", tmp.resolve("none").toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("== top-k at position 11").contains("P(target=3)").contains("wrote 1 arrays and 1 tables");
        Npy.Array a = Npy.read(out.resolve("target_prob.npy"));
        assertThat(a.shape()).containsExactly(7, 12);
        try (HymbaModel m = HymbaModel.load(golden)) {
            var f = m.forward(Arrays.copyOf(Npy.read(golden.resolve("input_ids.npy")).intData(), 12), RunOptions.DEFAULT);
            double p = Math.exp(dev.hymba.core.analysis.RunComparison.logSoftmax(f.logits(), f.vocab(), 11)[3]);
            assertThat((double) a.floats()[6 * 12 + 11]).isCloseTo(p, org.assertj.core.api.Assertions.within(1e-7));
        }
        assertThat(Files.readAllLines(out.resolve("target_prob.csv"))).hasSize(7).allMatch(l -> l.split(",").length == 12);
        assertThat(Files.readAllLines(out.resolve("table-top-k_at_position_11.csv")).getFirst()).isEqualTo("layer,P(target=3),top 1,top 2");
    }

    @Test
    void aViewPluginRendersItsViewHeadlessToPng(@TempDir Path tmp) throws Exception {
        String none = tmp.resolve("none").toString();
        Path png = tmp.resolve("strip.png");
        CliTestSupport.Result r = CliTestSupport.run("plugin", dev.hymba.workbench.testing.PromptStripViewPlugin.ID, "--model", golden.toString(),
                "--ids", ids(tmp, 5).toString(), "--out", png.toString(), "--plugins", none);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("wrote " + png);
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(1200);
        assertThat(img.getHeight()).isEqualTo(800);
        // the five token labels are drawn: the view's blue appears in the image
        boolean blue = false;
        for (int x = 0; x < 600 && !blue; x++) for (int y = 0; y < 40 && !blue; y++) blue = (img.getRGB(x, y) & 0xFFFFFF) == 0x0072B2;
        assertThat(blue).as("the view's label colour is in the PNG").isTrue();

        r = CliTestSupport.run("plugin", dev.hymba.workbench.testing.PromptStripViewPlugin.ID, "--model", golden.toString(),
                "--ids", ids(tmp, 5).toString(), "--plugins", none);
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("is a view: give --out FILE.png to render it");
    }

    @Test
    void errorsAreOneLineWithTheReason(@TempDir Path tmp) throws Exception {
        String none = tmp.resolve("none").toString();
        CliTestSupport.Result r = CliTestSupport.run("plugin", "nope", "--model", golden.toString(), "--ids", ids(tmp, 4).toString(), "--plugins", none);
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("no plugin 'nope'; available: ").contains("logit-lens");
        r = CliTestSupport.run("plugin", "logit-lens", "--model", golden.toString(), "--ids", ids(tmp, 4).toString(), "--param", "colour=red", "--plugins", none);
        assertThat(r.err()).contains("--param colour: plugin logit-lens has no such parameter; it takes k, position, target");
        r = CliTestSupport.run("plugin", "scale-branch", "--model", golden.toString(), "--ids", ids(tmp, 4).toString(), "--plugins", none);
        assertThat(r.err()).contains("plugin 'scale-branch' is intervention, not an analysis");
        r = CliTestSupport.run("plugin", "logit-lens", "--model", golden.toString(), "--ids", ids(tmp, 4).toString(), "--param", "target=600", "--plugins", none);
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("hymba plugin: logit-lens failed: IllegalArgumentException: parameter target=600 is outside the vocabulary");
        r = CliTestSupport.run("plugin", "--plugins", none);
        assertThat(r.err()).contains("give a plugin NAME");
    }
}
