package org.vellum.codec.openjpeg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Decoding rules of {@link Jp2Reader}, checked against known pixels of files written by {@link Jp2Writer}. */
class Jp2ReaderTest {
    private static final int W = 999;
    private static final int H = 701;

    @TempDir
    static Path dir;
    static Path tiled;
    static Path untiled;

    @BeforeAll
    static void writeFixtures() throws Exception {
        tiled = Fixtures.write(dir, "tiled.jp2", W, H, 3, 8, Fixtures.lossless(5, 256), Fixtures::texture);
        untiled = Fixtures.write(dir, "untiled.jp2", W, H, 3, 8, Fixtures.lossless(5, 0), Fixtures::texture);
    }

    @Test
    void headerDescribesSizeComponentsTilingResolutionsAndLayers() throws Exception {
        try (Jp2Reader r = Jp2Reader.open(tiled, 0)) {
            Jp2Header h = r.header();
            assertTrue(h.jp2());
            assertEquals(W, h.width());
            assertEquals(H, h.height());
            assertEquals(3, h.components());
            assertArrayEquals(new int[] {8, 8, 8}, h.precision());
            assertArrayEquals(new boolean[3], h.signed());
            assertArrayEquals(new int[] {1, 1, 1}, h.dx());
            assertArrayEquals(new int[] {1, 1, 1}, h.dy());
            assertEquals(6, h.resolutions());
            assertEquals(3, h.qualityLayers());
            assertEquals(256, h.tileWidth());
            assertEquals(256, h.tileHeight());
            assertEquals(4, h.tilesX());
            assertEquals(3, h.tilesY());
            assertEquals(Jp2ColorSpace.SRGB, h.colorSpace());
            assertNull(h.iccProfile());
            assertFalse(h.hasAlpha());
            assertEquals(tiled, r.file());
        }
        try (Jp2Reader r = Jp2Reader.open(untiled, 0)) {
            assertEquals(1, r.header().tilesX());
            assertEquals(1, r.header().tilesY());
            assertEquals(W, r.header().tileWidth());
            assertEquals(H, r.header().tileHeight());
        }
    }

    @Test
    void fullResolutionDecodeReturnsTheEncodedSamplesExactly() throws Exception {
        int[][] expected = Fixtures.expected(Fixtures::texture, 3, 8, 0, 0, W, H);
        for (Path f : new Path[] {tiled, untiled}) {
            try (Jp2Reader r = Jp2Reader.open(f, 0)) {
                Raster full = r.decode(0, 0, W, H, 0);
                assertEquals(W, full.width());
                assertEquals(H, full.height());
                assertArrayEquals(expected, full.planes(), f.toString());
            }
        }
    }

    @Test
    void regionEqualsTheSameRegionCutFromAFullDecodeAtEveryReduce() throws Exception {
        int[][] regions = {{300, 200, 257, 131}, {1, 1, 997, 699}, {255, 255, 2, 2}, {511, 0, 300, 300}};
        for (Path f : new Path[] {tiled, untiled}) {
            for (int reduce = 0; reduce <= 3; reduce++) {
                Raster full;
                try (Jp2Reader r = Jp2Reader.open(f, 0)) {
                    full = r.decode(0, 0, W, H, reduce);
                    assertEquals(Fixtures.ceilPow2(W, reduce), full.width());
                    assertEquals(Fixtures.ceilPow2(H, reduce), full.height());
                }
                try (Jp2Reader r = Jp2Reader.open(f, 0)) {
                    for (int[] g : regions) {
                        Raster region = r.decode(g[0], g[1], g[2], g[3], reduce);
                        int[][] want = Fixtures.cut(full, g[0], g[1], g[2], g[3], reduce);
                        assertEquals(want[0].length, region.width() * region.height());
                        assertArrayEquals(want, region.planes(), f + " reduce " + reduce + " region " + java.util.Arrays.toString(g));
                    }
                }
            }
        }
    }

    @Test
    void reducedSizeIsTheCeilingOfTheEndMinusTheCeilingOfTheStart() throws Exception {
        try (Jp2Reader r = Jp2Reader.open(tiled, 0)) {
            Raster a = r.decode(1, 1, 998, 700, 3);
            assertEquals(125 - 1, a.width());
            assertEquals(88 - 1, a.height());
            Raster b = r.decode(7, 9, 10, 10, 2);
            assertEquals(5 - 2, b.width());
            assertEquals(5 - 3, b.height());
        }
    }

    @Test
    void regionsTouchingTheRightAndBottomEdgesAreClampedAndIncludeTheSmallEdgeTiles() throws Exception {
        // Edge tiles are 999-768 = 231 wide and 701-512 = 189 high.
        for (Path f : new Path[] {tiled, untiled}) {
            try (Jp2Reader r = Jp2Reader.open(f, 0)) {
                Raster corner = r.decode(900, 650, 500, 500, 0);
                assertEquals(99, corner.width());
                assertEquals(51, corner.height());
                assertArrayEquals(Fixtures.expected(Fixtures::texture, 3, 8, 900, 650, 99, 51), corner.planes());
                Raster strip = r.decode(-20, 690, 5000, 100, 0);
                assertEquals(W, strip.width());
                assertEquals(11, strip.height());
                assertArrayEquals(Fixtures.expected(Fixtures::texture, 3, 8, 0, 690, W, 11), strip.planes());
                Raster lastPixel = r.decode(W - 1, H - 1, 1, 1, 0);
                assertEquals(Fixtures.texture(2, W - 1, H - 1, 8), lastPixel.planes()[2][0]);
            }
        }
    }

    @Test
    void oneReaderServesManyDecodesInMixedOrderAndReduce() throws Exception {
        int[][] requests = {
            {0, 0, 256, 256, 0}, {700, 400, 299, 301, 2}, {10, 10, 50, 50, 0}, {500, 0, 499, 701, 1},
            {0, 0, W, H, 5}, {300, 300, 10, 10, 0}, {0, 0, W, H, 3}, {0, 600, W, 101, 2},
            {768, 512, 231, 189, 1}, {0, 0, W, H, 0}, {100, 100, 600, 400, 4}, {256, 256, 256, 256, 0},
        };
        for (Path f : new Path[] {tiled, untiled}) {
            Raster[] fullByReduce = new Raster[6];
            for (int reduce = 0; reduce < 6; reduce++) {
                try (Jp2Reader fresh = Jp2Reader.open(f, 0)) {
                    fullByReduce[reduce] = fresh.decode(0, 0, W, H, reduce);
                }
            }
            try (Jp2Reader r = Jp2Reader.open(f, 0)) {
                for (int round = 0; round < 2; round++) {
                    for (int[] q : requests) {
                        Raster got = r.decode(q[0], q[1], q[2], q[3], q[4]);
                        assertArrayEquals(Fixtures.cut(fullByReduce[q[4]], q[0], q[1], q[2], q[3], q[4]), got.planes(),
                                f + " " + java.util.Arrays.toString(q));
                    }
                }
                assertTrue(r.usable());
            }
        }
    }

    @Test
    void reduceOutsideTheResolutionsIsRejected() throws Exception {
        try (Jp2Reader r = Jp2Reader.open(tiled, 0)) {
            assertThrows(IllegalArgumentException.class, () -> r.decode(0, 0, 10, 10, 6));
            assertThrows(IllegalArgumentException.class, () -> r.decode(0, 0, 10, 10, -1));
            assertThrows(IllegalArgumentException.class, () -> r.decode(W, 0, 10, 10, 0));
            assertTrue(r.usable());
        }
    }

    @Test
    void sixteenBitSamplesComeBackExactAndAreScaledInToImage() throws Exception {
        Path f = Fixtures.write(dir, "gray16.jp2", 300, 200, 1, 16, Fixtures.lossless(4, 128), Fixtures::texture);
        try (Jp2Reader r = Jp2Reader.open(f, 0)) {
            assertArrayEquals(new int[] {16}, r.header().precision());
            assertEquals(Jp2ColorSpace.GRAY, r.header().colorSpace());
            Raster ras = r.decode(0, 0, 300, 200, 0);
            assertArrayEquals(Fixtures.expected(Fixtures::texture, 1, 16, 0, 0, 300, 200), ras.planes());
            BufferedImage img = ras.toImage();
            assertEquals(BufferedImage.TYPE_BYTE_GRAY, img.getType());
            for (int[] p : new int[][] {{0, 0}, {299, 199}, {123, 45}}) {
                assertEquals(Fixtures.texture(0, p[0], p[1], 16) >> 8, img.getRaster().getSample(p[0], p[1], 0));
            }
        }
    }

    @Test
    void signedSamplesComeBackExactAndAreShiftedInToImage() throws Exception {
        Path f = dir.resolve("signed12.jp2");
        Jp2Writer.write(f, 120, 90, 1, 12, true, Fixtures.lossless(3, 0),
                Fixtures.source((c, x, y, p) -> Fixtures.texture(c, x, y, 12) - 2048, 12));
        try (Jp2Reader r = Jp2Reader.open(f, 0)) {
            assertArrayEquals(new boolean[] {true}, r.header().signed());
            Raster ras = r.decode(0, 0, 120, 90, 0);
            assertEquals(Fixtures.texture(0, 5, 7, 12) - 2048, ras.planes()[0][7 * 120 + 5]);
            assertEquals(Fixtures.texture(0, 5, 7, 12) >> 4, ras.toImage().getRaster().getSample(5, 7, 0));
        }
    }

    @Test
    void eightBitGrayRgbAndArgbImagesRoundTripThroughToImage() throws Exception {
        BufferedImage gray = new BufferedImage(211, 97, BufferedImage.TYPE_BYTE_GRAY);
        BufferedImage rgb = new BufferedImage(211, 97, BufferedImage.TYPE_INT_RGB);
        BufferedImage argb = new BufferedImage(211, 97, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 97; y++) {
            for (int x = 0; x < 211; x++) {
                gray.getRaster().setSample(x, y, 0, Fixtures.texture(0, x, y, 8));
                int v = Fixtures.texture(0, x, y, 8) << 16 | Fixtures.texture(1, x, y, 8) << 8 | Fixtures.texture(2, x, y, 8);
                rgb.setRGB(x, y, v);
                argb.setRGB(x, y, Fixtures.texture(3, x, y, 8) << 24 | v);
            }
        }
        for (BufferedImage src : new BufferedImage[] {gray, rgb, argb}) {
            Path f = dir.resolve("bi" + src.getType() + ".jp2");
            Jp2Writer.write(f, src, Fixtures.lossless(4, 64));
            try (Jp2Reader r = Jp2Reader.open(f, 0)) {
                int comps = src.getColorModel().getNumComponents();
                assertEquals(comps, r.header().components());
                assertEquals(comps == 4, r.header().hasAlpha());
                Raster ras = r.decode(0, 0, 211, 97, 0);
                assertEquals(comps == 4, ras.hasAlpha());
                BufferedImage out = ras.toImage();
                assertEquals(src.getType(), out.getType());
                for (int y = 0; y < 97; y++) {
                    for (int x = 0; x < 211; x++) {
                        if (comps == 1) {
                            assertEquals(src.getRaster().getSample(x, y, 0), out.getRaster().getSample(x, y, 0));
                        } else {
                            assertEquals(src.getRGB(x, y), out.getRGB(x, y), "type " + src.getType() + " at " + x + "," + y);
                        }
                    }
                }
            }
        }
    }

    @Test
    void rawJ2kCodestreamsDecodeWhateverTheirExtension() throws Exception {
        Path j2k = Fixtures.write(dir, "raw.j2k", 333, 222, 3, 8, Fixtures.lossless(4, 128).withJp2(false), Fixtures::texture);
        assertEquals((byte) 0xFF, Files.readAllBytes(j2k)[0]);
        Path misnamed = Files.copy(j2k, dir.resolve("raw-named.jp2"));
        Path jp2Misnamed = Files.copy(tiled, dir.resolve("tiled-named.j2k"));
        for (Path f : new Path[] {j2k, misnamed}) {
            try (Jp2Reader r = Jp2Reader.open(f, 0)) {
                assertFalse(r.header().jp2());
                assertEquals(333, r.header().width());
                assertArrayEquals(Fixtures.expected(Fixtures::texture, 3, 8, 100, 50, 200, 100), r.decode(100, 50, 200, 100, 0).planes());
            }
        }
        try (Jp2Reader r = Jp2Reader.open(jp2Misnamed, 0)) {
            assertTrue(r.header().jp2());
            assertArrayEquals(Fixtures.expected(Fixtures::texture, 3, 8, 0, 0, 64, 64), r.decode(0, 0, 64, 64, 0).planes());
        }
    }

    @Test
    void subsampledComponentsAreUpsampledToTheFullGridAndSyccBecomesRgb() throws Exception {
        int w = 301;
        int h = 203;
        Fixtures.Pattern ycc = (c, x, y, p) -> c == 0 ? Fixtures.smooth(0, x, y, 8) : 128 + (c == 1 ? 40 : -30) + ((x / 20) % 3) * 5;
        Path f = dir.resolve("ycc420.jp2");
        Jp2Writer.write(f, w, h, 3, 8, false, new int[] {1, 2, 2}, new int[] {1, 2, 2}, Jp2ColorSpace.SYCC,
                Fixtures.lossless(4, 128), Fixtures.source(ycc, 8));
        try (Jp2Reader r = Jp2Reader.open(f, 0)) {
            assertArrayEquals(new int[] {1, 2, 2}, r.header().dx());
            assertArrayEquals(new int[] {1, 2, 2}, r.header().dy());
            assertEquals(Jp2ColorSpace.SYCC, r.header().colorSpace());
            for (int reduce = 0; reduce <= 1; reduce++) {
                Raster ras = r.decode(0, 0, w, h, reduce);
                assertEquals(Fixtures.ceilPow2(w, reduce), ras.width());
                if (reduce == 0) {
                    for (int y = 0; y < h; y++) {
                        for (int x = 0; x < w; x++) {
                            for (int c = 0; c < 3; c++) {
                                int s = c == 0 ? 1 : 2;
                                assertEquals(ycc.value(c, x / s * s, y / s * s, 8), ras.planes()[c][y * w + x], c + " at " + x + "," + y);
                            }
                        }
                    }
                    BufferedImage img = ras.toImage();
                    int x = 150;
                    int y = 101;
                    double yy = ycc.value(0, x, y, 8);
                    double cb = ycc.value(1, x, y, 8) - 128;
                    double cr = ycc.value(2, x, y, 8) - 128;
                    int rgb = img.getRGB(x, y);
                    assertEquals(Math.max(0, Math.min(255, yy + 1.402 * cr)), rgb >> 16 & 0xFF, 1.0);
                    assertEquals(Math.max(0, Math.min(255, yy - 0.344136 * cb - 0.714136 * cr)), rgb >> 8 & 0xFF, 1.0);
                    assertEquals(Math.max(0, Math.min(255, yy + 1.772 * cb)), rgb & 0xFF, 1.0);
                }
            }
        }
    }

    @Test
    void closeIsIdempotentAndAClosedReaderRefusesWork() throws Exception {
        Jp2Reader r = Jp2Reader.open(tiled, 0);
        r.close();
        r.close();
        assertFalse(r.usable());
        assertThrows(IllegalStateException.class, () -> r.decode(0, 0, 10, 10, 0));
    }
}
