package org.vellum.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vellum.codec.openjpeg.Jp2EncodeOptions;
import org.vellum.config.Settings;
import org.vellum.image.ImageEngine;
import org.vellum.testing.Fixtures;
import org.vellum.testing.Http;

/**
 * MAX_IMAGE_CACHE_SIZE through real servers: every protocol's images come from the engine's one cache, a hit is the
 * same bytes without a decode, a rewritten file is never served from it, and 0 turns it off.
 */
class ImageCacheTest {
    @TempDir
    static Path images;

    @BeforeAll
    static void fixtures() {
        Fixtures.write(images, "grid.jp2", Fixtures.texturedGrid(1100, 800), new Jp2EncodeOptions(5, 4, 256, false, true));
    }

    private static Http server(String... env) {
        // whole levels kept in LEVEL_CACHE_SIZE would answer without a decode too: off, to count the output cache alone
        Map<String, String> m = new java.util.HashMap<>(Map.of("FILESYSTEM_PREFIX", images.toString(),
                "LEVEL_CACHE_SIZE", "0"));
        for (int i = 0; i + 1 < env.length; i += 2) m.put(env[i], env[i + 1]);
        return new Http(Settings.fromEnvironment(m));
    }

    private static ImageEngine engine(Http http) {
        return http.server().vellum().engine();
    }

    private static long decodes(Http http) {
        return engine(http).pool().stats().borrowed();
    }


    @Test
    void aCachedImageIsTheSameBytesAndIsNotDecodedAgain() throws Exception {
        try (Http http = server()) {
            for (String path : List.of("/iip?FIF=grid.jp2&JTL=3,3", "/iip?FIF=grid.jp2&WID=300&CVT=jpeg",
                    "/iiif/3/grid.jp2/0,0,512,512/256,/0/default.png", "/deepzoom/grid.jp2_files/10/1_1.jpg",
                    "/zoomify/grid.jp2/TileGroup0/2-1-1.jpg")) {
                byte[] first = http.ok(path);
                long decoded = decodes(http);
                long hits = engine(http).cache().stats().localHits();
                byte[] second = http.ok(path);
                assertArrayEquals(first, second, path);
                assertEquals(decoded, decodes(http), path + " was decoded again");
                assertEquals(hits + 1, engine(http).cache().stats().localHits(), path);
            }
        }
    }

    @Test
    void aRewrittenFileIsNeverServedFromTheCache() throws Exception {
        Path file = images.resolve("changing.jp2");
        Files.copy(images.resolve("grid.jp2"), file);
        String tile = "/iip?FIF=changing.jp2&JTL=3,7";
        try (Http http = server(); Http uncached = server("MAX_IMAGE_CACHE_SIZE", "0")) {
            byte[] before = http.ok(tile);
            assertArrayEquals(before, http.ok(tile));               // now in the cache
            FileTime old = Files.getLastModifiedTime(file);
            Fixtures.write(images, "changing.jp2", Fixtures.colourGrid(1100, 800),
                    new Jp2EncodeOptions(5, 4, 256, false, true));
            Files.setLastModifiedTime(file, FileTime.fromMillis(old.toMillis() + 10_000));
            byte[] after = http.ok(tile);
            assertFalse(Arrays.equals(before, after), "the old tile was served for the new file");
            assertArrayEquals(uncached.ok(tile), after, "the new file's tile, as a server without a cache makes it");
        }
    }

    @Test
    void theCacheStaysWithinMaxImageCacheSize() throws Exception {
        // 0.05 MB = 51200 bytes: a few of the 20 full-resolution tiles (JTL=3,0..19) (each a few KB) fit, not all
        try (Http http = server("MAX_IMAGE_CACHE_SIZE", "0.05")) {
            long capacity = engine(http).cache().capacity();
            assertEquals(51_200, capacity);
            long total = 0;
            for (int t = 0; t < 20; t++) {
                total += http.ok("/iip?FIF=grid.jp2&JTL=3," + t).length;
                assertTrue(engine(http).cache().stats().bytes() <= capacity, engine(http).cache().stats().toString());
            }
            assertTrue(total > capacity, "the tiles together exceed the bound (" + total + " bytes)");
            OutputCache.Stats stats = engine(http).cache().stats();
            assertTrue(stats.entries() < 20 && stats.entries() > 0, stats.toString());
            long decoded = decodes(http);
            http.ok("/iip?FIF=grid.jp2&JTL=3,19");
            assertEquals(decoded, decodes(http), "the most recent tile is still there");
            http.ok("/iip?FIF=grid.jp2&JTL=3,0");
            assertEquals(decoded + 1, decodes(http), "the oldest was evicted and is decoded again");
        }
    }

    @Test
    void concurrentRequestsForOneTileDecodeItOnce() throws Exception {
        int n = 8;
        try (Http http = server()) {
            http.ok("/iip?FIF=grid.jp2&OBJ=Max-size");          // the header read is not part of the count
            long decoded = decodes(http);
            String tile = "/iip?FIF=grid.jp2&JTL=2,2";
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService threads = Executors.newFixedThreadPool(n);
            List<Future<byte[]>> results = new ArrayList<>();
            try {
                for (int i = 0; i < n; i++) {
                    results.add(threads.submit(() -> {
                        start.await();
                        return http.ok(tile);
                    }));
                }
                start.countDown();
                byte[] first = results.get(0).get(30, TimeUnit.SECONDS);
                for (Future<byte[]> r : results) assertArrayEquals(first, r.get(30, TimeUnit.SECONDS));
            } finally {
                threads.shutdownNow();
            }
            OutputCache.Stats stats = engine(http).cache().stats();
            assertEquals(1, stats.produced(), stats.toString());
            assertEquals(n - 1, stats.coalesced() + stats.localHits(), stats.toString());
            assertEquals(decoded + 1, decodes(http), "one decode for " + n + " requests");
        }
    }

    @Test
    void aTileDecodedBeforeARestartIsServedFromDiskCacheDir(@TempDir Path disk) throws Exception {
        String tile = "/iip?FIF=grid.jp2&JTL=3,5";
        byte[] first;
        try (Http before = server("DISK_CACHE_DIR", disk.toString())) {
            first = before.ok(tile);
            assertEquals(1, engine(before).cache().stats().produced());
            assertEquals(1, engine(before).cache().diskStats().writes());
        }
        try (Http after = server("DISK_CACHE_DIR", disk.toString())) {
            after.ok("/iip?FIF=grid.jp2&OBJ=Max-size");         // the header read is not part of the count
            long decoded = decodes(after);
            assertArrayEquals(first, after.ok(tile));
            assertEquals(decoded, decodes(after), "not decoded again");
            OutputCache.Stats stats = engine(after).cache().stats();
            assertEquals(0, stats.produced(), stats.toString());
            assertEquals(1, stats.diskHits(), stats.toString());
        }
    }

    @Test
    void maxImageCacheSizeZeroTurnsTheCacheOff() throws Exception {
        try (Http http = server("MAX_IMAGE_CACHE_SIZE", "0")) {
            String tile = "/iip?FIF=grid.jp2&JTL=3,4";
            byte[] first = http.ok(tile);
            long decoded = decodes(http);
            assertArrayEquals(first, http.ok(tile));
            assertEquals(decoded + 1, decodes(http), "decoded again");
            OutputCache.Stats stats = engine(http).cache().stats();
            assertEquals(0, stats.localHits());
            assertEquals(0, stats.entries());
            assertEquals(0, engine(http).cache().capacity());
        }
    }
}
