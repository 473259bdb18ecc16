package org.vellum.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vellum.codec.openjpeg.Jp2EncodeOptions;
import org.vellum.config.Settings;
import org.vellum.testing.Fixtures;
import org.vellum.testing.Http;

/**
 * Investments follow demand: a request for an image and level nobody asked for lately costs one decode with a
 * decoder of its own and leaves nothing behind; an image being viewed gets decoders kept open, whole levels and split
 * levels; and however many images are viewed, what they hold together stays within MEMORY_BUDGET. Real files, real
 * decodes, a real server; the output cache is off so every answer is decoded.
 */
class DecodePlannerTest {
    /** 2600x1700, 5 levels: IIP resolution 4 is the full size, 4.4 MP, which a single-tile file splits in quarters. */
    private static final int FULL = 4;

    @TempDir
    static Path images;

    @BeforeAll
    static void fixtures() throws Exception {
        Fixtures.write(images, "single.jp2", Fixtures.texturedGrid(2600, 1700), new Jp2EncodeOptions(5, 3, 0, false, true));
        Fixtures.write(images, "tiled.jp2", Fixtures.texturedGrid(2600, 1700), new Jp2EncodeOptions(5, 3, 256, false, true));
        Path many = Files.createDirectories(images.resolve("many"));
        for (int i = 0; i < 12; i++) Files.copy(images.resolve("single.jp2"), many.resolve("m" + i + ".jp2"));
    }

    private static Http server(String... env) {
        Map<String, String> m = new HashMap<>(Map.of("FILESYSTEM_PREFIX", images.toString(), "MAX_IMAGE_CACHE_SIZE", "0"));
        for (int i = 0; i + 1 < env.length; i += 2) m.put(env[i], env[i + 1]);
        return new Http(Settings.fromEnvironment(m));
    }

    /** Tiles of IIP resolution r: 163x107, 325x213, 650x425, 1300x850, 2600x1700 in tiles of 256. */
    private static final int[] TILES = {1, 2, 6, 24, 77};

    private static String tile(String file, int r, int t) {
        return "/iip?FIF=" + file + "&JTL=" + r + "," + t % TILES[r];
    }

    private static EngineStats stats(Http http) {
        return http.server().vellum().engine().stats();
    }

    @Test
    void aColdRequestIsOneWindowDecodeAndKeepsNothing() throws Exception {
        try (Http http = server()) {
            // a single-tile file's levels are decoded apart; a tiled file's decoder serves all its levels
            for (int r = 1; r <= FULL; r++) http.ok("/iip?FIF=single.jp2&JTL=" + r + ",1");
            http.ok("/iip?FIF=tiled.jp2&JTL=" + FULL + ",1");
            EngineStats s = stats(http);
            assertEquals(5, s.plans().windows(), "each image and level asked once: a window each");
            assertEquals(0, s.plans().kept() + s.plans().wholeLevels() + s.plans().split());
            assertEquals(0, s.pool().idle(), "no decoder left open");
            assertEquals(0, s.levels().kept());
            assertEquals(0, s.budget().used(), "nothing held");
        }
    }

    @Test
    void anImageBeingViewedGetsKeptDecodersWholeLevelsAndSplitLevels() throws Exception {
        // 32 MB of level cache: the 4.4 MP full level (13 MB) takes more than a third of it, so it is split instead
        try (Http http = server("LEVEL_CACHE_SIZE", "32")) {
            for (int r = 0; r <= FULL; r++) {
                for (int t = 0; t < 12; t++) http.ok(tile("single.jp2", r, t));
            }
            assertTrue(http.server().vellum().engine().awaitInvestments(30, TimeUnit.SECONDS));
            EngineStats s = stats(http);
            assertTrue(s.plans().kept() > 0, "decoders kept: " + s.plans());
            assertTrue(s.plans().wholeLevels() >= 3, "the small levels decoded whole: " + s.plans());
            assertTrue(s.plans().split() > 0, "the 4.4 MP full level split: " + s.plans());
            assertTrue(s.pool().idle() > 0, "decoders open for the next request");
            assertTrue(s.levels().kept() >= 3);
            assertTrue(s.budget().used() > 0 && s.budget().used() <= s.budget().limit());
        }
    }

    @Test
    void aLargeSingleTileLevelIsDecodedWholeWhenAThirdOfTheLevelCacheHoldsIt() throws Exception {
        // 48 MB of level cache: the 4.4 MP full level (13 MB) fits a third of it, so once a quarter of its 77 tiles
        // were asked for, it is decoded whole and the rest are cut from it; no quarter decoders
        try (Http http = server("LEVEL_CACHE_SIZE", "48");
             Http cold = server("LEVEL_CACHE_SIZE", "0", "MEMORY_BUDGET", "0")) {
            int before = DecodePlanner.wholeLevelAt(2600L * 1700, 256 * 256);
            for (int t = 0; t < before; t++) http.ok(tile("single.jp2", FULL, t));
            assertTrue(http.server().vellum().engine().awaitInvestments(30, TimeUnit.SECONDS));
            EngineStats s = stats(http);
            assertEquals(1, s.levels().kept(), "the full level kept: " + s.levels());
            assertEquals(2600L * 1700 * 3, s.levels().bytes());
            assertEquals(0, s.plans().split(), "no quarter decoders: " + s.plans());
            long decodes = http.server().vellum().engine().pool().stats().borrowed();
            for (int t = 0; t < TILES[FULL]; t++) {
                String tile = tile("single.jp2", FULL, t);
                assertArrayEquals(cold.ok(tile), http.ok(tile), tile);
            }
            assertEquals(decodes, http.server().vellum().engine().pool().stats().borrowed(),
                    "every tile cut from the kept level");
        }
    }

    @Test
    void investmentsGiveTheSamePixelsAsColdDecodes() throws Exception {
        try (Http hot = server(); Http cold = server("LEVEL_CACHE_SIZE", "0", "MEMORY_BUDGET", "0")) {
            for (int round = 0; round < 3; round++) {
                for (int r = 0; r <= FULL; r++) {
                    for (int t = 0; t < 6; t++) {
                        String tile = tile("single.jp2", r, t);
                        assertArrayEquals(cold.ok(tile), hot.ok(tile), tile + " in round " + round);
                    }
                }
            }
            assertTrue(stats(hot).plans().wholeLevels() > 0 && stats(hot).pool().idle() > 0);
            assertEquals(0, stats(cold).pool().idle());
        }
    }

    @Test
    void manyImagesBeingViewedNeverHoldMoreThanTheBudget() throws Exception {
        // 8 MB: a kept full-resolution decoder of one image is about 2 MB, whole small levels a few hundred KB
        try (Http http = server("MEMORY_BUDGET", "8", "LEVEL_CACHE_SIZE", "8", "MAX_IMAGE_CACHE_SIZE", "1")) {
            Random random = new Random(5);
            long limit = stats(http).budget().limit();
            for (int n = 0; n < 600; n++) {
                int image = random.nextInt(12);
                int r = random.nextInt(FULL + 1);
                http.ok(tile("many/m" + image + ".jp2", r, random.nextInt(TILES[r])));
                assertTrue(http.server().vellum().engine().awaitInvestments(30, TimeUnit.SECONDS));
                long used = stats(http).budget().used();
                assertTrue(used <= limit, "request " + n + ": " + used + " bytes held, budget " + limit);
            }
            EngineStats s = stats(http);
            assertTrue(s.budget().dropped() > 0, "investments were given up to stay within: " + s.budget());
            assertTrue(s.plans().kept() + s.plans().wholeLevels() > 0, "and made: " + s.plans());
        }
    }

    @Test
    void imagesAskedForAlikeDoNotPushEachOthersDecodersOut() throws Exception {
        // round after round over 12 images at full resolution: every image is asked for again, none more than the
        // others; 8 MB holds a few of their decoders. Once full, a new decoder would push out one worth as much.
        try (Http http = server("MEMORY_BUDGET", "8", "LEVEL_CACHE_SIZE", "0")) {
            for (int round = 0; round < 4; round++) {
                for (int image = 0; image < 12; image++) {
                    http.ok(tile("many/m" + image + ".jp2", FULL, round * 13 + image));
                }
            }
            EngineStats s = stats(http);
            assertTrue(s.plans().kept() + s.plans().split() > 0, "decoders kept while they fitted: " + s.plans());
            assertTrue(s.plans().refused() > 0, "then decoded as windows instead: " + s.plans());
            assertTrue(s.budget().dropped() < s.plans().refused(),
                    "fewer decoders given up than not kept: " + s.budget() + ", " + s.plans());
            assertTrue(s.budget().used() <= s.budget().limit());
        }
    }
}
