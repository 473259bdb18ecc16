package org.vellum.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicReference;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vellum.codec.avif.Avif;
import org.vellum.codec.avif.AvifWriter;
import org.vellum.codec.turbojpeg.JpegCompressor;
import org.vellum.codec.turbojpeg.TurboJpeg;
import org.vellum.codec.turbojpeg.TurboJpegException;
import org.vellum.codec.webp.WebP;

/**
 * Writes pixels as JPEG, PNG, TIFF (Deflate) or GIF. JPEG goes through libjpeg-turbo (TurboJPEG) when the library
 * loads, straight from the packed pixels, and through the JDK's encoder otherwise; the output means the same either
 * way (baseline, quality on the IJG scale, 4:2:0 colour or one grey component). WebP and AVIF go through libwebp and
 * libavif and exist only where those load ({@link #available}). The others use the JDK's encoders.
 */
public final class Encoders {
    private static final Logger LOG = LoggerFactory.getLogger(Encoders.class);

    /** The JPEG encoder last announced in the log, so the choice is logged once (and again only if it changes). */
    private static final AtomicReference<String> ANNOUNCED = new AtomicReference<>();

    private Encoders() {
    }

    /** Which encoder the next JPEG goes through: "TurboJPEG" or "ImageIO". */
    public static String jpegEncoder() {
        return TurboJpeg.available() ? "TurboJPEG" : "ImageIO";
    }

    /** Whether this machine can write the format: WebP and AVIF need their libraries, the rest are always there. */
    public static boolean available(OutputFormat format) {
        return switch (format) {
            case WEBP -> WebP.available();
            case AVIF -> Avif.available();
            default -> true;
        };
    }

    /** Why {@link #available} says what it says of a native format, for a log line or an error message. */
    public static String describe(OutputFormat format) {
        return switch (format) {
            case WEBP -> WebP.describe();
            case AVIF -> Avif.describe();
            default -> "JDK";
        };
    }

    /** AVIF's encoder speed when the caller names none: libavif's 0..10, 10 fastest. */
    public static final int DEFAULT_AVIF_SPEED = 10;

    public static byte[] encode(Pixels p, OutputFormat format, int quality) throws IOException {
        if (format == OutputFormat.WEBP) return webp(p, quality, null);
        if (format == OutputFormat.AVIF) return avif(p, quality, DEFAULT_AVIF_SPEED, null);
        if (format == OutputFormat.JPEG) {
            byte[] jpeg = turboJpeg(p, quality);
            if (jpeg != null) return jpeg;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(1024, p.width() * p.height() / 4));
        imageIo(p, format, quality, out);
        return out.toByteArray();
    }

    public static void encode(Pixels p, OutputFormat format, int quality, OutputStream target) throws IOException {
        if (format == OutputFormat.WEBP || format == OutputFormat.AVIF) {
            target.write(encode(p, format, quality));
            return;
        }
        if (format == OutputFormat.JPEG) {
            byte[] jpeg = turboJpeg(p, quality);
            if (jpeg != null) {
                target.write(jpeg);
                return;
            }
        }
        imageIo(p, format, quality, target);
    }

    /**
     * The JPEG from TurboJPEG, or null when the library is not there (or failed on these pixels: then ImageIO answers
     * and a warning says why). A handle costs about 1 us to make, against hundreds for a tile, so each encode makes its
     * own and nothing native outlives the call, whatever thread it runs on.
     */
    private static byte[] turboJpeg(Pixels p, int quality) {
        boolean turbo = TurboJpeg.available();
        announce(turbo);
        if (!turbo) return null;
        try (JpegCompressor c = TurboJpeg.compressor()) {
            return c.compress(p.argb(), p.width(), p.height(), p.isGray(), quality);
        } catch (TurboJpegException e) {
            LOG.warn("TurboJPEG could not encode {}x{} pixels ({}); using ImageIO", p.width(), p.height(),
                    e.getMessage());
            return null;
        }
    }

    /**
     * Lossy WebP at libwebp's quality 1..100, alpha kept when the pixels have it, with {@code icc} (nullable) in an
     * ICCP chunk. There is no fallback: without libwebp the format is not offered (see {@link #available}).
     */
    public static byte[] webp(Pixels p, int quality, byte[] icc) throws IOException {
        return WebP.encoder().encode(p.argb(), p.width(), p.height(), p.hasAlpha(), quality, icc);
    }

    /**
     * AVIF at quality 1..100 and libavif's speed 0..10, grey as luma only, alpha kept when the pixels have it, with
     * {@code icc} (nullable) embedded. There is no fallback: without libavif the format is not offered.
     */
    public static byte[] avif(Pixels p, int quality, int speed, byte[] icc) throws IOException {
        AvifWriter w = Avif.writer();
        return w.encode(p.argb(), p.width(), p.height(), p.isGray(), p.hasAlpha(), quality, speed, icc);
    }

    private static void announce(boolean turbo) {
        String choice = turbo ? "TurboJPEG" : "ImageIO";
        String previous = ANNOUNCED.getAndSet(choice);
        if (!choice.equals(previous)) {
            LOG.info("JPEG encoder: {} ({})", choice, TurboJpeg.describe());
        }
    }

    private static void imageIo(Pixels p, OutputFormat format, int quality, OutputStream target) throws IOException {
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
