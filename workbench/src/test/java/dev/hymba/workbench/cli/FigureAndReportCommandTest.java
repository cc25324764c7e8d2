package dev.hymba.workbench.cli;

import dev.hymba.core.io.Npy;
import dev.hymba.core.io.SharedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class FigureAndReportCommandTest {
    static Path golden;

    @BeforeAll
    static void golden() {
        assumeTrue(SharedData.golden().isPresent(), "../shared/golden is absent");
        golden = SharedData.golden().get().resolve("tiny-a");
    }

    private static String[] args(Path out, String view, String... more) {
        String[] base = {"figure", "--model", golden.toString(), "--ids", golden.resolve("input_ids.npy").toString(), "--view", view, "--out", out.toString()};
        String[] all = Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void everyViewRendersToPngWithTheRequestedSizeAndASidecar(@TempDir Path tmp) throws Exception {
        for (String view : RunFigures.VIEWS) {
            Path png = tmp.resolve(view + ".png");
            CliTestSupport.Result r = CliTestSupport.run(args(png, view, "--width", "640", "--height", "480", "--layer", "4", "--head", "1"));
            assertThat(r.exitCode()).as(view + ": " + r.err()).isZero();
            BufferedImage img = ImageIO.read(png.toFile());
            assertThat(img.getWidth()).as(view).isEqualTo(640);
            assertThat(img.getHeight()).as(view).isEqualTo(480);
            assertThat(tmp.resolve(view + ".png.provenance.json")).exists();
        }
    }

    @Test
    void svgParsesAndPdfHasAPage(@TempDir Path tmp) throws Exception {
        Path svg = tmp.resolve("a.svg");
        assertThat(CliTestSupport.run(args(svg, "attention", "--layer", "1")).exitCode()).isZero();
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false); // no network
        var doc = f.newDocumentBuilder().parse(svg.toFile());
        assertThat(doc.getDocumentElement().getNodeName()).isEqualTo("svg");
        Path pdf = tmp.resolve("s");
        assertThat(CliTestSupport.run(args(pdf, "sinks", "--format", "pdf")).exitCode()).isZero();
        try (var d = org.apache.pdfbox.Loader.loadPDF(tmp.resolve("s.pdf").toFile())) {
            assertThat(d.getNumberOfPages()).isEqualTo(1);
        }
    }

    @Test
    void badViewsAndLayersAreRejected(@TempDir Path tmp) {
        assertThat(CliTestSupport.run(args(tmp.resolve("x.png"), "nonsense")).err()).contains("--view: 'nonsense' is not one of");
        assertThat(CliTestSupport.run(args(tmp.resolve("x.png"), "attention", "--layer", "6")).err()).contains("--layer: 6 is outside 0..5");
        assertThat(CliTestSupport.run(args(tmp.resolve("x.png"), "attention", "--format", "gif")).err()).contains("--format: 'gif'");
    }

    @Test
    void reportWritesEveryFigureAndAPageLinkingThem(@TempDir Path tmp) throws Exception {
        int[] ids = Npy.read(golden.resolve("input_ids.npy")).intData();
        Path prompts = tmp.resolve("p.jsonl");
        Files.writeString(prompts, "{\"domain\":\"a\",\"ids\":" + Arrays.toString(Arrays.copyOf(ids, 40)) + "}\n"
                + "{\"domain\":\"b\",\"ids\":" + Arrays.toString(Arrays.copyOfRange(ids, 20, 72)) + "}\n");
        Path out = tmp.resolve("report");
        CliTestSupport.Result r = CliTestSupport.run("report", "--model", golden.toString(), "--prompts", prompts.toString(), "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        String md = Files.readString(out.resolve("report.md"));
        for (String f : new String[]{"fig5_meta_by_domain", "fig7_region_mass", "fusion_magnitudes", "fusion_beta", "fig3_branch_removal", "entropy_meta"}) {
            assertThat(out.resolve(f + ".png")).exists();
            assertThat(out.resolve(f + ".svg")).exists();
            assertThat(out.resolve(f + ".csv")).exists();
            assertThat(md).contains("(" + f + ".png)");
        }
        // The branch-removal data: every layer has a value for both branches.
        assertThat(Files.readAllLines(out.resolve("fig3_branch_removal.csv"))).hasSizeGreaterThanOrEqualTo(7);
    }
}
