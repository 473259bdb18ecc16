package org.vellum.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vellum.codec.turbojpeg.JpegCompressor;
import org.vellum.codec.turbojpeg.TurboJpeg;

/** JPEG goes through TurboJPEG when it loads and through ImageIO when it does not; both make the same picture. */
class EncodersTest {

    @AfterEach
    void switchTurboJpegBackOn() {
        System.clearProperty(TurboJpeg.ENABLED_PROPERTY);
    }

    private static Pixels picture(int w, int h, int bands) {
        int[] p = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r = (x * 3 + y) & 0xFF;
                int g = (y * 2 + 40) & 0xFF;
                int b = (x + y * 5 ^ 0x55) & 0xFF;
                if (bands <= 2) r = g = b = (r + g) / 2;
                p[y * w + x] = 0x80000000 | r << 16 | g << 8 | b;     // half-transparent: JPEG has no alpha
            }
        }
        return new Pixels(w, h, p, bands);
    }

    private static BufferedImage read(byte[] jpeg) throws IOException {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(jpeg));
        assertNotNull(img);
        return img;
    }

    /** Mean absolute difference per sample between two decoded images of the same size and bands. */
    private static double difference(BufferedImage a, BufferedImage b) {
        assertEquals(a.getWidth(), b.getWidth());
        assertEquals(a.getHeight(), b.getHeight());
        int bands = a.getRaster().getNumBands();
        assertEquals(bands, b.getRaster().getNumBands());
        int[] pa = a.getRaster().getPixels(0, 0, a.getWidth(), a.getHeight(), (int[]) null);
        int[] pb = b.getRaster().getPixels(0, 0, b.getWidth(), b.getHeight(), (int[]) null);
        long sum = 0;
        for (int i = 0; i < pa.length; i++) sum += Math.abs(pa[i] - pb[i]);
        return (double) sum / pa.length;
    }

    @Test
    void jpegGoesThroughTurboJpegWhenTheLibraryLoads() throws IOException {
        assertEquals("TurboJPEG", Encoders.jpegEncoder());
        Pixels p = picture(100, 60, 3);
        byte[] direct;
        try (JpegCompressor c = TurboJpeg.compressor()) {
            direct = c.compress(p.argb(), p.width(), p.height(), false, 80);
        }
        assertArrayEquals(direct, Encoders.encode(p, OutputFormat.JPEG, 80));
        ByteArrayOutputStream streamed = new ByteArrayOutputStream();
        Encoders.encode(p, OutputFormat.JPEG, 80, streamed);
        assertArrayEquals(direct, streamed.toByteArray());
    }

    @Test
    void withTheLibraryReportedMissingJpegFallsBackToImageIo() throws IOException {
        Pixels p = picture(100, 60, 3);
        byte[] turbo = Encoders.encode(p, OutputFormat.JPEG, 80);
        System.setProperty(TurboJpeg.ENABLED_PROPERTY, "false");
        assertEquals("ImageIO", Encoders.jpegEncoder());
        byte[] imageIo = Encoders.encode(p, OutputFormat.JPEG, 80);
        ByteArrayOutputStream streamed = new ByteArrayOutputStream();
        Encoders.encode(p, OutputFormat.JPEG, 80, streamed);
        assertArrayEquals(imageIo, streamed.toByteArray());
        assertTrue(!java.util.Arrays.equals(turbo, imageIo), "a different encoder wrote the fallback's bytes");
        // The same picture either way: both are libjpeg's algorithms with the same tables and subsampling.
        double d = difference(read(turbo), read(imageIo));
        assertTrue(d < 1.0, "mean difference between the encoders " + d);
    }

    @Test
    void greyWithAlphaBecomesAOneComponentJpegWithEitherEncoder() throws IOException {
        Pixels p = picture(33, 17, 2);
        BufferedImage turbo = read(Encoders.encode(p, OutputFormat.JPEG, 90));
        System.setProperty(TurboJpeg.ENABLED_PROPERTY, "false");
        BufferedImage imageIo = read(Encoders.encode(p, OutputFormat.JPEG, 90));
        assertEquals(1, turbo.getRaster().getNumBands());
        assertEquals(1, imageIo.getRaster().getNumBands());
        double d = difference(turbo, imageIo);
        assertTrue(d < 1.0, "mean difference between the encoders " + d);
    }

    @Test
    void otherFormatsStillUseTheJdkEncoders() throws IOException {
        Pixels p = picture(20, 10, 4);
        BufferedImage png = read(Encoders.encode(p, OutputFormat.PNG, 75));
        assertEquals(4, png.getRaster().getNumBands());
        assertEquals(p.argb()[7], png.getRGB(7, 0));
    }
}
