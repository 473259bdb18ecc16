package org.vellum.codec.openjpeg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The layout {@link Jp2Writer} produces, checked through our reader, the codestream bytes and opj_dump. */
class Jp2WriterTest {
    private static final int W = 640;
    private static final int H = 480;

    @TempDir
    static Path dir;
    static Path archive;

    @BeforeAll
    static void writeFixtures() throws Exception {
        archive = Fixtures.write(dir, "archive.jp2", W, H, 3, 8, Jp2EncodeOptions.archive().withTileSize(256), Fixtures::smooth);
    }

    @Test
    void libraryIsAtLeast25() {
        assertTrue(OpenJpeg.atLeast(OpenJpeg.version(), 2, 5), OpenJpeg.version());
        assertFalse(OpenJpeg.atLeast("2.4.0", 2, 5));
    }

    @Test
    void archiveProfileHasNineResolutionsEightLayersAndRpcl() throws Exception {
        Jp2EncodeOptions a = Jp2EncodeOptions.archive();
        assertEquals(new Jp2EncodeOptions(8, 8, 1024, false, true), a);
        try (Jp2Reader r = Jp2Reader.open(archive, 0)) {
            assertEquals(9, r.header().resolutions());
            assertEquals(8, r.header().qualityLayers());
            assertEquals(3, r.header().tilesX());
            assertEquals(2, r.header().tilesY());
        }
        String dump = opjDump(archive);
        assertTrue(dump.contains("numresolutions=9"), dump);
        assertTrue(dump.contains("numlayers=8"), dump);
        assertTrue(dump.contains("prg=0x2"), "RPCL");
        assertTrue(dump.contains("csty=0x3"), "SOP + custom precincts");
        assertTrue(dump.contains("qmfbid=0"), "irreversible 9/7");
        assertTrue(dump.contains("mct=1"), "colour transform");
        assertTrue(dump.contains("cblkw=2^6") && dump.contains("cblkh=2^6"), "64x64 code blocks");
        // log2 precinct sizes, lowest resolution first: 128 below, 256 at the two highest resolutions.
        assertTrue(dump.contains("preccintsize (w,h)=(7,7) (7,7) (7,7) (7,7) (7,7) (7,7) (7,7) (8,8) (8,8)"), dump);
    }

    @Test
    void everyTileHasOneTilePartPerResolutionWithPltAndTheMainHeaderHasTlm() throws Exception {
        Codestream cs = Codestream.parse(Files.readAllBytes(archive));
        assertTrue(cs.mainMarkers.contains(0xFF55), "TLM");
        assertEquals(6 * 9, cs.tilePartMarkers.size());
        for (List<Integer> markers : cs.tilePartMarkers) {
            assertTrue(markers.contains(0xFF58), "PLT in every tile-part header");
        }
        byte[] bytes = Files.readAllBytes(archive);
        int sop = 0;
        for (int i = 0; i + 1 < bytes.length; i++) {
            if ((bytes[i] & 0xFF) == 0xFF && (bytes[i + 1] & 0xFF) == 0x91) {
                sop++;
            }
        }
        assertTrue(sop >= 6 * 9 * 8, "SOP markers before packets: " + sop);
    }

    @Test
    void tlmIsDroppedWhenThereAreMoreTilePartsThanItCanIndex() throws Exception {
        // 44 x 42 tiles of 32 px with 6 resolutions = 11088 tile-parts > 10921.
        Path f = Fixtures.write(dir, "many-tiles.jp2", 1408, 1344, 1, 8, new Jp2EncodeOptions(5, 1, 32, true, true), Fixtures::texture);
        Codestream cs = Codestream.parse(Files.readAllBytes(f));
        assertFalse(cs.mainMarkers.contains(0xFF55));
        assertEquals(44 * 42 * 6, cs.tilePartMarkers.size());
        try (Jp2Reader r = Jp2Reader.open(f, 0)) {
            assertArrayEquals(Fixtures.expected(Fixtures::texture, 1, 8, 1000, 1000, 70, 50), r.decode(1000, 1000, 70, 50, 0).planes());
        }
    }

    @Test
    void smallImagesGetFewerLevelsSoTheSmallestLevelKeepsAPixel() throws Exception {
        Path f = Fixtures.write(dir, "small.jp2", 100, 100, 3, 8, Jp2EncodeOptions.archive(), Fixtures::smooth);
        try (Jp2Reader r = Jp2Reader.open(f, 0)) {
            assertEquals(7, r.header().resolutions());
            Raster smallest = r.decode(0, 0, 100, 100, 6);
            assertEquals(2, smallest.width());
        }
        assertEquals(8, Jp2Writer.effectiveLevels(8, 1024, 1024, new int[] {1}, new int[] {1}));
        assertEquals(6, Jp2Writer.effectiveLevels(8, 100, 1024, new int[] {1}, new int[] {1}));
        assertEquals(5, Jp2Writer.effectiveLevels(8, 100, 100, new int[] {1, 2}, new int[] {1, 2}));
    }

    @Test
    void lossyArchiveDecodeIsCloseToTheSource() throws Exception {
        try (Jp2Reader r = Jp2Reader.open(archive, 0)) {
            Raster ras = r.decode(0, 0, W, H, 0);
            double mae = Fixtures.meanAbsError(Fixtures.expected(Fixtures::smooth, 3, 8, 0, 0, W, H), ras.planes());
            assertTrue(mae < 1.0, "mean abs error " + mae);
        }
    }

    @Test
    void firstQualityLayerAloneDecodesBlurrierThanAllLayers() throws Exception {
        int[][] source = Fixtures.expected(Fixtures::smooth, 3, 8, 0, 0, W, H);
        double all;
        double first;
        try (Jp2Reader r = Jp2Reader.open(archive, 0)) {
            all = Fixtures.meanAbsError(source, r.decode(0, 0, W, H, 0).planes());
        }
        try (Jp2Reader r = Jp2Reader.open(archive, 1)) {
            first = Fixtures.meanAbsError(source, r.decode(0, 0, W, H, 0).planes());
        }
        assertTrue(first > 3 * all && first > 1.0, "first layer " + first + " vs all layers " + all);
    }

    @Test
    void losslessFilesUseTheReversibleTransform() throws Exception {
        Path f = Fixtures.write(dir, "lossless.jp2", 200, 100, 3, 8, Fixtures.lossless(3, 0), Fixtures::texture);
        assertTrue(opjDump(f).contains("qmfbid=1"));
    }

    @Test
    void aLargeSingleTileIsReadInBandsAndComesBackExact() throws Exception {
        // 1100x1000 > BAND_PIXELS: the source is asked for bands of rows, never for the whole tile.
        int w = 1100;
        int h = 1000;
        assertTrue((long) w * h > Jp2Writer.BAND_PIXELS);
        int[] tallest = {0};
        PixelSource texture = Fixtures.source(Fixtures::texture, 8);
        PixelSource counting = (x, y, rw, rh, planes) -> {
            tallest[0] = Math.max(tallest[0], rh);
            texture.read(x, y, rw, rh, planes);
        };
        Path f = dir.resolve("banded.jp2");
        Jp2Writer.write(f, w, h, 3, 8, false, Fixtures.lossless(5, 0), counting);
        assertTrue(tallest[0] < h, "the tallest band read was " + tallest[0] + " rows");
        try (Jp2Reader r = Jp2Reader.open(f, 0)) {
            assertEquals(1, r.header().tilesX() * r.header().tilesY());
            assertArrayEquals(Fixtures.expected(Fixtures::texture, 3, 8, 0, 0, w, h), r.decode(0, 0, w, h, 0).planes());
        }
    }

    @Test
    void invalidArgumentsAreRejectedBeforeAnyNativeCall() {
        Path f = dir.resolve("bad.jp2");
        PixelSource none = (x, y, w, h, p) -> { };
        assertThrows(IllegalArgumentException.class, () -> Jp2Writer.write(f, 0, 10, 1, 8, false, Jp2EncodeOptions.archive(), none));
        assertThrows(IllegalArgumentException.class, () -> Jp2Writer.write(f, 10, 10, 17, 8, false, Jp2EncodeOptions.archive(), none));
        assertThrows(IllegalArgumentException.class, () -> Jp2Writer.write(f, 10, 10, 1, 17, false, Jp2EncodeOptions.archive(), none));
        assertThrows(IllegalArgumentException.class, () -> new Jp2EncodeOptions(8, 0, 0, true, true));
        assertFalse(Files.exists(f));
    }

    static String opjDump(Path f) throws Exception {
        Process p = new ProcessBuilder("opj_dump", "-i", f.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
