package dev.hymba.workbench.cli;

import dev.hymba.workbench.testing.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ScreenshotCommandTest {
    @Test
    void rendersTheRealWindowHeadless(@TempDir Path tmp) throws Exception {
        Path model = TinyModels.withRealTokenizer(tmp.resolve("m"));
        Path png = tmp.resolve("attention.png");
        CliTestSupport.Result r = CliTestSupport.run("screenshot", "--model", model.toString(), "--text", "The cat sat on the mat.",
                "--view", "attention", "--width", "900", "--height", "600", "--out", png.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(900);
        assertThat(img.getHeight()).isEqualTo(600);
        // Not a blank frame: the window draws more than one colour.
        int first = img.getRGB(0, 0);
        boolean varied = false;
        for (int y = 0; y < img.getHeight() && !varied; y += 7) for (int x = 0; x < img.getWidth(); x += 7) if (img.getRGB(x, y) != first) { varied = true; break; }
        assertThat(varied).isTrue();
        assertThat(CliTestSupport.run("screenshot", "--model", model.toString(), "--text", "x", "--view", "nonsense", "--out", tmp.resolve("n.png").toString()).err())
                .contains("nonsense");
    }
}
