package org.vellum.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

/**
 * The reference decode: OpenJPEG's own {@code opj_decompress} (Debian's libopenjp2-tools) writes the file as PNG,
 * with its palette applied, its channels ordered by cdef and sYCC, e-sYCC and CIE Lab converted to RGB; read back
 * here as 8-bit ARGB the way our server reduces samples (16-bit PNG samples keep their top 8 bits).
 */
public final class OpjDecompress {
    private OpjDecompress() {
    }

    public static boolean available() {
        return Files.isExecutable(Path.of("/usr/bin/opj_decompress"));
    }

    /** Every pixel as ARGB (opaque when the PNG has no alpha), and whether the PNG has alpha. */
    public record Decoded(int width, int height, int[] argb, boolean alpha) {
        public int at(int x, int y) {
            return argb[y * width + x];
        }
    }

    public static Decoded decode(Path jp2, Path workDir) {
        return decode(jp2, workDir, 0);
    }

    /** Whether opj_decompress decodes the file at all (exit status 0 and a PNG). */
    public static boolean decodes(Path jp2, Path workDir) {
        Path png = workDir.resolve(jp2.getFileName() + ".try.png");
        try {
            Process p = new ProcessBuilder("opj_decompress", "-i", jp2.toString(), "-o", png.toString())
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
            return p.exitValue() == 0 && Files.exists(png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Reduced {@code reduce} times (opj_decompress -r), as a stored level. */
    public static Decoded decode(Path jp2, Path workDir, int reduce) {
        Path png = workDir.resolve(jp2.getFileName() + ".r" + reduce + ".opj.png");
        try {
            Process p = new ProcessBuilder("opj_decompress", "-i", jp2.toString(), "-o", png.toString(),
                    "-r", Integer.toString(reduce))
                    .redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
            assertEquals(0, p.exitValue(), "opj_decompress " + jp2 + ": " + log);
            BufferedImage img = ImageIO.read(png.toFile());
            assertNotNull(img, "opj_decompress wrote no PNG for " + jp2);
            return of(img);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The image's samples as ARGB, without the colour conversions getRGB applies to grey images. */
    public static Decoded of(BufferedImage img) {
        Raster r = img.getRaster();
        int bands = r.getNumBands();
        int bits = img.getColorModel().getComponentSize(0);
        int w = img.getWidth();
        int h = img.getHeight();
        int[] out = new int[w * h];
        int[] px = new int[bands];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                r.getPixel(x, y, px);
                int[] v = new int[bands];
                for (int b = 0; b < bands; b++) v[b] = bits > 8 ? px[b] >> (bits - 8) : px[b] * 255 / ((1 << bits) - 1);
                int a = bands == 2 || bands == 4 ? v[bands - 1] : 255;
                int red = v[0];
                int green = bands >= 3 ? v[1] : v[0];
                int blue = bands >= 3 ? v[2] : v[0];
                out[y * w + x] = a << 24 | red << 16 | green << 8 | blue;
            }
        }
        return new Decoded(w, h, out, bands == 2 || bands == 4);
    }
}
