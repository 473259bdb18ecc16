package org.vellum.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Iterator;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Writes pixels as JPEG, PNG, TIFF (Deflate) or GIF with the JDK's encoders. */
public final class Encoders {
    private Encoders() {
    }

    public static byte[] encode(Pixels p, OutputFormat format, int quality) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(1024, p.width() * p.height() / 4));
        encode(p, format, quality, out);
        return out.toByteArray();
    }

    public static void encode(Pixels p, OutputFormat format, int quality, OutputStream target) throws IOException {
        boolean keepAlpha = format.supportsAlpha();
        String name = switch (format) {
            case PNG -> "png";
            case TIFF -> "tiff";
            case GIF -> "gif";
            default -> "jpeg";
        };
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(name);
        if (!writers.hasNext()) throw new IOException("No " + name + " encoder");
        ImageWriter writer = writers.next();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(target)) {
            writer.setOutput(ios);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (format == OutputFormat.JPEG) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(Math.max(1, Math.min(100, quality)) / 100f);
            } else if (format == OutputFormat.TIFF) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionType("Deflate");        // lossless and compact, as iipsrv's TIFF default
            }
            writer.write(null, new IIOImage(p.toBufferedImage(keepAlpha), null, null), param);
        } finally {
            writer.dispose();
        }
    }
}
