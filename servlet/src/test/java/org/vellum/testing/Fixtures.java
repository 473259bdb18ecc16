package org.vellum.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.vellum.codec.openjpeg.Jp2EncodeOptions;
import org.vellum.codec.openjpeg.Jp2Reader;
import org.vellum.codec.openjpeg.Jp2Writer;
import org.vellum.codec.openjpeg.OpenJpegException;

/**
 * Test images made here, never committed: a colour grid whose every 64x64 square has its own colour, in grey,
 * 16-bit and RGBA variants; reference pixels decoded independently with {@link Jp2Reader}; JPEG decoding and
 * pixel comparison.
 */
public final class Fixtures {
    public static final int CELL = 64;

    private Fixtures() {
    }

    /** The colour of grid square (cx, cy): red follows the column, green the row, blue both; all distinct. */
    public static int cellColour(int cx, int cy) {
        int r = 20 + (cx * 14) % 224;
        int g = 20 + (cy * 21) % 224;
        int b = 40 + ((cx * 5 + cy * 3) % 12) * 15;
        return r << 16 | g << 8 | b;
    }

    public static int gridColour(int x, int y) {
        return cellColour(x / CELL, y / CELL);
    }

    public static BufferedImage colourGrid(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) img.setRGB(x, y, gridColour(x, y));
        }
        return img;
    }

    /**
     * The colour grid with a deterministic fine texture in luminance only (so JPEG's chroma subsampling keeps it),
     * which low-rate quality layers visibly lose.
     */
    public static BufferedImage texturedGrid(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int c = gridColour(x, y);
                int n = (int) ((x * 7919L + y * 104729L + (long) x * y * 31) % 61) - 30;
                int r = clamp((c >> 16 & 0xFF) + n);
                int g = clamp((c >> 8 & 0xFF) + n);
                int b = clamp((c & 0xFF) + n);
                img.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        return img;
    }

    /** Grey grid: each square's grey is the red of its colour. */
    public static BufferedImage greyGrid(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster r = img.getRaster();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) r.setSample(x, y, 0, greyOf(x, y));
        }
        return img;
    }

    public static int greyOf(int x, int y) {
        return 20 + ((x / CELL) * 14 + (y / CELL) * 9) % 224;
    }

    /** 16-bit grey grid: the 8-bit grey in the high byte and a varying low byte (which the 8-bit output drops). */
    public static BufferedImage grey16Grid(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
        WritableRaster r = img.getRaster();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) r.setSample(x, y, 0, greyOf(x, y) << 8 | (x + y) & 0xFF);
        }
        return img;
    }

    /** RGBA grid: colour grid, alpha varying by row of squares. */
    public static BufferedImage rgbaGrid(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) img.setRGB(x, y, (255 - (y / CELL) * 20) << 24 | gridColour(x, y));
        }
        return img;
    }

    /** Lossless, one quality layer, JP2; 0 = untiled. */
    public static Jp2EncodeOptions lossless(int levels, int tileSize) {
        return new Jp2EncodeOptions(levels, 1, tileSize, true, true);
    }

    public static Path write(Path dir, String name, BufferedImage img, Jp2EncodeOptions options) {
        Path out = dir.resolve(name);
        try {
            Jp2Writer.write(out, img, options);
        } catch (OpenJpegException e) {
            throw new IllegalStateException("cannot write fixture " + name, e);
        }
        return out;
    }

    /** The region (full-resolution coordinates) at reduction {@code reduce}, decoded by a reader of our own. */
    public static BufferedImage reference(Path file, int x, int y, int w, int h, int reduce) {
        try (Jp2Reader reader = Jp2Reader.open(file, 0)) {
            return reader.decode(x, y, w, h, reduce).toImage();
        } catch (OpenJpegException e) {
            throw new IllegalStateException(e);
        }
    }

    public static BufferedImage decode(byte[] encoded) {
        try {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(encoded));
            assertNotNull(img, "the body is not an image");
            return img;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Mean absolute difference over the R, G and B samples of two images of the same size. */
    public static double meanError(BufferedImage expected, BufferedImage actual) {
        assertEquals(expected.getWidth() + "x" + expected.getHeight(), actual.getWidth() + "x" + actual.getHeight(),
                "image size");
        long sum = 0;
        for (int y = 0; y < expected.getHeight(); y++) {
            for (int x = 0; x < expected.getWidth(); x++) {
                int a = expected.getRGB(x, y);
                int b = actual.getRGB(x, y);
                for (int s = 0; s <= 16; s += 8) sum += Math.abs((a >> s & 0xFF) - (b >> s & 0xFF));
            }
        }
        return sum / (3.0 * expected.getWidth() * expected.getHeight());
    }

    /** The first band's raw samples (grey value of a grey image) averaged over all pixels. */
    public static double meanSample(BufferedImage img, int band) {
        long sum = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) sum += img.getRaster().getSample(x, y, band);
        }
        return (double) sum / (img.getWidth() * img.getHeight());
    }

    /** Each output pixel the average of the source pixels it covers (an independent box filter). */
    public static BufferedImage boxScale(BufferedImage src, int ow, int oh) {
        BufferedImage out = new BufferedImage(ow, oh, BufferedImage.TYPE_INT_RGB);
        double sx = (double) src.getWidth() / ow;
        double sy = (double) src.getHeight() / oh;
        for (int oy = 0; oy < oh; oy++) {
            int y0 = (int) (oy * sy);
            int y1 = Math.max(y0 + 1, Math.min(src.getHeight(), (int) Math.ceil((oy + 1) * sy)));
            for (int ox = 0; ox < ow; ox++) {
                int x0 = (int) (ox * sx);
                int x1 = Math.max(x0 + 1, Math.min(src.getWidth(), (int) Math.ceil((ox + 1) * sx)));
                long r = 0, g = 0, b = 0, n = 0;
                for (int y = y0; y < y1; y++) {
                    for (int x = x0; x < x1; x++) {
                        int c = src.getRGB(x, y);
                        r += c >> 16 & 0xFF;
                        g += c >> 8 & 0xFF;
                        b += c & 0xFF;
                        n++;
                    }
                }
                out.setRGB(ox, oy, (int) (r / n) << 16 | (int) (g / n) << 8 | (int) (b / n));
            }
        }
        return out;
    }

    /**
     * A JPEG 2000 level made by hand: reduced {@code d} times, ceil(W/2^d) x ceil(H/2^d), each pixel the average
     * of its 2^d x 2^d block of the full image (the last row and column average what is left of theirs).
     */
    public static BufferedImage level(BufferedImage full, int d) {
        int f = 1 << d;
        int ow = reduced(full.getWidth(), d);
        int oh = reduced(full.getHeight(), d);
        BufferedImage out = new BufferedImage(ow, oh, BufferedImage.TYPE_INT_RGB);
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                long r = 0, g = 0, b = 0, n = 0;
                for (int y = oy * f; y < Math.min(full.getHeight(), (oy + 1) * f); y++) {
                    for (int x = ox * f; x < Math.min(full.getWidth(), (ox + 1) * f); x++) {
                        int c = full.getRGB(x, y);
                        r += c >> 16 & 0xFF;
                        g += c >> 8 & 0xFF;
                        b += c & 0xFF;
                        n++;
                    }
                }
                out.setRGB(ox, oy, (int) (r / n) << 16 | (int) (g / n) << 8 | (int) (b / n));
            }
        }
        return out;
    }

    /** Mean absolute difference of the BT.601 luma of two images of the same size (blind to chroma subsampling). */
    public static double meanLumaError(BufferedImage expected, BufferedImage actual) {
        assertEquals(expected.getWidth() + "x" + expected.getHeight(), actual.getWidth() + "x" + actual.getHeight(),
                "image size");
        double sum = 0;
        for (int y = 0; y < expected.getHeight(); y++) {
            for (int x = 0; x < expected.getWidth(); x++) sum += Math.abs(luma(expected.getRGB(x, y)) - luma(actual.getRGB(x, y)));
        }
        return sum / (expected.getWidth() * expected.getHeight());
    }

    public static double luma(int rgb) {
        return 0.299 * (rgb >> 16 & 0xFF) + 0.587 * (rgb >> 8 & 0xFF) + 0.114 * (rgb & 0xFF);
    }

    public static BufferedImage rotate180(BufferedImage src) {
        int w = src.getWidth();
        int h = src.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) out.setRGB(w - 1 - x, h - 1 - y, src.getRGB(x, y));
        }
        return out;
    }

    public static BufferedImage invert(BufferedImage src) {
        BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < src.getHeight(); y++) {
            for (int x = 0; x < src.getWidth(); x++) out.setRGB(x, y, ~src.getRGB(x, y) & 0xFFFFFF);
        }
        return out;
    }

    /** ceil(v / 2^d), the JPEG 2000 size of a dimension reduced d times. */
    public static int reduced(int v, int d) {
        return (int) ((v + (1L << d) - 1) >> d);
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
