package dev.hymba.workbench.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hymba.workbench.charts.AttentionHeatmap;
import dev.hymba.workbench.charts.Figure;
import dev.hymba.workbench.charts.HeatmapRegions;
import dev.hymba.workbench.charts.MetricCharts;
import dev.hymba.workbench.run.AttentionMap;
import dev.hymba.workbench.run.RunProvenance;
import dev.hymba.workbench.run.SyntheticRuns;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FigureExporterTest {
    private static final RunProvenance RUN = new RunProvenance("samples/hymba-mini", "sha256:abc", "The cat sat",
            List.of(1, 450, 2368, 3290), "{\"layers\":{\"3\":\"local\"}}", "0.1.0");
    private final FigureExporter exporter = new FigureExporter("0.1.0",
            Clock.fixed(Instant.parse("2026-12-03T21:00:00Z"), ZoneOffset.UTC));

    @TempDir Path dir;

    private static Figure heatmap() {
        AttentionMap m = SyntheticRuns.map(40, 4, 16, 0.5, new Random(3));
        AttentionHeatmap h = new AttentionHeatmap("Layer 3, head 1", m,
                IntStream.range(0, 40).mapToObj(i -> "t" + i).toList(), new HeatmapRegions(4, 4, 16));
        return Figure.of("attention-L3-H1", h);
    }

    private static Figure bars() {
        return MetricCharts.stackedBars("regions", "Region masses", "Layer", "Mass", List.of("0", "1"),
                List.of("Meta", "BOS", "Self", "Cross"), new double[][] {{.5, .4}, {.1, .2}, {.1, .1}, {.3, .3}});
    }

    @Test
    void pngHasRequestedPixelsAndDpi() throws Exception {
        Path f = dir.resolve("fig.png");
        exporter.export(heatmap(), f, new ExportOptions(1050, 900, 300), RUN);
        BufferedImage img = ImageIO.read(f.toFile());
        assertThat(img.getWidth()).isEqualTo(1050);
        assertThat(img.getHeight()).isEqualTo(900);
        try (ImageInputStream in = ImageIO.createImageInputStream(f.toFile())) {
            ImageReader r = ImageIO.getImageReaders(in).next();
            r.setInput(in);
            IIOMetadataNode root = (IIOMetadataNode) r.getImageMetadata(0).getAsTree("javax_imageio_png_1.0");
            IIOMetadataNode phys = (IIOMetadataNode) root.getElementsByTagName("pHYs").item(0);
            // 300 dpi = 300 / 0.0254 = 11811.02 px per metre
            assertThat(phys.getAttribute("pixelsPerUnitXAxis")).isEqualTo("11811");
            assertThat(phys.getAttribute("unitSpecifier")).isEqualTo("meter");
        }
    }

    @Test
    void svgParsesAndEmbedsCellsAsPngImageWithVectorText() throws Exception {
        Path f = dir.resolve("fig.svg");
        exporter.export(heatmap(), f, new ExportOptions(800, 700, 96), RUN);
        DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
        dbf.setNamespaceAware(true);
        dbf.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false); // offline: no DTD fetch
        Document doc = dbf.newDocumentBuilder().parse(f.toFile());
        assertThat(doc.getDocumentElement().getLocalName()).isEqualTo("svg");
        NodeList images = doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "image");
        assertThat(images.getLength()).isEqualTo(1);
        String href = ((Element) images.item(0)).getAttributeNS("http://www.w3.org/1999/xlink", "href");
        assertThat(href).startsWith("data:image/png;base64,");
        assertThat(doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "text").getLength()).isGreaterThan(3);
    }

    @Test
    void pdfHasOnePageOfTheRequestedSize() throws Exception {
        Path f = dir.resolve("fig.pdf");
        exporter.export(bars(), f, new ExportOptions(720, 360, 144), RUN);
        try (PDDocument doc = Loader.loadPDF(f.toFile())) {
            assertThat(doc.getNumberOfPages()).isEqualTo(1);
            assertThat(doc.getPage(0).getMediaBox().getWidth()).isEqualTo(360f); // 720 px at 144 dpi = 5 in = 360 pt
        }
    }

    @Test
    void sidecarCarriesProvenanceAndViewSettings() throws Exception {
        Path f = dir.resolve("fig.png");
        FigureExporter.Written w = exporter.export(heatmap(), f, new ExportOptions(400, 400, 72), RUN);
        assertThat(w.sidecar()).isEqualTo(dir.resolve("fig.png.provenance.json")).exists();
        JsonNode j = new ObjectMapper().readTree(w.sidecar().toFile());
        assertThat(j.get("model").asText()).isEqualTo("samples/hymba-mini");
        assertThat(j.get("prompt").asText()).isEqualTo("The cat sat");
        assertThat(j.get("tokenIds").toString()).isEqualTo("[1,450,2368,3290]");
        assertThat(j.get("ablationSpec").asText()).isEqualTo("{\"layers\":{\"3\":\"local\"}}");
        assertThat(j.get("engineVersion").asText()).isEqualTo("0.1.0");
        assertThat(j.get("date").asText()).isEqualTo("2026-12-03T21:00:00Z");
        assertThat(j.get("viewSettings").get("colorScale").asText()).isEqualTo("linear");
        assertThat(j.get("dpi").asInt()).isEqualTo(72);
    }

    @Test
    void csvExportWritesTheDataWithSidecar() throws Exception {
        Path f = dir.resolve("regions.csv");
        exporter.exportCsv(bars(), f, RUN);
        assertThat(Files.readAllLines(f)).containsExactly("Layer,Meta,BOS,Self,Cross", "0,0.5,0.1,0.1,0.3", "1,0.4,0.2,0.1,0.3");
        assertThat(FigureExporter.sidecarOf(f)).exists();
    }

    @Test
    void exportAllWritesEveryFormatIntoAFolder() {
        List<FigureExporter.Written> w = exporter.exportAll(List.of(heatmap(), bars()), dir.resolve("run-1"),
                new ExportOptions(300, 200, 72), RUN);
        assertThat(w).hasSize(8);
        assertThat(dir.resolve("run-1/regions.svg")).exists();
        assertThat(dir.resolve("run-1/attention-L3-H1.csv.provenance.json")).exists();
    }

    @Test
    void unwritableTargetsGiveClearMessages() throws Exception {
        assertThatThrownBy(() -> exporter.export(bars(), dir.resolve("missing/fig.png"), ExportOptions.screen(100, 100), RUN))
                .isInstanceOf(ExportException.class).hasMessageContaining("missing").hasMessageContaining("does not exist");
        assertThatThrownBy(() -> exporter.export(bars(), dir.resolve("fig.gif"), ExportOptions.screen(100, 100), RUN))
                .hasMessageContaining("use a .png, .svg or .pdf");
        Path folder = Files.createDirectory(dir.resolve("x.png"));
        assertThatThrownBy(() -> exporter.export(bars(), folder, ExportOptions.screen(100, 100), RUN))
                .hasMessageContaining("it is a folder");
        assertThatThrownBy(() -> new ExportOptions(0, 10, 72)).hasMessageContaining("got 0x10");
    }
}
