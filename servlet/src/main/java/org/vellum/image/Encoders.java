package org.vellum.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicReference;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.plugins.tiff.BaselineTIFFTagSet;
import javax.imageio.plugins.tiff.TIFFDirectory;
import javax.imageio.plugins.tiff.TIFFField;
import javax.imageio.plugins.tiff.TIFFTag;
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
        return encode(p, format, quality, (byte[]) null);
    }

    /**
     * As {@link #encode(Pixels, OutputFormat, int)}, with an ICC profile the pixels are in (null: none) embedded as
     * the format carries one; only when {@link #carriesIccProfile} says so. WebP and AVIF at their default speed.
     */
    public static byte[] encode(Pixels p, OutputFormat format, int quality, byte[] icc) throws IOException {
        if (format == OutputFormat.WEBP) return webp(p, quality, icc);
        if (format == OutputFormat.AVIF) return avif(p, quality, DEFAULT_AVIF_SPEED, icc);
        if (format == OutputFormat.JPEG) {
            byte[] jpeg = turboJpeg(p, quality);
            if (jpeg != null) return icc == null ? jpeg : IccEmbedding.jpeg(jpeg, icc);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(1024, p.width() * p.height() / 4));
        imageIo(p, format, quality, icc, out);
        byte[] bytes = out.toByteArray();
        if (icc == null) return bytes;
        return switch (format) {
            case JPEG -> IccEmbedding.jpeg(bytes, icc);
            case PNG -> IccEmbedding.png(bytes, icc);
            default -> bytes;                               // TIFF: written with the image's tags
        };
    }

    /**
     * Whether these pixels go out in {@code format} with an ICC profile of their colour type embedded: JPEG (APP2),
     * PNG (iCCP), TIFF (tag 34675), WebP (ICCP chunk) and AVIF (its colr property), when the encoded image is grey exactly when the profile is (and, in JPEG, the
     * profile fits in 255 segments). Otherwise the pixels must be converted before encoding.
     */
    public static boolean carriesIccProfile(OutputFormat format, Pixels p, byte[] icc, boolean greyProfile) {
        // WebP has no grey mode: a grey image goes out as RGB
        boolean encodedGrey = format != OutputFormat.WEBP && p.isGray() && !(format.supportsAlpha() && p.hasAlpha());
        boolean fits = format != OutputFormat.JPEG || icc.length <= IccEmbedding.JPEG_MAX;
        return switch (format) {
            case JPEG, PNG, TIFF, WEBP, AVIF -> encodedGrey == greyProfile && fits;
            default -> false;
        };
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
        imageIo(p, format, quality, null, target);
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

    private static void imageIo(Pixels p, OutputFormat format, int quality, byte[] icc, OutputStream target)
            throws IOException {
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
            BufferedImage image = p.toBufferedImage(keepAlpha);
            IIOMetadata tags = format == OutputFormat.TIFF && icc != null ? tiffIcc(writer, image, param, icc) : null;
            writer.write(null, new IIOImage(image, null, tags), param);
        } finally {
            writer.dispose();
        }
    }

    /** The TIFF writer's own tags for the image, plus InterColorProfile (34675) holding the profile. */
    private static IIOMetadata tiffIcc(ImageWriter writer, BufferedImage image, ImageWriteParam param, byte[] icc)
            throws IOException {
        IIOMetadata defaults = writer.getDefaultImageMetadata(new ImageTypeSpecifier(image), param);
        TIFFDirectory dir = TIFFDirectory.createFromMetadata(defaults);
        TIFFTag tag = BaselineTIFFTagSet.getInstance().getTag(BaselineTIFFTagSet.TAG_ICC_PROFILE);
        dir.addTIFFField(new TIFFField(tag, TIFFTag.TIFF_UNDEFINED, icc.length, icc));
        return dir.getAsMetadata();
    }
}
