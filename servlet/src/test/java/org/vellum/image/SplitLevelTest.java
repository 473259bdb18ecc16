package org.vellum.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vellum.codec.openjpeg.Jp2EncodeOptions;
import org.vellum.config.Settings;
import org.vellum.testing.Fixtures;
import org.vellum.testing.Http;

/**
 * A single-tile level of more than 4 MP is decoded by one decoder per quarter, each reading only the packets near its
 * quarter, once the level is in demand and four of them fit in a quarter of MEMORY_BUDGET. The answers are byte for byte those of a server
 * whose budget is too small to split (one decoder for the level), including an area across the quarters' boundary.
 */
class SplitLevelTest {
    /** 2600x1700 (4.4 MP): IIP resolution 4 is the full size, 11x7 tiles of 256; split at x 2048 and y 1024. */
    private static final int FULL = 4;
    private static final int TILES = 11 * 7;

    @TempDir
    static Path images;

    @BeforeAll
    static void fixtures() {
        Fixtures.write(images, "single.jp2", Fixtures.texturedGrid(2600, 1700), new Jp2EncodeOptions(5, 3, 0, false, true));
    }

    /** No output or level cache: every answer is decoded. 40 MB is below four quarter decoders times four. */
    private static Http server(String nativeMb) {
        Map<String, String> m = new HashMap<>(Map.of("FILESYSTEM_PREFIX", images.toString(), "MAX_IMAGE_CACHE_SIZE", "0",
                "LEVEL_CACHE_SIZE", "0", "MEMORY_BUDGET", nativeMb));
        return new Http(Settings.fromEnvironment(m));
    }

    private static long created(Http http) {
        return http.server().vellum().engine().pool().stats().created();
    }


    @Test
    void quarterDecodersAnswerEveryTileAndAnAreaAcrossThemAsOneDecoderDoes() throws Exception {
        try (Http split = server("512"); Http whole = server("40")) {
            split.ok("/iip?FIF=single.jp2&OBJ=Max-size");
            whole.ok("/iip?FIF=single.jp2&OBJ=Max-size");
            long splitBefore = created(split);
            long wholeBefore = created(whole);
            for (int n = 0; n < TILES; n++) {
                String tile = "/iip?FIF=single.jp2&JTL=" + FULL + "," + n;
                assertArrayEquals(whole.ok(tile), split.ok(tile), tile);
            }
            assertEquals(wholeBefore + 2, created(whole), "the first tile's own decoder, then one kept for the level");
            assertEquals(splitBefore + 2 + 4, created(split), "then, once the level is in demand, one per quarter");

            // x 1820..2340 at full size: across the boundary at 2048, so the kept decoder of the whole level
            String across = "/iip?FIF=single.jp2&WID=520&RGN=0.7,0.5,0.2,0.2&CVT=jpeg";
            assertArrayEquals(whole.ok(across), split.ok(across), across);
            assertEquals(splitBefore + 6, created(split), "an area across quarters goes to the decoder of the level");
            String iiif = "/iiif/3/single.jp2/1900,900,400,300/max/0/default.jpg";
            assertArrayEquals(whole.ok(iiif), split.ok(iiif), iiif);
        }
    }
}
