package org.vellum.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.vellum.codec.openjpeg.Jp2EncodeOptions;
import org.vellum.codec.openjpeg.Jp2Writer;
import org.vellum.config.Settings;
import org.vellum.testing.Fixtures;
import org.vellum.testing.Http;

/**
 * Files whose image and tile grids start at an offset on the JPEG 2000 reference grid, with odd sizes, sub-sampled
 * components, signed samples and 1 to 16 bits, written by opj_compress (our encoder writes neither offsets nor such
 * depths) and served through every path: IIIF sizes, IIP PTL/JTL/CVT (whole levels cut from the level cache, kept
 * decoders, cut copies), Zoomify and Deep Zoom. Every answer is checked against opj_decompress's own decode of the
 * same level ({@code -r d}), whose level sizes are JPEG 2000's: ceil((x0 + w) / 2^d) - ceil(x0 / 2^d).
 * <p>
 * Samples of more than 8 bits are shown by their top 8 bits, fewer than 8 stretched to 0..255, signed ones shifted by
 * half their range, as opj_decompress writes them to PNM.
 */
class ReferenceGridTest {
    /** JPEG on these textures stays well under this; a tile one pixel off, or from the wrong place, is far above. */
    private static final double JPEG_ERROR = 6.0;

    @TempDir
    static Path tmp;
    static Path images;
    static Http http;

    /**
     * A test file: its size in samples, components, bits, signedness, the sub-sampling of its last component and
     * opj_compress's options. Only the last of three components is sub-sampled: opj_decompress takes any three
     * components whose second is sub-sampled for sYCC and converts them, whatever the file says.
     */
    record Spec(int width, int height, int components, int bits, boolean signed, int lastStep, String... options) {
        int step(int c) {
            return c == components - 1 && c > 0 ? lastStep : 1;
        }
    }

    private static final Map<String, Spec> FILES = Map.of(
            // the file of issue 16: image from (3097, 41), tiles of 97x91 from (3003, 33)
            "offsets.j2k", new Spec(303, 179, 1, 8, false, 1, "-d", "3097,41", "-T", "3003,33", "-t", "97,91", "-n", "3"),
            // odd offsets in both grids, blue at half resolution, several IIP levels and tiled
            "offsets-sub.jp2", new Spec(1001, 613, 3, 8, false, 2, "-d", "517,1001", "-T", "300,900", "-t", "256,256",
                    "-n", "5"),
            "signed12.j2k", new Spec(301, 203, 1, 12, true, 1, "-d", "5,3", "-n", "3"),
            "u16.j2k", new Spec(557, 329, 1, 16, false, 1, "-d", "1,1", "-T", "0,0", "-t", "100,100", "-n", "3"),
            "bits4.j2k", new Spec(199, 101, 1, 4, false, 1, "-d", "7,9", "-n", "2"),
            // the last tile column is [147, 148): no pixel of it at level 1 or below
            "empty-tile.j2k", new Spec(148, 61, 1, 8, false, 1, "-t", "49,49", "-n", "3"),
            // opj_compress refuses raw input of 1 or 2 bits: our encoder writes this one, without offsets
            "bits1.j2k", new Spec(131, 67, 1, 1, false, 1, "-n", "2"));

    /** file → reduce → the 8-bit reference level. */
    private static final Map<String, Map<Integer, Level>> REFERENCE = new HashMap<>();

    /** 8-bit samples of a decoded level, {@code bands} per pixel, rows top to bottom. */
    record Level(int width, int height, int bands, int[] samples) {
        Level crop(int x, int y, int w, int h) {
            int[] out = new int[w * h * bands];
            for (int r = 0; r < h; r++) {
                System.arraycopy(samples, ((y + r) * width + x) * bands, out, r * w * bands, w * bands);
            }
            return new Level(w, h, bands, out);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        images = Files.createDirectories(tmp.resolve("images"));
        for (Map.Entry<String, Spec> f : FILES.entrySet()) write(f.getKey(), f.getValue());
        // no output cache: every request decodes, so repeated requests reach kept decoders and whole levels
        http = new Http(Settings.fromEnvironment(Map.of("FILESYSTEM_PREFIX", images.toString(),
                "MAX_IMAGE_CACHE_SIZE", "0", "JPEG_QUALITY", "95")));
    }

    @AfterAll
    static void stop() throws Exception {
        if (http != null) http.close();
    }

    /** Raw samples (big-endian above 8 bits) with a texture that changes every pixel, through opj_compress. */
    private static void write(String name, Spec s) throws Exception {
        if (s.bits == 1) {
            Jp2Writer.write(images.resolve(name), s.width, s.height, 1, 1, false,
                    new Jp2EncodeOptions(storedReductions(name), 1, 0, true, false),
                    (x, y, w, h, planes) -> {
                        for (int r = 0; r < h; r++) {
                            for (int c = 0; c < w; c++) planes[0][r * w + c] = sample(s, 0, x + c, y + r) & 1;
                        }
                    });
            return;
        }
        Path raw = tmp.resolve(name + ".raw");
        int bytes = s.bits > 8 ? 2 : 1;
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(raw))) {
            for (int c = 0; c < s.components; c++) {
                int step = s.step(c);
                int cw = (s.width + step - 1) / step;
                int ch = (s.height + step - 1) / step;
                for (int y = 0; y < ch; y++) {
                    for (int x = 0; x < cw; x++) {
                        long v = sample(s, c, x, y);
                        if (bytes == 2) out.write((int) (v >> 8));
                        out.write((int) v);
                    }
                }
            }
        }
        String sub = s.lastStep == 1 ? "" : "@1x1:1x1:" + s.lastStep + "x" + s.lastStep;
        List<String> cmd = new ArrayList<>(List.of("opj_compress", "-i", raw.toString(), "-o",
                images.resolve(name).toString(), "-F", s.width + "," + s.height + "," + s.components + "," + s.bits
                        + "," + (s.signed ? "s" : "u") + sub));
        cmd.addAll(List.of(s.options));
        run(cmd);
        if (s.lastStep > 1) sRgb(images.resolve(name));
    }

    /**
     * opj_compress labels sub-sampled raw input sYCC (colr enumerated 18); these samples are RGB, so the label is made
     * sRGB (16): how sYCC is shown is not what this test is about.
     */
    private static void sRgb(Path jp2) throws IOException {
        byte[] b = Files.readAllBytes(jp2);
        int colr = new String(b, StandardCharsets.ISO_8859_1).indexOf("colr");
        assertEquals(1, b[colr + 4], "colr method 1 (enumerated)");
        assertEquals(18, b[colr + 10], "opj_compress's sYCC");
        b[colr + 10] = 16;
        Files.write(jp2, b);
    }

    /** The texture: changes from pixel to pixel, differently in each component. */
    private static int sample(Spec s, int c, int x, int y) {
        long v = ((long) x * (7 + 4 * c) + (long) y * (13 - 3 * c) + (long) x * y / 5) % (1L << s.bits);
        return (int) (s.signed ? v - (1L << (s.bits - 1)) : v);
    }

    private static void run(List<String> cmd) throws IOException, InterruptedException {
        Path log = tmp.resolve("opj.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertEquals(0, p.waitFor(), () -> String.join(" ", cmd) + "\n" + read(log));
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return e.toString();
        }
    }

    /**
     * opj_decompress's decode of level d as 8-bit samples. A sub-sampled component comes at its own size
     * ({@code -split-pnm}) and is up-sampled here by the standard's rule: level column a shows component sample
     * floor(a / dx), counted from the component's own origin ceil(ceil(x0 / dx) / 2^d), the nearest one at the edges.
     * (The tool's own {@code -upsample} refuses reduced levels and fills the rows above a component's origin with 0.)
     */
    static synchronized Level reference(String name, int d) {
        return REFERENCE.computeIfAbsent(name, k -> new HashMap<>()).computeIfAbsent(d, k -> {
            Spec s = FILES.get(name);
            boolean split = s.lastStep > 1;
            Path out = tmp.resolve(name + "-r" + d + (s.components == 1 ? ".pgm" : ".ppm"));
            try {
                List<String> cmd = new ArrayList<>(List.of("opj_decompress", "-i", images.resolve(name).toString(),
                        "-o", out.toString(), "-r", String.valueOf(d)));
                if (split) cmd.add("-split-pnm");
                run(cmd);
                if (!split) return pnm(Files.readAllBytes(out));
                Level[] components = new Level[s.components];
                for (int c = 0; c < s.components; c++) {
                    components[c] = pnm(Files.readAllBytes(tmp.resolve(name + "-r" + d + "_" + c + ".pgm")));
                }
                return upsampled(s, d, components);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static Level upsampled(Spec s, int d, Level[] components) {
        long x0 = origin(s, 0);
        long y0 = origin(s, 1);
        int w = (int) (ceilShift(x0 + s.width, d) - ceilShift(x0, d));
        int h = (int) (ceilShift(y0 + s.height, d) - ceilShift(y0, d));
        int[] out = new int[w * h * s.components];
        for (int c = 0; c < s.components; c++) {
            int step = s.step(c);
            long cx0 = ceilShift((x0 + step - 1) / step, d);
            long cy0 = ceilShift((y0 + step - 1) / step, d);
            Level comp = components[c];
            assertEquals(ceilShift((x0 + s.width + step - 1) / step, d) - cx0, comp.width(), "component width");
            assertEquals(ceilShift((y0 + s.height + step - 1) / step, d) - cy0, comp.height(), "component height");
            for (int y = 0; y < h; y++) {
                long cy = Math.max(0, Math.min(comp.height() - 1, Math.floorDiv(ceilShift(y0, d) + y, step) - cy0));
                for (int x = 0; x < w; x++) {
                    long cx = Math.max(0, Math.min(comp.width() - 1, Math.floorDiv(ceilShift(x0, d) + x, step) - cx0));
                    out[(y * w + x) * s.components + c] = comp.samples()[(int) (cy * comp.width() + cx)];
                }
            }
        }
        return new Level(w, h, s.components, out);
    }

    private static long ceilShift(long v, int d) {
        return (v + (1L << d) - 1) >> d;
    }

    /** The image offset the spec gives opj_compress (-d x,y), axis 0 or 1. */
    private static long origin(Spec s, int axis) {
        String[] o = s.options();
        for (int i = 0; i < o.length; i++) if (o[i].equals("-d")) return Long.parseLong(o[i + 1].split(",")[axis]);
        return 0;
    }

    /** A binary PGM or PPM (maxval up to 65535) as 8-bit samples: top 8 bits above 8, stretched below. */
    private static Level pnm(byte[] b) {
        int[] pos = {0};
        String magic = token(b, pos);
        int w = Integer.parseInt(token(b, pos));
        int h = Integer.parseInt(token(b, pos));
        int max = Integer.parseInt(token(b, pos));
        pos[0]++; // the one whitespace before the samples
        int bands = magic.equals("P6") ? 3 : 1;
        int bits = 32 - Integer.numberOfLeadingZeros(max);
        int[] samples = new int[w * h * bands];
        for (int i = 0; i < samples.length; i++) {
            int v = max > 255 ? (b[pos[0]++] & 0xFF) << 8 | b[pos[0]++] & 0xFF : b[pos[0]++] & 0xFF;
            samples[i] = bits >= 8 ? v >> (bits - 8) : v * 255 / max;
        }
        return new Level(w, h, bands, samples);
    }

    private static String token(byte[] b, int[] pos) {
        while (true) {
            while (Character.isWhitespace(b[pos[0]])) pos[0]++;
            if (b[pos[0]] != '#') break;
            while (b[pos[0]] != '\n') pos[0]++;
        }
        int start = pos[0];
        while (!Character.isWhitespace(b[pos[0]])) pos[0]++;
        return new String(b, start, pos[0] - start, StandardCharsets.US_ASCII);
    }

    /** A decoded answer's samples, read from the raster (getRGB would re-map grey through a colour space). */
    private static Level samples(byte[] encoded, int bands) {
        BufferedImage img = Fixtures.decode(encoded);
        Raster r = img.getRaster();
        int w = img.getWidth();
        int h = img.getHeight();
        int[] out = new int[w * h * bands];
        int k = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < bands; c++) out[k++] = r.getSample(x, y, Math.min(c, r.getNumBands() - 1));
            }
        }
        return new Level(w, h, bands, out);
    }

    private static byte[] ok(String path) {
        HttpResponse<byte[]> r = http.get(path);
        assertEquals(200, r.statusCode(), () -> path + ": " + new String(r.body(), StandardCharsets.UTF_8));
        return r.body();
    }

    private static void assertSame(Level expected, Level actual, String what) {
        assertEquals(expected.width() + "x" + expected.height(), actual.width() + "x" + actual.height(), what);
        assertArrayEquals(expected.samples(), actual.samples(), what);
    }

    /** Within JPEG's error, in luma: JPEG halves chroma, which these textures change from pixel to pixel. */
    private static void assertClose(Level expected, Level actual, String what) {
        assertEquals(expected.width() + "x" + expected.height(), actual.width() + "x" + actual.height(), what);
        int n = expected.bands();
        double sum = 0;
        for (int i = 0; i < expected.samples().length; i += n) sum += Math.abs(luma(expected, i) - luma(actual, i));
        double mean = sum * n / expected.samples().length;
        assertTrue(mean < JPEG_ERROR, what + ": mean luma error " + mean);
    }

    private static double luma(Level l, int i) {
        int[] s = l.samples();
        return l.bands() < 3 ? s[i] : 0.299 * s[i] + 0.587 * s[i + 1] + 0.114 * s[i + 2];
    }

    /** IIP's Resolutions, largest first, as "w h" pairs. */
    private static List<int[]> resolutions(String name) {
        String body = new String(ok("/iip?FIF=" + name + "&obj=Resolutions"), StandardCharsets.US_ASCII).trim();
        List<int[]> out = new ArrayList<>();
        for (String wh : body.substring(body.indexOf(':') + 1).split(",")) {
            String[] p = wh.trim().split(" ");
            out.add(0, new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1])});
        }
        return out;
    }

    private static int bands(String name) {
        return FILES.get(name).components() >= 3 ? 3 : 1;
    }

    @ParameterizedTest
    @ValueSource(strings = {"offsets.j2k", "offsets-sub.jp2", "signed12.j2k", "u16.j2k", "bits4.j2k", "bits1.j2k"})
    void everyLevelHasJpeg2000sSizeOnTheReferenceGrid(String name) {
        List<int[]> levels = resolutions(name);
        for (int d = 0; d < levels.size(); d++) {
            Level ref = reference(name, Math.min(d, storedReductions(name)));
            if (d > storedReductions(name)) continue; // a level the file does not store: made by scaling
            assertEquals(ref.width() + "x" + ref.height(), levels.get(d)[0] + "x" + levels.get(d)[1], name + " level " + d);
        }
    }

    private static int storedReductions(String name) {
        String[] o = FILES.get(name).options();
        for (int i = 0; i < o.length; i++) if (o[i].equals("-n")) return Integer.parseInt(o[i + 1]) - 1;
        return 5;
    }

    @ParameterizedTest
    @ValueSource(strings = {"offsets.j2k", "offsets-sub.jp2", "signed12.j2k", "u16.j2k", "bits4.j2k", "bits1.j2k",
        "empty-tile.j2k"})
    void iiifSizesOfInfoJsonAreTheStoredLevelsPixelForPixel(String name) {
        assertSame(reference(name, 0), samples(ok("/iiif/3/" + name + "/full/max/0/default.png"), bands(name)),
                name + " full/max");
        List<int[]> levels = resolutions(name);
        for (int d = 1; d < levels.size() && d <= storedReductions(name); d++) {
            String size = levels.get(d)[0] + "," + levels.get(d)[1];
            assertSame(reference(name, d), samples(ok("/iiif/3/" + name + "/full/" + size + "/0/default.png"),
                    bands(name)), name + " full/" + size);
        }
    }

    /**
     * Each tile twice: the first request decodes a window or the whole level (small levels are decoded whole at
     * once and their tiles cut from the level cache), the second goes to the decoder kept open for the level.
     */
    @ParameterizedTest
    @ValueSource(strings = {"offsets.j2k", "offsets-sub.jp2", "signed12.j2k", "u16.j2k", "bits4.j2k", "bits1.j2k",
        "empty-tile.j2k"})
    void iipPngTilesAreTheLevelsPixelsInRowMajorOrder(String name) {
        List<int[]> levels = resolutions(name);
        int n = levels.size();
        for (int pass = 0; pass < 2; pass++) {
            for (int d = 0; d < n && d <= storedReductions(name); d++) {
                Level ref = reference(name, d);
                int cols = (ref.width() + 255) / 256;
                int rows = (ref.height() + 255) / 256;
                for (int k = 0; k < cols * rows; k++) {
                    int x = k % cols * 256;
                    int y = k / cols * 256;
                    Level expected = ref.crop(x, y, Math.min(256, ref.width() - x), Math.min(256, ref.height() - y));
                    assertSame(expected, samples(ok("/iip?FIF=" + name + "&PTL=" + (n - 1 - d) + "," + k), bands(name)),
                            name + " PTL=" + (n - 1 - d) + "," + k + " pass " + pass);
                }
            }
        }
    }

    /** Every level the file stores, below the one that fits a tile too (IIP's levels stop there, IIIF's sizes do not). */
    @ParameterizedTest
    @ValueSource(strings = {"empty-tile.j2k", "bits1.j2k", "offsets.j2k"})
    void storedLevelsBelowTheSmallestIipLevelAreTheirPixelsToo(String name) {
        for (int d = 1; d <= storedReductions(name); d++) {
            Level ref = reference(name, d);
            assertSame(ref, samples(ok("/iiif/3/" + name + "/full/" + ref.width() + "," + ref.height()
                    + "/0/default.png"), bands(name)), name + " level " + d);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"offsets.j2k", "offsets-sub.jp2", "signed12.j2k", "u16.j2k"})
    void iipJpegTilesAndExportsShowTheSameLevels(String name) {
        List<int[]> levels = resolutions(name);
        int n = levels.size();
        Level full = reference(name, 0);
        assertClose(full.crop(0, 0, Math.min(256, full.width()), Math.min(256, full.height())),
                samples(ok("/iip?FIF=" + name + "&JTL=" + (n - 1) + ",0"), bands(name)), name + " JTL");
        assertSame(full, samples(ok("/iip?FIF=" + name + "&CVT=png"), bands(name)), name + " CVT=png");
        Level half = reference(name, 1);
        assertSame(half, samples(ok("/iip?FIF=" + name + "&WID=" + half.width() + "&HEI=" + half.height()
                + "&CVT=png"), bands(name)), name + " CVT=png at level 1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"offsets.j2k", "offsets-sub.jp2"})
    void zoomifyAndDeepZoomTilesAreCutFromTheSameLevels(String name) {
        List<int[]> levels = resolutions(name);
        int n = levels.size();
        int m = Math.max(levels.get(0)[0], levels.get(0)[1]);
        int deepZoomMax = 32 - Integer.numberOfLeadingZeros(m - 1);
        for (int d = 0; d < n && d <= storedReductions(name); d++) {
            Level ref = reference(name, d);
            int cols = (ref.width() + 255) / 256;
            int rows = (ref.height() + 255) / 256;
            for (int ty = 0; ty < rows; ty++) {
                for (int tx = 0; tx < cols; tx++) {
                    Level expected = ref.crop(tx * 256, ty * 256, Math.min(256, ref.width() - tx * 256),
                            Math.min(256, ref.height() - ty * 256));
                    // Zoomify's tiers are IIP's levels here: every level but the smallest is larger than a tile
                    assertClose(expected, samples(ok("/zoomify/" + name + "/TileGroup0/" + (n - 1 - d) + "-" + tx
                            + "-" + ty + ".jpg"), bands(name)), name + " Zoomify level " + d);
                    assertClose(expected, samples(ok("/deepzoom/" + name + "_files/" + (deepZoomMax - d) + "/" + tx
                            + "_" + ty + ".jpg"), bands(name)), name + " Deep Zoom level " + d);
                }
            }
        }
    }
}
