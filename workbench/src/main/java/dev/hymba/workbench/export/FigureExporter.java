package dev.hymba.workbench.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import de.rototor.pdfbox.graphics2d.PdfBoxGraphics2D;
import dev.hymba.workbench.charts.Figure;
import dev.hymba.workbench.run.RunProvenance;
import org.apache.batik.dom.GenericDOMImplementation;
import org.apache.batik.svggen.SVGGeneratorContext;
import org.apache.batik.svggen.SVGGraphics2D;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.jfree.chart.JFreeChart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes figures as PNG, SVG or PDF, and their data as CSV, each with a provenance sidecar
 * ({@code <file>.provenance.json}). Vector formats stay vector; heatmap cells are images and are embedded losslessly
 * (Batik embeds PNG, PDFBox graphics2d uses its lossless encoder).
 */
public final class FigureExporter {
    private static final Logger LOG = LoggerFactory.getLogger(FigureExporter.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final String workbenchVersion;
    private final Clock clock;

    public FigureExporter(String workbenchVersion, Clock clock) {
        this.workbenchVersion = workbenchVersion;
        this.clock = clock;
    }

    /** What one export wrote. */
    public record Written(Path file, Path sidecar) {}

    /** Exports a figure in the format named by the file's extension. */
    public Written export(Figure figure, Path file, ExportOptions size, RunProvenance run) {
        FigureFormat format = FigureFormat.of(file);
        checkWritable(file);
        try {
            switch (format) {
                case PNG -> writePng(figure.chart(), file, size);
                case SVG -> writeSvg(figure.chart(), file, size);
                case PDF -> writePdf(figure.chart(), file, size);
            }
        } catch (IOException | RuntimeException e) {
            throw new ExportException("Cannot write " + format + " figure to " + file + ": " + reason(e), e);
        }
        Path sidecar = writeSidecar(file, ExportProvenance.of(file.getFileName().toString(), figure.name(),
                format.extension(), run, figure.settings(), workbenchVersion, Instant.now(clock).toString(), size));
        LOG.info("Exported {} ({}x{} @ {} dpi)", file, size.width(), size.height(), size.dpi());
        return new Written(file, sidecar);
    }

    /** Writes the data behind a figure as CSV, with its sidecar. */
    public Written exportCsv(Figure figure, Path file, RunProvenance run) {
        checkWritable(file);
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            figure.data().writeCsv(w);
        } catch (IOException | RuntimeException e) {
            throw new ExportException("Cannot write CSV data to " + file + ": " + reason(e), e);
        }
        Path sidecar = writeSidecar(file, ExportProvenance.of(file.getFileName().toString(), figure.name(), "csv", run,
                figure.settings(), workbenchVersion, Instant.now(clock).toString(), null));
        return new Written(file, sidecar);
    }

    /** "Export all figures of this run": every figure in every format plus its CSV, into one folder. */
    public List<Written> exportAll(List<Figure> figures, Path folder, ExportOptions size, RunProvenance run) {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new ExportException("Cannot create export folder " + folder + ": " + reason(e), e);
        }
        List<Written> out = new ArrayList<>();
        for (Figure f : figures) {
            for (FigureFormat fmt : FigureFormat.values()) out.add(export(f, folder.resolve(f.name() + "." + fmt.extension()), size, run));
            out.add(exportCsv(f, folder.resolve(f.name() + ".csv"), run));
        }
        return out;
    }

    public static Path sidecarOf(Path file) { return file.resolveSibling(file.getFileName() + ".provenance.json"); }

    static BufferedImage renderImage(JFreeChart chart, ExportOptions size) {
        BufferedImage img = new BufferedImage(size.width(), size.height(), BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.scale(size.scale(), size.scale());
            chart.draw(g, new Rectangle2D.Double(0, 0, size.widthPoints(), size.heightPoints()));
        } finally {
            g.dispose();
        }
        return img;
    }

    private static void writePng(JFreeChart chart, Path file, ExportOptions size) throws IOException {
        BufferedImage img = renderImage(chart, size);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        try (OutputStream os = Files.newOutputStream(file); ImageOutputStream ios = ImageIO.createImageOutputStream(os)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(img), param);
            meta.mergeTree("javax_imageio_png_1.0", physNode(size.dpi()));
            writer.setOutput(ios);
            writer.write(null, new IIOImage(img, null, meta), param);
        } finally {
            writer.dispose();
        }
    }

    /** pHYs stores pixels per metre; 1 inch = 0.0254 m. */
    private static IIOMetadataNode physNode(int dpi) {
        IIOMetadataNode phys = new IIOMetadataNode("pHYs");
        String ppm = Integer.toString((int) Math.round(dpi / 0.0254));
        phys.setAttribute("pixelsPerUnitXAxis", ppm);
        phys.setAttribute("pixelsPerUnitYAxis", ppm);
        phys.setAttribute("unitSpecifier", "meter");
        IIOMetadataNode root = new IIOMetadataNode("javax_imageio_png_1.0");
        root.appendChild(phys);
        return root;
    }

    private static void writeSvg(JFreeChart chart, Path file, ExportOptions size) throws IOException {
        Document doc = GenericDOMImplementation.getDOMImplementation().createDocument("http://www.w3.org/2000/svg", "svg", null);
        SVGGeneratorContext ctx = SVGGeneratorContext.createDefault(doc);
        ctx.setComment("Hymba Workbench figure");
        ctx.setImageHandler(new LosslessSvgImageHandler());
        SVGGraphics2D g = new SVGGraphics2D(ctx, false); // false: text as <text>, so it stays selectable and editable
        double w = size.widthPoints(), h = size.heightPoints();
        g.setSVGCanvasSize(new java.awt.Dimension((int) Math.ceil(w), (int) Math.ceil(h)));
        chart.draw(g, new Rectangle2D.Double(0, 0, w, h));
        Element root = g.getRoot();
        root.setAttribute("viewBox", "0 0 " + (int) Math.ceil(w) + " " + (int) Math.ceil(h));
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            g.stream(root, out, true, false);
        } finally {
            g.dispose();
        }
    }

    private static void writePdf(JFreeChart chart, Path file, ExportOptions size) throws IOException {
        float w = (float) size.widthPoints(), h = (float) size.heightPoints();
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(new PDRectangle(w, h));
            doc.addPage(page);
            PdfBoxGraphics2D g = new PdfBoxGraphics2D(doc, w, h);
            try {
                chart.draw(g, new Rectangle2D.Double(0, 0, w, h));
            } finally {
                g.dispose();
            }
            try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                cs.drawForm(g.getXFormObject());
            }
            doc.save(file.toFile());
        }
    }

    private Path writeSidecar(Path file, ExportProvenance p) {
        Path sidecar = sidecarOf(file);
        try {
            JSON.writeValue(sidecar.toFile(), p);
        } catch (IOException e) {
            throw new ExportException("Wrote " + file + " but not its provenance sidecar " + sidecar + ": " + reason(e), e);
        }
        return sidecar;
    }

    private static void checkWritable(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent))
            throw new ExportException("Cannot write " + file + ": folder " + parent + " does not exist");
        if (!Files.isWritable(parent))
            throw new ExportException("Cannot write " + file + ": folder " + parent + " is not writable");
        if (Files.isDirectory(file)) throw new ExportException("Cannot write " + file + ": it is a folder");
        if (Files.exists(file) && !Files.isWritable(file))
            throw new ExportException("Cannot write " + file + ": the existing file is read-only");
    }

    private static String reason(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
