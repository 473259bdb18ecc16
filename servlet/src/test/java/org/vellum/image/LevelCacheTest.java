package org.vellum.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vellum.codec.openjpeg.Jp2EncodeOptions;
import org.vellum.config.Settings;
import org.vellum.testing.Fixtures;
import org.vellum.testing.Http;

/**
 * LEVEL_CACHE_SIZE: a resolution level of at most a megapixel (4 of a single-tile file) that is being viewed is decoded
 * whole once and its tiles are cut from it, with exactly the pixels a decode of each tile's own area gives. A level is
 * decoded whole once a quarter of its tiles were asked for ({@link DecodePlanner#wholeLevelAt}), never for one request.
 * The output cache is off throughout, so every answer here is rendered and encoded anew.
 */
class LevelCacheTest {
    /** 2000x1500: IIP resolution 3 is the full size (3 MP), 2 is 1000x750 (12 tiles of 256), down to 0 at 250x188. */
    private static final int FULL = 3;
    private static final int HALF = 2;

    @TempDir
    static Path images;

    @BeforeAll
    static void fixtures() {
        Fixtures.write(images, "tiled.jp2", Fixtures.texturedGrid(2000, 1500), new Jp2EncodeOptions(5, 3, 256, false, true));
        Fixtures.write(images, "single.jp2", Fixtures.texturedGrid(2000, 1500), new Jp2EncodeOptions(5, 3, 0, false, true));
    }

    private static Http server(String... env) {
        Map<String, String> m = new HashMap<>(Map.of("FILESYSTEM_PREFIX", images.toString(), "MAX_IMAGE_CACHE_SIZE", "0",
                "LEVEL_CACHE_SIZE", "16"));
        for (int i = 0; i + 1 < env.length; i += 2) m.put(env[i], env[i + 1]);
        return new Http(Settings.fromEnvironment(m));
    }

    private static long decodes(Http http) {
        return http.server().vellum().engine().pool().stats().borrowed();
    }


    private static List<String> tilesOf(String file, int resolution, int count) {
        List<String> paths = new ArrayList<>();
        for (int n = 0; n < count; n++) paths.add("/iip?FIF=" + file + "&JTL=" + resolution + "," + n);
        return paths;
    }

    /** Tiles of a level decoded one by one before its demand makes it worth decoding whole. */
    private static int tilesBeforeWhole(long levelPixels) {
        return DecodePlanner.wholeLevelAt(levelPixels, 256 * 256) - 1;
    }

    @Test
    void aLevelBeingViewedIsDecodedWholeOnceAQuarterOfItsTilesWereAskedFor() throws Exception {
        int alone = tilesBeforeWhole(1000 * 750);
        assertEquals(2, alone, "a 1000x750 level (12 tiles) is decoded whole at its third tile");
        for (String file : List.of("tiled.jp2", "single.jp2")) {
            try (Http http = server()) {
                assertEquals("Resolution-number:" + (FULL + 1),
                        new String(http.ok("/iip?FIF=" + file + "&OBJ=Resolution-number")).trim());
                // the header read is not part of the count
                long before = decodes(http);
                List<String> tiles = tilesOf(file, HALF, 12);
                for (String tile : tiles.subList(0, alone + 1)) http.ok(tile);
                assertTrue(http.server().vellum().engine().awaitInvestments(30, TimeUnit.SECONDS));
                assertEquals(before + alone + 2, decodes(http),
                        file + ": three tiles decoded alone, the third starting one decode of the level beside it");
                for (String tile : tiles.subList(alone + 1, 12)) http.ok(tile);
                assertEquals(before + alone + 2, decodes(http), file + ": the other nine cut from the level");
                EngineStats.Levels stats = http.server().vellum().engine().stats().levels();
                assertEquals(1, stats.kept(), "one level kept");
                assertEquals(1000L * 750 * 3, stats.bytes(), "its bytes: one per band and pixel");
            }
        }
    }

    @Test
    void tilesCutFromAKeptLevelAreThoseOfADecodeOfTheirOwnArea() throws Exception {
        try (Http kept = server(); Http direct = server("LEVEL_CACHE_SIZE", "0")) {
            for (String file : List.of("tiled.jp2", "single.jp2")) {
                for (int r = 0; r <= HALF; r++) {
                    for (String tile : tilesOf(file, r, r == HALF ? 12 : 1)) {
                        assertArrayEquals(direct.ok(tile), kept.ok(tile), tile);
                    }
                }
                String export = "/iip?FIF=" + file + "&WID=700&RGN=0.1,0.2,0.5,0.5&CVT=jpeg";
                assertArrayEquals(direct.ok(export), kept.ok(export), export);
            }
        }
    }

    @Test
    void levelsAboveAMegapixelOfATiledFileAreDecodedTileByTile() throws Exception {
        try (Http http = server()) {
            http.ok("/iip?FIF=tiled.jp2&OBJ=Max-size");
            long before = decodes(http);
            for (String tile : tilesOf("tiled.jp2", FULL, 5)) http.ok(tile);
            assertEquals(before + 5, decodes(http), "the 3 MP full level is not kept");
            assertEquals(0, http.server().vellum().engine().stats().levels().kept());
        }
    }

    @Test
    void levelCacheSizeZeroDecodesEveryTile() throws Exception {
        try (Http http = server("LEVEL_CACHE_SIZE", "0")) {
            http.ok("/iip?FIF=tiled.jp2&OBJ=Max-size");
            long before = decodes(http);
            for (String tile : tilesOf("tiled.jp2", HALF, 12)) http.ok(tile);
            assertEquals(before + 12, decodes(http));
        }
    }

    @Test
    void aRewrittenFileIsNeverCutFromItsOldLevel() throws Exception {
        Path file = images.resolve("changing.jp2");
        Files.copy(images.resolve("tiled.jp2"), file);
        String tile = "/iip?FIF=changing.jp2&JTL=" + HALF + ",5";
        try (Http http = server(); Http direct = server("LEVEL_CACHE_SIZE", "0")) {
            byte[] before = http.ok(tile);
            FileTime old = Files.getLastModifiedTime(file);
            Fixtures.write(images, "changing.jp2", Fixtures.colourGrid(2000, 1500), new Jp2EncodeOptions(5, 3, 256, false, true));
            Files.setLastModifiedTime(file, FileTime.fromMillis(old.toMillis() + 10_000));
            byte[] after = http.ok(tile);
            assertFalse(Arrays.equals(before, after), "the old level was used for the new file");
            assertArrayEquals(direct.ok(tile), after);
        }
    }

    @Test
    void theCacheKeepsAtMostItsSize() throws Exception {
        // 8 MB: a 1000x750 level (2.25 MB) would be more than a quarter of it and is not kept; the smaller ones are
        try (Http http = server("LEVEL_CACHE_SIZE", "8")) {
            long capacity = http.server().vellum().engine().settings().levelCacheBytes();
            for (String file : List.of("tiled.jp2", "single.jp2")) {
                for (int r = 0; r <= HALF; r++) {
                    http.ok("/iip?FIF=" + file + "&JTL=" + r + ",0");
                    EngineStats.Levels stats = http.server().vellum().engine().stats().levels();
                    assertTrue(stats.bytes() <= capacity, stats.bytes() + " bytes kept of " + capacity);
                }
            }
            assertTrue(http.server().vellum().engine().stats().levels().kept() >= 2, "small levels are kept");
        }
    }

    @Test
    void aSingleRequestNeverDecodesALevelWholeNorKeepsADecoder() throws Exception {
        try (Http http = server()) {
            for (int r = 0; r <= FULL; r++) http.ok("/iip?FIF=single.jp2&JTL=" + r + ",0");
            http.ok("/iip?FIF=tiled.jp2&JTL=" + HALF + ",5");
            // the smallest level (250x188) is one tile: its decode is the level's
            EngineStats.Levels stats = http.server().vellum().engine().stats().levels();
            assertEquals(1, stats.decoded(), "only a level a request covers whole: " + stats);
            assertEquals(0, http.server().vellum().engine().pool().stats().idle(), "no decoder is kept open");
        }
    }

    @Test
    void aSingleTileLevelThatFitsAThirdOfTheCacheIsDecodedWholeInBands() throws Exception {
        // the full 2000x1500 level (3 MP, 9 MB) fits a third of 40 MB; bands of a megapixel are 524 rows: 3 decodes
        try (Http http = server("LEVEL_CACHE_SIZE", "40", "MAX_DECODE_PIXELS", "4194304");
             Http direct = server("LEVEL_CACHE_SIZE", "0")) {
            http.ok("/iip?FIF=single.jp2&OBJ=Max-size");
            long before = decodes(http);
            long closedBefore = http.server().vellum().engine().pool().stats().destroyed();
            List<String> tiles = tilesOf("single.jp2", FULL, 48);
            List<byte[]> cut = new ArrayList<>();
            int alone = tilesBeforeWhole(2000 * 1500);
            for (String tile : tiles.subList(0, alone + 1)) cut.add(http.ok(tile));
            assertTrue(http.server().vellum().engine().awaitInvestments(30, TimeUnit.SECONDS));
            for (String tile : tiles.subList(alone + 1, tiles.size())) cut.add(http.ok(tile));
            assertEquals(before + alone + 1 + 3, decodes(http),
                    "48 tiles of the 2000x1500 level: " + (alone + 1) + " decoded alone, the level in three bands");
            EngineStats.Levels stats = http.server().vellum().engine().stats().levels();
            assertEquals(1, stats.kept());
            assertEquals(2000L * 1500 * 3, stats.bytes());
            assertTrue(http.server().vellum().engine().pool().stats().destroyed() >= closedBefore + 2,
                    "the first tile's own decoder, and the level's once the level is kept, are closed");
            // tiles 16-23 (rows 512-767) cross the first band's end at row 524
            for (int n = 0; n < tiles.size(); n++) assertArrayEquals(direct.ok(tiles.get(n)), cut.get(n), tiles.get(n));
            // the same level of the tiled file is decoded tile by tile
            http.ok("/iip?FIF=tiled.jp2&OBJ=Max-size");
            long tiledBefore = decodes(http);
            for (String tile : tilesOf("tiled.jp2", FULL, 3)) http.ok(tile);
            assertEquals(tiledBefore + 3, decodes(http));
        }
    }

    @Test
    void aLevelKeepsEveryBandOfItsPixelsExactly() {
        java.util.Random random = new java.util.Random(5);
        for (int bands = 1; bands <= 4; bands++) {
            int[] argb = new int[37 * 23];
            for (int i = 0; i < argb.length; i++) {
                int v = random.nextInt();
                int alpha = bands == 2 || bands == 4 ? v >>> 24 : 0xFF;
                argb[i] = bands <= 2 ? alpha << 24 | (v & 0xFF) * 0x010101 : alpha << 24 | v & 0xFFFFFF;
            }
            Pixels whole = new Pixels(37, 23, argb, bands);
            LevelCache.Level level = new LevelCache.Level(37, 23, bands);
            level.put(whole.crop(0, 10, 37, 13), 10); // put in two bands, the lower one first
            level.put(whole.crop(0, 0, 37, 10), 0);
            assertEquals(37L * 23 * bands, level.bytes());
            Pixels cut = level.crop(5, 7, 20, 9);
            assertArrayEquals(whole.crop(5, 7, 20, 9).argb(), cut.argb(), bands + " bands");
            assertEquals(bands, cut.bands());
        }
    }
}
