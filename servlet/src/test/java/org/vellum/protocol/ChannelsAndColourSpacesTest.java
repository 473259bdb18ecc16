package org.vellum.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vellum.codec.openjpeg.Jp2ColorSpace;
import org.vellum.codec.openjpeg.Jp2EncodeOptions;
import org.vellum.codec.openjpeg.Jp2Writer;
import org.vellum.codec.openjpeg.OpenJpegException;
import org.vellum.codec.openjpeg.PixelSource;
import org.vellum.config.Settings;
import org.vellum.image.ImageInfo;
import org.vellum.testing.Fixtures;
import org.vellum.testing.Http;
import org.vellum.testing.Jp2Boxes;
import org.vellum.testing.OpjDecompress;
import org.vellum.testing.OpjDecompress.Decoded;

/**
 * What the file holds is what the reader sees: palettes, channel definitions (alpha, channel order, premultiplied
 * opacity), CIE Lab, e-sYCC and sub-sampled YCbCr, compared pixel by pixel with OpenJPEG's own opj_decompress on
 * files built here (our encoder's codestreams inside hand-written JP2 boxes), through IIIF, IIP, Zoomify and Deep Zoom.
 * Exact where the path is lossless and 8-bit (palettes, alpha, channel order); a stated tolerance where a colour
 * conversion rounds differently (YCbCr, Lab) or the answer is JPEG.
 */
class ChannelsAndColourSpacesTest {
    @TempDir
    static Path tmp;
    static Path images;
    static Http http;

    static final int ENTRIES = 200;
    /**
     * JPEG answers (quality 90, chroma halved both ways) against the reference: mean absolute error per sample. The
     * palettes put saturated colours side by side every 10 pixels, where halved chroma costs most (6 to 8 here);
     * palette indices served as grey would be off by about 70.
     */
    static final double JPEG_MEAN = 10.0;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(OpjDecompress.available(), "opj_decompress (libopenjp2-tools) is needed for the reference decode");
        images = Files.createDirectories(tmp.resolve("images"));
        Path cs = Files.createDirectories(tmp.resolve("codestreams"));

        // A one-component index image and a three-column palette: the picture is in colour.
        byte[] index = codestream(cs, "index", 300, 200, 1, 8, null, Jp2ColorSpace.GRAY, untiled(3),
                (x, y, w, h, p) -> fill(p[0], x, y, w, h, ChannelsAndColourSpacesTest::indexAt));
        Jp2Boxes.write(images.resolve("palette.jp2"), index, Jp2Boxes.colr(16),
                Jp2Boxes.pclr(new int[] {8, 8, 8}, paletteColumns(8)), Jp2Boxes.cmap(new int[] {0, 1, 0},
                        new int[] {0, 1, 1}, new int[] {0, 1, 2}));
        // Tiled (decoded by window: OpenJPEG's tile decode would apply the palette itself), 16-bit palette entries.
        byte[] indexTiled = codestream(cs, "index-tiled", 600, 400, 1, 8, null, Jp2ColorSpace.GRAY, tiled(3, 256),
                (x, y, w, h, p) -> fill(p[0], x, y, w, h, ChannelsAndColourSpacesTest::indexAt));
        Jp2Boxes.write(images.resolve("palette16-tiled.jp2"), indexTiled, Jp2Boxes.colr(16),
                Jp2Boxes.pclr(new int[] {16, 16, 16}, paletteColumns(16)), Jp2Boxes.cmap(new int[] {0, 1, 0},
                        new int[] {0, 1, 1}, new int[] {0, 1, 2}));

        // cmap naming a palette column twice, which OpenJPEG refuses; and one whose first channel is the index itself
        // (a palette column left unused), which OpenJPEG corrects to the whole palette.
        Jp2Boxes.write(images.resolve("palette-mapped-twice.jp2"), index, Jp2Boxes.colr(16),
                Jp2Boxes.pclr(new int[] {8, 8, 8}, paletteColumns(8)), Jp2Boxes.cmap(new int[] {0, 1, 0},
                        new int[] {0, 1, 0}, new int[] {0, 1, 2}));
        Jp2Boxes.write(images.resolve("palette-column-unused.jp2"), index, Jp2Boxes.colr(16),
                Jp2Boxes.pclr(new int[] {8, 8, 8}, paletteColumns(8)), Jp2Boxes.cmap(new int[] {0, 0, 0},
                        new int[] {0, 1, 1}, new int[] {0, 1, 2}));

        // CIE Lab, default ranges (colr of 15 bytes) and given ones; 8 bits, no codestream colour transform.
        byte[] lab = codestream(cs, "lab", 300, 200, 3, 8, null, Jp2ColorSpace.SYCC, untiled(3), (x, y, w, h, p) -> {
            fill(p[0], x, y, w, h, (i, j) -> 30 + i * 200 / 300);
            fill(p[1], x, y, w, h, (i, j) -> 128 + ((j / 8) % 16 - 8) * 7);
            fill(p[2], x, y, w, h, (i, j) -> 100 + ((i / 8) % 16 - 8) * 7);
        });
        Jp2Boxes.write(images.resolve("lab.jp2"), lab, Jp2Boxes.colr(14));
        Jp2Boxes.write(images.resolve("lab-ranges.jp2"), lab, Jp2Boxes.colrLab(100, 0, 180, 120, 160, 110, 0x00443530));

        // e-sYCC, 8 bits, no codestream colour transform.
        byte[] ycc = codestream(cs, "esycc", 300, 200, 3, 8, null, Jp2ColorSpace.SYCC, untiled(3), (x, y, w, h, p) -> {
            fill(p[0], x, y, w, h, (i, j) -> 40 + i * 170 / 300);
            fill(p[1], x, y, w, h, (i, j) -> 128 + ((j / 6) % 20 - 10) * 5);
            fill(p[2], x, y, w, h, (i, j) -> 128 + ((i / 7) % 20 - 10) * 5);
        });
        Jp2Boxes.write(images.resolve("esycc.jp2"), ycc, Jp2Boxes.colr(24));

        // A raw 10-bit 4:2:2 codestream without colour information: opj_decompress reads it as YCbCr.
        codestream(images, "ycc422.j2k", 301, 200, 3, 10, new int[] {1, 2, 2}, Jp2ColorSpace.SYCC, untiled(3),
                (x, y, w, h, p) -> {
                    fill(p[0], x, y, w, h, (i, j) -> 100 + i * 800 / 301);
                    fill(p[1], x, y, w, h, (i, j) -> 512 + ((j / 5) % 20 - 10) * 20);
                    fill(p[2], x, y, w, h, (i, j) -> 512 + ((i / 9) % 20 - 10) * 20);
                });

        // Opacity first, colours after it (cdef says which is which), tiled: decoded by window.
        byte[] argb = codestream(cs, "argb", 600, 400, 4, 8, null, Jp2ColorSpace.SYCC, tiled(3, 256), (x, y, w, h, p) -> {
            fill(p[0], x, y, w, h, ChannelsAndColourSpacesTest::alphaAt);
            fill(p[1], x, y, w, h, (i, j) -> Fixtures.gridColour(i, j) >> 16 & 0xFF);
            fill(p[2], x, y, w, h, (i, j) -> Fixtures.gridColour(i, j) >> 8 & 0xFF);
            fill(p[3], x, y, w, h, (i, j) -> Fixtures.gridColour(i, j) & 0xFF);
        });
        Jp2Boxes.write(images.resolve("argb-tiled.jp2"), argb, Jp2Boxes.colr(16), Jp2Boxes.cdef(new int[] {0, 1, 0},
                new int[] {1, 0, 1}, new int[] {2, 0, 2}, new int[] {3, 0, 3}));
        // Our encoder's RGBA (cdef in order), tiled: decoded tile by tile.
        Fixtures.write(images, "rgba-tiled.jp2", Fixtures.rgbaGrid(600, 400), Fixtures.lossless(3, 256));
        // The same as a raw codestream, which has no cdef.
        Fixtures.write(images, "rgba.j2k", Fixtures.rgbaGrid(600, 400), tiled(3, 256));

        // A cdef that leaves a channel out, which OpenJPEG refuses.
        Jp2Boxes.write(images.resolve("cdef-incomplete.jp2"), argb, Jp2Boxes.colr(16), Jp2Boxes.cdef(new int[] {0, 1, 0},
                new int[] {1, 0, 1}, new int[] {2, 0, 2}));

        // Grey and premultiplied opacity.
        byte[] greyAlpha = codestream(cs, "grey-alpha", 300, 200, 2, 8, null, Jp2ColorSpace.GRAY, untiled(3),
                (x, y, w, h, p) -> {
                    fill(p[0], x, y, w, h, (i, j) -> (Fixtures.greyOf(i, j) * alphaAt(i, j) + 127) / 255);
                    fill(p[1], x, y, w, h, ChannelsAndColourSpacesTest::alphaAt);
                });
        Jp2Boxes.write(images.resolve("grey-premultiplied.jp2"), greyAlpha, Jp2Boxes.colr(17),
                Jp2Boxes.cdef(new int[] {0, 0, 1}, new int[] {1, 2, 0}));

        http = new Http(Settings.fromEnvironment(Map.of("FILESYSTEM_PREFIX", images.toString(), "JPEG_QUALITY", "90")));
    }

    @AfterAll
    static void stop() throws Exception {
        if (http != null) http.close();
    }

    // ---- fixtures ----

    static int indexAt(int x, int y) {
        return ((x / 12) * 7 + (y / 10) * 13) % ENTRIES;
    }

    static int alphaAt(int x, int y) {
        return 40 + ((x / 16 + y / 16) % 22) * 10;
    }

    /** Three columns of distinct colours; 16-bit entries carry the 8-bit colour in their top byte. */
    static int[][] paletteColumns(int bits) {
        int[][] c = new int[3][ENTRIES];
        for (int e = 0; e < ENTRIES; e++) {
            int[] rgb = {(e * 37) % 256, (e * 91 + 50) % 256, 255 - e};
            for (int k = 0; k < 3; k++) c[k][e] = bits == 16 ? rgb[k] << 8 | (e * 5 + k) & 0xFF : rgb[k];
        }
        return c;
    }

    interface Sample {
        int at(int x, int y);
    }

    static void fill(int[] plane, int x, int y, int w, int h, Sample s) {
        for (int j = 0; j < h; j++) {
            for (int i = 0; i < w; i++) plane[j * w + i] = s.at(x + i, y + j);
        }
    }

    static Jp2EncodeOptions untiled(int levels) {
        return new Jp2EncodeOptions(levels, 1, 0, true, false);
    }

    static Jp2EncodeOptions tiled(int levels, int tile) {
        return new Jp2EncodeOptions(levels, 1, tile, true, false);
    }

    /** A raw codestream from our encoder, lossless; colour space SYCC keeps it from applying its colour transform. */
    static byte[] codestream(Path dir, String name, int w, int h, int nc, int bits, int[] dx, Jp2ColorSpace space,
                             Jp2EncodeOptions options, PixelSource source) throws OpenJpegException {
        Path out = dir.resolve(name.contains(".") ? name : name + ".j2k");
        int[] dy = dx == null ? null : new int[nc];
        if (dy != null) java.util.Arrays.fill(dy, 1);
        Jp2Writer.write(out, w, h, nc, bits, false, dx, dy, space, options, source);
        try {
            return Files.readAllBytes(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- comparisons ----

    static Decoded reference(String file) {
        return OpjDecompress.decode(images.resolve(file), tmp);
    }

    static BufferedImage get(String path) {
        HttpResponse<byte[]> r = http.get(path);
        assertEquals(200, r.statusCode(), path + ": " + Http.text(r));
        return Fixtures.decode(r.body());
    }

    /**
     * Every sample of {@code actual} within {@code tol} of the reference's area at (x0, y0); alpha compared too when
     * {@code alpha}. Returns the mean absolute error.
     */
    static double compare(String what, Decoded ref, int x0, int y0, BufferedImage image, int tol, boolean alpha) {
        Decoded actual = OpjDecompress.of(image);
        long sum = 0;
        int worst = 0;
        String where = "";
        for (int y = 0; y < actual.height(); y++) {
            for (int x = 0; x < actual.width(); x++) {
                int e = ref.at(x0 + x, y0 + y);
                int a = actual.at(x, y);
                for (int s = alpha ? 24 : 16; s >= 0; s -= 8) {
                    int d = Math.abs((e >>> s & 0xFF) - (a >>> s & 0xFF));
                    sum += d;
                    if (d > worst) {
                        worst = d;
                        where = String.format("(%d,%d) is %08x, reference %08x", x, y, a, e);
                    }
                }
            }
        }
        assertTrue(worst <= tol, what + ": largest difference " + worst + " > " + tol + " at " + where);
        return sum / ((alpha ? 4.0 : 3.0) * actual.width() * actual.height());
    }

    /** IIIF full/max as PNG against the whole reference. */
    static void iiifFullPng(String file, int tol, boolean alpha) {
        Decoded ref = reference(file);
        BufferedImage png = get("/iiif/3/" + file + "/full/max/0/default.png");
        assertEquals(ref.width() + "x" + ref.height(), png.getWidth() + "x" + png.getHeight(), file);
        assertEquals(alpha, png.getColorModel().hasAlpha(), file + ": alpha in the PNG");
        compare(file + " IIIF full/max PNG", ref, 0, 0, png, tol, alpha);
    }

    /** IIIF at the first stored level below full size, against opj_decompress -r 1. */
    static void iiifHalfPng(String file, int tol, boolean alpha) {
        Decoded ref = OpjDecompress.decode(images.resolve(file), tmp, 1);
        BufferedImage png = get("/iiif/3/" + file + "/full/" + ref.width() + "," + ref.height() + "/0/default.png");
        compare(file + " IIIF level 1 PNG", ref, 0, 0, png, tol, alpha);
    }

    /** IIP PTL and JTL: the second full-resolution tile (256 px), PNG within tol, JPEG on average. */
    static void iipTiles(String file, int tol, boolean alpha) {
        Decoded ref = reference(file);
        int r = ImageInfoOf.resolutions(ref.width(), ref.height()) - 1;
        BufferedImage png = get("/iip?FIF=" + file + "&PTL=" + r + ",1");
        assertEquals(Math.min(256, ref.width() - 256) + "x" + Math.min(256, ref.height()),
                png.getWidth() + "x" + png.getHeight(), file + " PTL size");
        compare(file + " IIP PTL", ref, 256, 0, png, tol, alpha);
        BufferedImage jpeg = get("/iip?FIF=" + file + "&JTL=" + r + ",1");
        double mean = compare(file + " IIP JTL", ref, 256, 0, jpeg, 255, false);
        assertTrue(mean < JPEG_MEAN, file + " IIP JTL mean error " + mean);
    }

    /** Zoomify and Deep Zoom: the top-left full-resolution tile, JPEG, on average. */
    static void zoomifyAndDeepZoom(String file) {
        Decoded ref = reference(file);
        int r = ImageInfoOf.resolutions(ref.width(), ref.height()) - 1;
        double z = compare(file + " Zoomify", ref, 0, 0, get("/zoomify/" + file + "/TileGroup0/" + r + "-0-0.jpg"), 255, false);
        assertTrue(z < JPEG_MEAN, file + " Zoomify mean error " + z);
        int level = 32 - Integer.numberOfLeadingZeros(Math.max(ref.width(), ref.height()) - 1);
        double d = compare(file + " Deep Zoom", ref, 0, 0, get("/deepzoom/" + file + "_files/" + level + "/0_0.jpg"), 255, false);
        assertTrue(d < JPEG_MEAN, file + " Deep Zoom mean error " + d);
    }

    /** IIP's levels, as the server counts them. */
    static final class ImageInfoOf {
        static int resolutions(int w, int h) {
            return new ImageInfo(w, h, 3, 8, 0, 1, false, Jp2ColorSpace.SRGB, null, true, 0, 0, null, null).resolutionNumber();
        }
    }

    // ---- the rules ----

    @Test
    void aPaletteImageIsServedInThePalettesColours() {
        iiifFullPng("palette.jp2", 0, false);
        iiifHalfPng("palette.jp2", 0, false);
        iipTiles("palette.jp2", 0, false);
        zoomifyAndDeepZoom("palette.jp2");
    }

    @Test
    void aTiledPaletteImageWithSixteenBitEntriesIsServedInTheirColours() {
        iiifFullPng("palette16-tiled.jp2", 0, false);
        iiifHalfPng("palette16-tiled.jp2", 0, false);
        iipTiles("palette16-tiled.jp2", 0, false);
        zoomifyAndDeepZoom("palette16-tiled.jp2");
    }

    /**
     * A 2600x1700 single-tile palette image, every full-size tile through two servers: one whose memory budget lets
     * it decode the level by quarters (SplitLevelTest) with no caches, one with the level cache; and the levels below
     * (decoded from cut copies). Each PNG tile is the reference's, exactly.
     */
    @Test
    void everyDecodePathAppliesThePalette() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("large"));
        byte[] index = codestream(tmp, "large-index", 2600, 1700, 1, 8, null, Jp2ColorSpace.GRAY, untiled(5),
                (x, y, w, h, p) -> fill(p[0], x, y, w, h, ChannelsAndColourSpacesTest::indexAt));
        Jp2Boxes.write(dir.resolve("large.jp2"), index, Jp2Boxes.colr(16),
                Jp2Boxes.pclr(new int[] {8, 8, 8}, paletteColumns(8)), Jp2Boxes.cmap(new int[] {0, 1, 0},
                        new int[] {0, 1, 1}, new int[] {0, 1, 2}));
        Decoded ref = OpjDecompress.decode(dir.resolve("large.jp2"), tmp);
        Decoded half = OpjDecompress.decode(dir.resolve("large.jp2"), tmp, 1);
        try (Http split = new Http(Settings.fromEnvironment(Map.of("FILESYSTEM_PREFIX", dir.toString(),
                "MAX_IMAGE_CACHE_SIZE", "0", "LEVEL_CACHE_SIZE", "0", "MEMORY_BUDGET", "512")));
             Http cached = new Http(Settings.fromEnvironment(Map.of("FILESYSTEM_PREFIX", dir.toString(),
                     "MAX_IMAGE_CACHE_SIZE", "0")))) {
            for (Http server : new Http[] {split, cached}) {
                for (int round = 0; round < 2; round++) {
                    for (int n = 0; n < 11 * 7; n++) {
                        BufferedImage tile = Fixtures.decode(server.ok("/iip?FIF=large.jp2&PTL=4," + n));
                        compare("large.jp2 PTL=4," + n, ref, n % 11 * 256, n / 11 * 256, tile, 0, false);
                    }
                    for (int n = 0; n < 6 * 4; n++) {
                        BufferedImage tile = Fixtures.decode(server.ok("/iip?FIF=large.jp2&PTL=3," + n));
                        compare("large.jp2 PTL=3," + n, half, n % 6 * 256, n / 6 * 256, tile, 0, false);
                    }
                }
            }
            assertTrue(split.server().vellum().engine().stats().plans().split() > 0, "decoded by quarters");
            assertTrue(cached.server().vellum().engine().stats().levels().hits() > 0, "tiles cut from a kept level");
        }
    }

    @Test
    void aComponentMappingOpenJpegRefusesIsRefusedAndOneItCorrectsIsCorrected() {
        assertTrue(!OpjDecompress.decodes(images.resolve("palette-mapped-twice.jp2"), tmp), "opj_decompress refuses it");
        HttpResponse<byte[]> r = http.get("/iiif/3/palette-mapped-twice.jp2/full/max/0/default.png");
        assertEquals(404, r.statusCode(), Http.text(r));
        assertTrue(Http.text(r).contains("twice"), Http.text(r));
        iiifFullPng("palette-column-unused.jp2", 0, false);
    }

    @Test
    void infoJsonOfAPaletteImageOffersColour() {
        String info = Http.text(http.get("/iiif/3/palette.jp2/info.json"));
        assertTrue(info.contains("\"color\""), info);
    }

    @Test
    void cieLabIsConvertedToSrgbWithTheDefaultRanges() {
        // lcms (opj_decompress) and our own arithmetic round differently: within 2 of 255
        iiifFullPng("lab.jp2", 2, false);
        iipTiles("lab.jp2", 2, false);
    }

    @Test
    void cieLabIsConvertedWithTheRangesItsColourBoxGives() {
        iiifFullPng("lab-ranges.jp2", 2, false);
    }

    @Test
    void eSyccIsConvertedToRgb() {
        // opj_decompress truncates where we round
        iiifFullPng("esycc.jp2", 1, false);
        iipTiles("esycc.jp2", 1, false);
    }

    @Test
    void aSubSampledThreeComponentCodestreamIsYcbcr() {
        iiifFullPng("ycc422.j2k", 1, false);
        iipTiles("ycc422.j2k", 1, false);
        zoomifyAndDeepZoom("ycc422.j2k");
    }

    @Test
    void channelDefinitionsPutColoursInOrderAndOpacityLast() {
        iiifFullPng("argb-tiled.jp2", 0, true);
        iiifHalfPng("argb-tiled.jp2", 0, true);
        iipTiles("argb-tiled.jp2", 0, true);
        zoomifyAndDeepZoom("argb-tiled.jp2");
    }

    @Test
    void channelDefinitionsLeavingAChannelOutAreRefusedAsOpenJpegRefusesThem() {
        assertTrue(!OpjDecompress.decodes(images.resolve("cdef-incomplete.jp2"), tmp), "opj_decompress refuses it");
        HttpResponse<byte[]> r = http.get("/iiif/3/cdef-incomplete.jp2/full/max/0/default.png");
        assertEquals(404, r.statusCode(), Http.text(r));
        assertEquals(404, http.get("/iip?FIF=cdef-incomplete.jp2&PTL=2,0").statusCode());
    }

    @Test
    void rgbaDecodedTileByTileKeepsItsAlpha() {
        iiifFullPng("rgba-tiled.jp2", 0, true);
        iipTiles("rgba-tiled.jp2", 0, true);
    }

    @Test
    void theFourthComponentOfARawCodestreamIsOpacityAsOpjDecompressReadsIt() {
        iiifFullPng("rgba.j2k", 0, true);
        iipTiles("rgba.j2k", 0, true);
    }

    @Test
    void premultipliedOpacityIsServedAsStraightAlpha() {
        Decoded ref = reference("grey-premultiplied.jp2");
        // opj_decompress writes the stored (premultiplied) grey; PNG's alpha is straight: divide it out here
        int[] straight = new int[ref.argb().length];
        for (int i = 0; i < straight.length; i++) {
            int a = ref.argb()[i] >>> 24;
            int g = ref.argb()[i] & 0xFF;
            int s = a == 0 ? 0 : Math.min(255, (g * 255 + a / 2) / a);
            straight[i] = a << 24 | s << 16 | s << 8 | s;
        }
        Decoded expected = new Decoded(ref.width(), ref.height(), straight, true);
        BufferedImage png = get("/iiif/3/grey-premultiplied.jp2/full/max/0/default.png");
        compare("grey-premultiplied IIIF PNG", expected, 0, 0, png, 0, true);
        BufferedImage tile = get("/iip?FIF=grey-premultiplied.jp2&PTL=1,0");
        compare("grey-premultiplied IIP PTL", expected, 0, 0, tile, 0, true);
    }
}
