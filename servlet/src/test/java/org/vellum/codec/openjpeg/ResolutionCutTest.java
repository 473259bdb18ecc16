package org.vellum.codec.openjpeg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vellum.testing.Fixtures;

/**
 * A decoder for a reduced level of a single-tile file reads a copy cut after that level's resolutions, and a decoder
 * for a region of one reads a copy without the packets of distant precincts: the pixels are exactly those of a
 * decoder that reads the whole file, at every level, for colour, grey and alpha, JP2 and J2K, RPCL and RLCP.
 */
class ResolutionCutTest {
    @TempDir
    Path dir;

    /** The same areas at every reduced level, through a reader set up for that level and one reading the whole file. */
    private static void samePixelsAtEveryReducedLevel(Path file, int layers) throws Exception {
        int resolutions;
        try (Jp2Reader whole = Jp2Reader.open(file, layers)) {
            resolutions = whole.header().resolutions();
            int w = whole.header().width();
            int h = whole.header().height();
            int[][] areas = {{0, 0, w, h}, {w / 3, h / 4, 300, 200}, {w - 97, h - 61, 97, 61}};
            for (int reduce = 1; reduce < resolutions; reduce++) {
                try (Jp2Reader cut = Jp2Reader.open(file, layers, reduce)) {
                    for (int[] a : areas) {
                        Raster expected = whole.decode(a[0], a[1], a[2], a[3], reduce);
                        Raster actual = cut.decode(a[0], a[1], a[2], a[3], reduce);
                        String what = file.getFileName() + " reduce " + reduce + " area " + Arrays.toString(a);
                        assertEquals(expected.planes().length, actual.planes().length, what);
                        for (int c = 0; c < expected.planes().length; c++) {
                            assertArrayEquals(expected.planes()[c], actual.planes()[c], what + " component " + c);
                        }
                        assertEquals(expected.hasAlpha(), actual.hasAlpha(), what);
                        assertEquals(expected.colorSpace(), actual.colorSpace(), what);
                    }
                    assertTrue(cut.nativeBytes() < whole.nativeBytes() || reduce == 0, "the cut reader holds less");
                }
            }
        }
        assertTrue(resolutions > 3, "the fixture has levels to cut");
    }

    @Test
    void colourGreyAndAlphaFilesDecodeTheSameFromTheirCutCopies() throws Exception {
        Jp2EncodeOptions single = Jp2EncodeOptions.archive().withTileSize(0).withLevels(5);
        samePixelsAtEveryReducedLevel(Fixtures.write(dir, "colour.jp2", Fixtures.texturedGrid(1501, 1103), single), 0);
        samePixelsAtEveryReducedLevel(Fixtures.write(dir, "grey.jp2", Fixtures.greyGrid(1203, 901), single), 0);
        samePixelsAtEveryReducedLevel(Fixtures.write(dir, "alpha.jp2", Fixtures.rgbaGrid(999, 777), single), 0);
        samePixelsAtEveryReducedLevel(Fixtures.write(dir, "raw.j2k", Fixtures.texturedGrid(1024, 768),
                single.withJp2(false)), 0);
    }

    @Test
    void aDecoderOfFewerLayersGetsTheSamePixelsToo() throws Exception {
        Path file = Fixtures.write(dir, "layers.jp2", Fixtures.texturedGrid(1300, 1000),
                Jp2EncodeOptions.archive().withTileSize(0).withLevels(5));
        samePixelsAtEveryReducedLevel(file, 3);
    }

    @Test
    void theCopyHoldsOnlyTheCoarserResolutions() throws Exception {
        Path file = Fixtures.write(dir, "copy.jp2", Fixtures.texturedGrid(2000, 1500),
                Jp2EncodeOptions.archive().withTileSize(0).withLevels(5));
        long previous = Files.size(file);
        for (int reduce = 1; reduce <= 5; reduce++) {
            Path cut = ResolutionCut.write(file, true, reduce);
            assertNotNull(cut, "reduce " + reduce);
            try {
                long size = Files.size(cut);
                assertTrue(size < previous, "reduce " + reduce + ": " + size + " bytes, not below " + previous);
                previous = size;
                BufferedImage fromCopy = Fixtures.reference(cut, 0, 0, 2000, 1500, reduce);
                BufferedImage fromFile = Fixtures.reference(file, 0, 0, 2000, 1500, reduce);
                assertArrayEquals(fromFile.getRGB(0, 0, fromFile.getWidth(), fromFile.getHeight(), null, 0,
                        fromFile.getWidth()), fromCopy.getRGB(0, 0, fromCopy.getWidth(), fromCopy.getHeight(), null, 0,
                        fromCopy.getWidth()), "reduce " + reduce);
            } finally {
                Files.delete(cut);
            }
        }
    }

    /**
     * Readers for the four quarters of the image (as the engine splits a level), at reduce 0 and 1, against one that
     * reads the whole file: the same pixels for the whole quarter, its corner tiles, one-pixel strips along each of
     * its edges and random areas inside it; less data held; and an area that leaves the quarter is refused.
     */
    private static void regionsDecodeTheirAreasExactly(Path file) throws Exception {
        java.util.Random random = new java.util.Random(11);
        try (Jp2Reader whole = Jp2Reader.open(file, 0)) {
            int w = whole.header().width();
            int h = whole.header().height();
            int bx = 1024;
            int by = 512;
            int[][] regions = {{0, 0, bx, by}, {bx, 0, w - bx, by}, {0, by, bx, h - by}, {bx, by, w - bx, h - by}};
            for (int reduce = 0; reduce <= 1; reduce++) {
                for (int[] r : regions) {
                    try (Jp2Reader part = Jp2Reader.open(file, 0, reduce, r)) {
                        int px = 1 << reduce; // one pixel at this level; the regions' sides are even
                        java.util.List<int[]> areas = new java.util.ArrayList<>(java.util.List.of(
                                r.clone(), new int[] {r[0], r[1], 256, 256},
                                new int[] {r[0] + r[2] - 256, r[1] + r[3] - 256, 256, 256},
                                new int[] {r[0], r[1], px, r[3]}, new int[] {r[0] + r[2] - px, r[1], px, r[3]},
                                new int[] {r[0], r[1], r[2], px}, new int[] {r[0], r[1] + r[3] - px, r[2], px}));
                        for (int i = 0; i < 6; i++) {
                            int aw = px + random.nextInt(Math.min(300, r[2]) - px);
                            int ah = px + random.nextInt(Math.min(300, r[3]) - px);
                            areas.add(new int[] {r[0] + random.nextInt(r[2] - aw + 1), r[1] + random.nextInt(r[3] - ah + 1),
                                aw, ah});
                        }
                        for (int[] a : areas) {
                            Raster expected = whole.decode(a[0], a[1], a[2], a[3], reduce);
                            Raster actual = part.decode(a[0], a[1], a[2], a[3], reduce);
                            String what = file.getFileName() + " reduce " + reduce + " region " + Arrays.toString(r)
                                    + " area " + Arrays.toString(a);
                            assertEquals(expected.planes().length, actual.planes().length, what);
                            for (int c = 0; c < expected.planes().length; c++) {
                                assertArrayEquals(expected.planes()[c], actual.planes()[c], what + " component " + c);
                            }
                        }
                        assertTrue(part.nativeBytes() < whole.nativeBytes(), "a region's reader holds less");
                        int[] across = {bx - 10, r[1], 20, 20}; // straddles the vertical boundary, whichever quarter
                        assertThrows(IllegalArgumentException.class,
                                () -> part.decode(across[0], across[1], across[2], across[3], 0));
                        assertTrue(part.usable(), "a refused area leaves the reader usable");
                    }
                }
            }
        }
    }

    @Test
    void aDecoderForAQuarterOfTheImageDecodesItExactly() throws Exception {
        Jp2EncodeOptions single = Jp2EncodeOptions.archive().withTileSize(0).withLevels(5);
        regionsDecodeTheirAreasExactly(Fixtures.write(dir, "quarters.jp2", Fixtures.texturedGrid(2100, 1300), single));
        regionsDecodeTheirAreasExactly(Fixtures.write(dir, "quarters-lossless.j2k", Fixtures.texturedGrid(1900, 1100),
                single.withLossless(true).withJp2(false)));
    }

    /** Writes {@code img} as a PPM for opj_compress. */
    private static Path ppm(Path file, BufferedImage img) throws Exception {
        try (var out = new java.io.BufferedOutputStream(Files.newOutputStream(file))) {
            out.write(("P6\n" + img.getWidth() + " " + img.getHeight() + "\n255\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            for (int y = 0; y < img.getHeight(); y++) {
                for (int x = 0; x < img.getWidth(); x++) {
                    int rgb = img.getRGB(x, y);
                    out.write(rgb >> 16);
                    out.write(rgb >> 8);
                    out.write(rgb);
                }
            }
        }
        return file;
    }

    private static Path opjCompress(Path dir, Path ppm, String name, String... options) throws Exception {
        Path file = dir.resolve(name);
        List<String> command = new java.util.ArrayList<>(List.of("opj_compress", "-i", ppm.toString(), "-o",
                file.toString()));
        command.addAll(List.of(options));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("opj.log").toFile())
                .start();
        assertEquals(0, p.waitFor(), Files.readString(dir.resolve("opj.log")));
        return file;
    }

    /**
     * The copy for a reduced level is the image at that level: its own size and fewer decompositions, decoded at full
     * resolution to the pixels of the file at that level, in Kakadu's archive profile as opj_compress writes it (RPCL,
     * SOP, PLT, TLM, a tile-part per resolution; reversible, so no quantization steps) and irreversibly (a step per
     * sub-band), and in our encoder's own files.
     */
    @Test
    void theCopyForAReducedLevelIsThatLevelsImage() throws Exception {
        Path source = ppm(dir.resolve("level.ppm"), Fixtures.texturedGrid(1537, 1101));
        String[] kakadu = {"-r", "96,48,24,12,8", "-n", "6", "-c", "[256,256],[256,256],[128,128]", "-b", "64,64",
            "-p", "RPCL", "-SOP", "-PLT", "-TLM", "-TP", "R"};
        List<Path> files = List.of(opjCompress(dir, source, "kakadu.jp2", kakadu),
                opjCompress(dir, source, "kakadu-97.jp2", concat(kakadu, "-I")),
                Fixtures.write(dir, "ours.jp2", Fixtures.texturedGrid(1537, 1101),
                        Jp2EncodeOptions.archive().withTileSize(0).withLevels(5)));
        for (Path file : files) {
            try (Jp2Reader whole = Jp2Reader.open(file, 0)) {
                int w = whole.header().width();
                int h = whole.header().height();
                for (int reduce = 1; reduce < whole.header().resolutions(); reduce++) {
                    Path copy = dir.resolve("level-" + reduce + "-" + file.getFileName());
                    assertEquals(reduce, ResolutionCut.write(file, true, reduce, null, true, copy), file + " " + reduce);
                    try (Jp2Reader level = Jp2Reader.open(copy, 0)) {
                        assertEquals((w + (1 << reduce) - 1) >> reduce, level.header().width());
                        assertEquals((h + (1 << reduce) - 1) >> reduce, level.header().height());
                        assertEquals(whole.header().resolutions() - reduce, level.header().resolutions());
                        Raster expected = whole.decode(0, 0, w, h, reduce);
                        Raster actual = level.decode(0, 0, level.header().width(), level.header().height(), 0);
                        for (int c = 0; c < expected.planes().length; c++) {
                            assertArrayEquals(expected.planes()[c], actual.planes()[c],
                                    file.getFileName() + " reduce " + reduce + " component " + c);
                        }
                    }
                }
            }
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** RLCP orders a resolution's packets layer by layer; OpenJPEG's own encoder writes it, with SOP, EPH and PLT. */
    @Test
    void aResolutionLayerFirstFileIsCutByRegionToo() throws Exception {
        // opj_compress: libopenjp2-tools, which bin/install-deps test installs (as for Jp2WriterTest's opj_dump)
        Path file = opjCompress(dir, ppm(dir.resolve("rlcp.ppm"), Fixtures.texturedGrid(1700, 1200)), "rlcp.jp2",
                "-p", "RLCP", "-n", "6", "-r", "40,10,2", "-c", "[128,128],[128,128],[64,64]", "-SOP", "-EPH", "-PLT");
        Path cut = ResolutionCut.write(file, true, 0, new long[] {0, 0, 1024, 512});
        assertNotNull(cut, "an RLCP file with PLT can be cut");
        try {
            assertTrue(Files.size(cut) < Files.size(file) * 2 / 3, Files.size(cut) + " of " + Files.size(file) + " bytes");
        } finally {
            Files.delete(cut);
        }
        regionsDecodeTheirAreasExactly(file);
    }

    @Test
    void filesThatCannotBeCutAreReadWhole() throws Exception {
        Path tiled = Fixtures.write(dir, "tiled.jp2", Fixtures.texturedGrid(1100, 900),
                Jp2EncodeOptions.archive().withTileSize(256).withLevels(4));
        assertNull(ResolutionCut.write(tiled, true, 2), "several tiles");
        assertNull(ResolutionCut.write(tiled, true, 0, new long[] {0, 0, 512, 512}), "several tiles, by region");
        Path single = Fixtures.write(dir, "single.jp2", Fixtures.texturedGrid(1100, 900),
                Jp2EncodeOptions.archive().withTileSize(0).withLevels(4));
        assertNull(ResolutionCut.write(single, true, 0), "nothing to cut at full resolution");
        assertNull(ResolutionCut.write(single, true, 5), "no such level");
        // a file cut short: its PLT markers account for more bytes than it has
        byte[] bytes = Files.readAllBytes(single);
        Path truncated = dir.resolve("truncated.jp2");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length * 2 / 3));
        assertNull(ResolutionCut.write(truncated, true, 2));
        // a codestream whose PLT does not match its precincts (one packet length changed): not cut
        Path plt = dir.resolve("plt.jp2");
        byte[] changed = bytes.clone();
        int at = indexOf(changed, new byte[] {(byte) 0xFF, 0x58}) + 5; // past PLT's marker, length and Zplt
        changed[at] = (byte) ((changed[at] & 0x80) | ((changed[at] + 1) & 0x7F));
        Files.write(plt, changed);
        assertNull(ResolutionCut.write(plt, true, 2));
    }

    @Test
    void theCopyTakesNoSpaceOnceItsDataIsInTheDecoder() throws Exception {
        Path proc = Path.of("/proc/self/fd");
        assumeTrue(Files.isDirectory(proc), "needs Linux's /proc to see open files");
        Path file = Fixtures.write(dir, "space.jp2", Fixtures.texturedGrid(1600, 1200),
                Jp2EncodeOptions.archive().withTileSize(0).withLevels(5));
        try (Jp2Reader reader = Jp2Reader.open(file, 0, 1); Jp2Reader whole = Jp2Reader.open(file, 0)) {
            assertTrue(openCopies(proc) > 0, "the stream reads a copy");
            assertTrue(copyTargets(proc).stream().allMatch(t -> t.startsWith("/memfd:")),
                    "in memory, not on disk: " + copyTargets(proc));
            assertTrue(openCopyBytes(proc) > 0, "which holds the data until the first decode");
            reader.decode(0, 0, 256, 256, 1);
            assertEquals(0, openCopyBytes(proc), "emptied once the decoder has the data");
            Raster after = reader.decode(700, 500, 300, 300, 1);
            Raster expected = whole.decode(700, 500, 300, 300, 1);
            for (int c = 0; c < expected.planes().length; c++) {
                assertArrayEquals(expected.planes()[c], after.planes()[c], "a later decode, component " + c);
            }
        }
        assertEquals(0, openCopies(proc), "closed with the reader");
    }

    private static List<String> copyTargets(Path proc) throws Exception {
        try (var fds = Files.list(proc)) {
            return fds.map(ResolutionCutTest::target).filter(t -> t.contains("vellum-cut-")).toList();
        }
    }

    /** Cut copies open in this process. */
    private static long openCopies(Path proc) throws Exception {
        try (var fds = Files.list(proc)) {
            return fds.filter(fd -> target(fd).contains("vellum-cut-")).count();
        }
    }

    private static long openCopyBytes(Path proc) throws Exception {
        try (var fds = Files.list(proc)) {
            return fds.filter(fd -> target(fd).contains("vellum-cut-")).mapToLong(fd -> {
                try {
                    return Files.size(fd);
                } catch (java.io.IOException e) {
                    return 0;
                }
            }).sum();
        }
    }

    private static String target(Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString();
        } catch (Exception e) {
            return "";
        }
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) continue outer;
            }
            return i;
        }
        throw new IllegalArgumentException("pattern not found");
    }
}
