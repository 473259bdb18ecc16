package org.vellum.codec.turbojpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * TurboJPEG's output read back with the JDK's decoder: the pixels come back close to the source, sizes and grey are
 * kept, quality means what it means to ImageIO (the same quantisation tables and chroma subsampling).
 */
class JpegCompressorTest {

    /**
     * Smooth gradients (the same slope whatever the size) with a little deterministic noise, like a photograph; grey
     * when asked (R = G = B).
     */
    static int[] photo(int w, int h, boolean grey) {
        int[] p = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int n = (x * 31 + y * 17 ^ x * y) & 7;
                int r = clamp(40 + x * 180 / 256 + n);
                int g = clamp(200 - y * 150 / 256 + n);
                int b = clamp(90 + (x + y) * 60 / 512 + n);
                if (grey) r = g = b = (r + g + b) / 3;
                p[y * w + x] = 0xFF000000 | r << 16 | g << 8 | b;
            }
        }
        return p;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    static byte[] turbo(int[] argb, int w, int h, boolean grey, int quality) throws IOException {
        try (JpegCompressor c = TurboJpeg.compressor()) {
            return c.compress(argb, w, h, grey, quality);
        }
    }

    static BufferedImage decode(byte[] jpeg) throws IOException {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(jpeg));
        assertNotNull(img, "ImageIO cannot read the JPEG");
        return img;
    }

    /**
     * Mean absolute difference per channel between the source and the decoded samples (read from the raster: getRGB
     * would pass a grey image through the JDK's linear-grey colour space).
     */
    static double meanError(int[] src, BufferedImage img) {
        long sum = 0;
        int w = img.getWidth();
        int h = img.getHeight();
        java.awt.image.Raster r = img.getRaster();
        int bands = r.getNumBands();
        int[] px = new int[bands];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int a = src[y * w + x];
                r.getPixel(x, y, px);
                for (int c = 0; c < bands; c++) sum += Math.abs((a >> (16 - 8 * c) & 0xFF) - px[c]);
            }
        }
        return sum / ((double) bands * w * h);
    }

    @Test
    void turboJpegIsAvailableHere() {
        // bin/install-deps runtime installs libturbojpeg0; without it the server falls back to ImageIO.
        assertTrue(TurboJpeg.available(), TurboJpeg.describe());
    }

    @Test
    void colourPixelsComeBackCloseToTheSource() throws IOException {
        int[] src = photo(256, 256, false);
        BufferedImage img = decode(turbo(src, 256, 256, false, 90));
        assertEquals(256, img.getWidth());
        assertEquals(256, img.getHeight());
        assertEquals(3, img.getRaster().getNumBands());
        double e = meanError(src, img);
        assertTrue(e < 2.5, "mean error " + e);
    }

    @Test
    void greyIsWrittenAsOneComponentWithTheSourceValues() throws IOException {
        int[] src = photo(256, 256, true);
        BufferedImage img = decode(turbo(src, 256, 256, true, 90));
        assertEquals(1, img.getRaster().getNumBands());
        double e = meanError(src, img);
        assertTrue(e < 2.5, "mean error " + e);
    }

    @Test
    void aFlatGreyComesBackExactlyBecauseRgbToYKeepsEqualChannels() throws IOException {
        for (int v : new int[] {0, 1, 77, 128, 254, 255}) {
            int[] src = new int[16 * 16];
            java.util.Arrays.fill(src, 0xFF000000 | v << 16 | v << 8 | v);
            BufferedImage img = decode(turbo(src, 16, 16, true, 100));
            byte[] g = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
            for (byte b : g) assertEquals(v, b & 0xFF, "grey " + v);
        }
    }

    @ParameterizedTest(name = "{0}x{1} grey={2}")
    @CsvSource({"1,1,false", "1,1,true", "257,3,false", "257,3,true", "3,257,false", "17,9,true", "1000,1,false"})
    void oddSizesKeepTheirSize(int w, int h, boolean grey) throws IOException {
        int[] src = photo(w, h, grey);
        BufferedImage img = decode(turbo(src, w, h, grey, 95));
        assertEquals(w, img.getWidth());
        assertEquals(h, img.getHeight());
        assertEquals(grey ? 1 : 3, img.getRaster().getNumBands());
        double e = meanError(src, img);
        assertTrue(e < 4, "mean error " + e);
    }

    @Test
    void higherQualityGivesLargerFilesCloserToTheSource() throws IOException {
        int[] src = photo(256, 256, false);
        int previousSize = 0;
        double previousError = Double.MAX_VALUE;
        for (int q : new int[] {10, 40, 75, 95}) {
            byte[] jpeg = turbo(src, 256, 256, false, q);
            double e = meanError(src, decode(jpeg));
            assertTrue(jpeg.length > previousSize, "q" + q + ": " + jpeg.length + " bytes after " + previousSize);
            assertTrue(e < previousError, "q" + q + ": error " + e + " after " + previousError);
            previousSize = jpeg.length;
            previousError = e;
        }
    }

    @ParameterizedTest(name = "quality {0}")
    @CsvSource({"1", "10", "50", "75", "90", "100"})
    void qualityMeansWhatItMeansToImageIo(int quality) throws IOException {
        for (boolean grey : new boolean[] {false, true}) {
            int[] src = photo(64, 48, grey);
            Jpeg ours = Jpeg.parse(turbo(src, 64, 48, grey, quality));
            Jpeg theirs = Jpeg.parse(imageIo(src, 64, 48, grey, quality));
            assertEquals(theirs.tables(), ours.tables(), "quantisation tables, grey=" + grey);
            assertEquals(theirs.sampling(), ours.sampling(), "components and chroma subsampling, grey=" + grey);
        }
    }

    @Test
    void qualityOutsideOneToHundredIsClamped() throws IOException {
        int[] src = photo(32, 32, false);
        assertEquals(Jpeg.parse(turbo(src, 32, 32, false, 1)).tables(),
                Jpeg.parse(turbo(src, 32, 32, false, -5)).tables());
        assertEquals(Jpeg.parse(turbo(src, 32, 32, false, 100)).tables(),
                Jpeg.parse(turbo(src, 32, 32, false, 500)).tables());
    }

    @Test
    void tooFewPixelsForTheSizeAreRefusedBeforeTheLibrarySeesThem() throws IOException {
        try (JpegCompressor c = TurboJpeg.compressor()) {
            assertThrows(IllegalArgumentException.class, () -> c.compress(new int[10], 4, 4, false, 75));
            assertThrows(IllegalArgumentException.class, () -> c.compress(new int[10], 0, 4, false, 75));
        }
    }

    @Test
    void aClosedCompressorRefusesWorkAndClosesTwiceQuietly() throws IOException {
        JpegCompressor c = TurboJpeg.compressor();
        c.close();
        c.close();
        assertThrows(IllegalStateException.class, () -> c.compress(new int[1], 1, 1, false, 75));
    }

    @Test
    void aMissingLibraryIsReportedNotThrown() {
        var l = TurboJpeg.load("vellum-no-such-turbojpeg");
        assertNull(l.lib());
        assertNotNull(l.failure());
    }

    @Test
    void theSwitchReportsTheLibraryMissing() {
        String before = System.getProperty(TurboJpeg.ENABLED_PROPERTY);
        System.setProperty(TurboJpeg.ENABLED_PROPERTY, "false");
        try {
            assertTrue(!TurboJpeg.available());
            assertThrows(TurboJpegException.class, TurboJpeg::compressor);
            assertTrue(TurboJpeg.describe().contains(TurboJpeg.ENABLED_PROPERTY), TurboJpeg.describe());
        } finally {
            if (before == null) System.clearProperty(TurboJpeg.ENABLED_PROPERTY);
            else System.setProperty(TurboJpeg.ENABLED_PROPERTY, before);
        }
        assertTrue(TurboJpeg.available());
    }

    /** What the JDK's writer makes of the same pixels at the same quality (as the server's fallback calls it). */
    static byte[] imageIo(int[] argb, int w, int h, boolean grey, int quality) throws IOException {
        BufferedImage img = new BufferedImage(w, h, grey ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        if (grey) {
            byte[] d = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
            for (int i = 0; i < d.length; i++) d[i] = (byte) (argb[i] >> 16);
        } else {
            img.setRGB(0, 0, w, h, argb, 0, w);
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality / 100f);
            writer.write(null, new IIOImage(img, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /**
     * The parts of a JPEG header that carry quality and subsampling: DQT tables by id (a writer may put them in one
     * segment or several) and, per component of the SOF0 frame, "HxV:table".
     */
    record Jpeg(Map<Integer, List<Integer>> tables, List<String> sampling) {
        static Jpeg parse(byte[] b) {
            assertEquals(0xFFD8, (b[0] & 0xFF) << 8 | b[1] & 0xFF, "SOI");
            Map<Integer, List<Integer>> tables = new TreeMap<>();
            List<String> sampling = new ArrayList<>();
            int i = 2;
            boolean baseline = false;
            while (i + 4 <= b.length) {
                assertEquals(0xFF, b[i] & 0xFF, "marker at " + i);
                int marker = b[i + 1] & 0xFF;
                if (marker == 0xDA) break;                              // start of scan: the header is over
                int len = (b[i + 2] & 0xFF) << 8 | b[i + 3] & 0xFF;
                int p = i + 4;
                int end = i + 2 + len;
                if (marker == 0xDB) {
                    while (p < end) {
                        int precision = b[p] >> 4 & 0xF;
                        int id = b[p] & 0xF;
                        p++;
                        List<Integer> t = new ArrayList<>();
                        for (int k = 0; k < 64; k++) {
                            t.add(precision == 0 ? b[p] & 0xFF : (b[p] & 0xFF) << 8 | b[p + 1] & 0xFF);
                            p += precision == 0 ? 1 : 2;
                        }
                        tables.put(id, t);
                    }
                } else if (marker == 0xC0) {
                    baseline = true;
                    int n = b[p + 5] & 0xFF;
                    for (int c = 0; c < n; c++) {
                        int hv = b[p + 6 + 3 * c + 1] & 0xFF;
                        sampling.add((hv >> 4) + "x" + (hv & 0xF) + ":" + (b[p + 6 + 3 * c + 2] & 0xFF));
                    }
                }
                i = end;
            }
            assertTrue(baseline, "a baseline (SOF0) JPEG");
            return new Jpeg(tables, sampling);
        }
    }
}
