package dev.hymba.workbench.export;

import org.apache.batik.svggen.ImageHandlerBase64Encoder;
import org.apache.batik.svggen.SVGGraphics2DIOException;

import javax.imageio.ImageIO;
import java.awt.image.RenderedImage;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Embeds images in SVG as base64 PNG through the JDK's PNG writer. Batik's own handler needs the batik-codec module
 * (not on our class path); PNG is lossless, so heatmap cells keep their exact colours.
 */
final class LosslessSvgImageHandler extends ImageHandlerBase64Encoder {
    @Override
    public void encodeImage(RenderedImage image, OutputStream os) throws SVGGraphics2DIOException {
        try {
            if (!ImageIO.write(image, "png", os)) throw new SVGGraphics2DIOException("no PNG writer in this JDK");
        } catch (IOException e) {
            throw new SVGGraphics2DIOException(e);
        }
    }
}
