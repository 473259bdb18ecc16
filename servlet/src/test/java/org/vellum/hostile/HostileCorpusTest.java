package org.vellum.hostile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vellum.config.Settings;
import org.vellum.hostile.HostileCorpus.Entry;
import org.vellum.hostile.HostileCorpus.Expect;
import org.vellum.pool.PoolStats;
import org.vellum.testing.Http;

/**
 * Every file of the {@link HostileCorpus}, asked for through every protocol over real HTTP, gets a clear answer
 * within a time bound; a broken decoder is never handed out again; the next request for a good file is served
 * byte for byte as before. A native crash would end this JVM, and with it the test run.
 */
class HostileCorpusTest {
    /** What a malformed file may get; a 500 means our error handling failed. */
    static final Set<Integer> ALLOWED = Set.of(200, 304, 400, 403, 404, 413);
    static final long BOUND_MS = 10_000;

    @TempDir
    static Path images;
    static List<Entry> corpus;
    static Http http;
    static byte[] goodTile;
    static byte[] goodSingleTile;

    @BeforeAll
    static void start() {
        corpus = HostileCorpus.write(images);
        http = new Http(Settings.fromEnvironment(Map.of("FILESYSTEM_PREFIX", images.toString(), "MAX_CVT", "1000")));
        goodTile = ok("/iip?FIF=" + HostileCorpus.GOOD_TILED + "&JTL=3,6");
        goodSingleTile = ok("/iip?FIF=" + HostileCorpus.GOOD_SINGLE + "&JTL=1,0");
    }

    @AfterAll
    static void stop() throws Exception {
        http.close();
    }

    /** Metadata and pixels through IIP, Zoomify, Deep Zoom (by query and by path) and IIIF 3 and 2. */
    static List<String> requests(String f) {
        return List.of(
                "/iip?FIF=" + f + "&obj=IIP,1.0&obj=Max-size&obj=Resolution-number&obj=Tile-size",
                "/iip?FIF=" + f + "&JTL=0,0",
                "/iip?FIF=" + f + "&JTL=3,6",
                "/iip?FIF=" + f + "&WID=400&CVT=jpeg",
                "/zoomify/" + f + "/ImageProperties.xml",
                "/zoomify/" + f + "/TileGroup0/2-1-1.jpg",
                "/iip?DeepZoom=" + f + ".dzi",
                "/deepzoom/" + f + "_files/9/0_0.jpg",
                "/iiif/3/" + f + "/info.json",
                "/iiif/2/" + f + "/0,0,512,512/256,/0/default.jpg");
    }

    /** The requests any image answers with 200 when it decodes, whatever its size. */
    static final Set<String> SIZE_INDEPENDENT = Set.of(requests("f").get(0), requests("f").get(1), requests("f").get(3),
            requests("f").get(4), requests("f").get(6), requests("f").get(8));

    @Test
    void everyMalformedFileGetsAClearAnswerOnEveryProtocolAndTheServerStaysWell() {
        int decodes = 0;
        int rejected = 0;
        int partly = 0;
        long slowest = 0;
        String slowestRequest = "";
        long started = System.nanoTime();
        List<String> failures = new ArrayList<>();
        for (Entry e : corpus) {
            int ok = 0;
            int okAnySize = 0;
            boolean headerRefused = false;
            for (String url : requests(e.name())) {
                long t0 = System.nanoTime();
                HttpResponse<byte[]> r = http.get(url);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                if (ms > slowest) {
                    slowest = ms;
                    slowestRequest = url;
                }
                String body = Http.text(r);
                String where = e.name() + " (" + e.what() + ") " + url + " -> " + r.statusCode() + " " + abbreviate(body);
                if (!ALLOWED.contains(r.statusCode())) failures.add("status: " + where);
                if (ms > BOUND_MS) failures.add("took " + ms + " ms: " + where);
                if (body.contains("Exception") || body.contains("\tat ")) failures.add("stack trace: " + where);
                if (body.contains(images.toString())) failures.add("server path in the body: " + where);
                if (r.statusCode() == 200) ok++;
                if (r.statusCode() == 200 && SIZE_INDEPENDENT.contains(url.replace(e.name(), "f"))) okAnySize++;
                if (url.contains("obj=IIP") && r.statusCode() != 200) headerRefused = true;
                if (r.statusCode() == 404 && body.startsWith("Cannot decode")) {
                    // Asked again: a fresh decoder fails the same way; a kept broken one would say "earlier failure".
                    // (A fresh decoder may even succeed where a reused one failed: OpenJPEG keeps state per codec.)
                    HttpResponse<byte[]> again = http.get(url);
                    if (!ALLOWED.contains(again.statusCode()) || Http.text(again).contains("earlier failure")) {
                        failures.add("second answer differs (" + again.statusCode() + " " + abbreviate(Http.text(again))
                                + "): " + where);
                    }
                }
            }
            int n = requests(e.name()).size();
            if (e.expect() == Expect.DECODES && okAnySize != SIZE_INDEPENDENT.size()) {
                failures.add(e.name() + " should decode: " + okAnySize + "/" + SIZE_INDEPENDENT.size());
            }
            if (e.expect() == Expect.REJECTED && ok != 0) failures.add(e.name() + " should be refused: " + ok + " x 200");
            if (ok == n) decodes++;
            else if (headerRefused) rejected++;
            else partly++;
            // The next request for a good file succeeds, byte for byte.
            assertArrayEquals(goodTile, ok("/iip?FIF=" + HostileCorpus.GOOD_TILED + "&JTL=3,6"), "after " + e.name());
        }
        assertArrayEquals(goodSingleTile, ok("/iip?FIF=" + HostileCorpus.GOOD_SINGLE + "&JTL=1,0"));
        long seconds = (System.nanoTime() - started) / 1_000_000_000;
        PoolStats stats = http.server().vellum().engine().pool().stats();
        System.out.printf("HostileCorpusTest: %d files x %d requests in %d s: %d decode, %d refused at the header, "
                        + "%d partly decodable; slowest %d ms (%s); pool %s%n", corpus.size(), requests("x").size(),
                seconds, decodes, rejected, partly, slowest, slowestRequest, stats);
        assertTrue(failures.isEmpty(), failures.size() + " failures:\n" + String.join("\n", failures));
        assertEquals(0, stats.active(), "every borrowed decoder came back or was destroyed");
        assertTrue(stats.invalidated() > 0, "failed decoders were destroyed");
        assertTrue(corpus.size() >= 200, "corpus size " + corpus.size());
    }

    @Test
    void aFileThatExceedsTheNativeDecodeLimitIsA413ButItsSmallerLevelsAreServed() throws Exception {
        // 2048x2048 tiles of 4 components = 16 M samples at full resolution; the limit here is 16 x 65536 = 1 M.
        Path dir = images.resolve("limit");
        java.nio.file.Files.createDirectories(dir);
        org.vellum.testing.Fixtures.write(dir, "big-tiles.jp2", org.vellum.testing.Fixtures.rgbaGrid(2100, 2100),
                new org.vellum.codec.openjpeg.Jp2EncodeOptions(4, 1, 2048, false, true));
        try (Http small = new Http(Settings.fromEnvironment(Map.of("FILESYSTEM_PREFIX", dir.toString(),
                "MAX_DECODE_PIXELS", "65536")))) {
            HttpResponse<byte[]> full = small.get("/iip?FIF=big-tiles.jp2&JTL=4,0");
            assertEquals(413, full.statusCode(), Http.text(full));
            assertTrue(Http.text(full).contains("MAX_DECODE_PIXELS"), Http.text(full));
            assertFalse(Http.text(full).contains(dir.toString()));
            assertEquals(200, small.get("/iip?FIF=big-tiles.jp2&JTL=0,0").statusCode());
            assertEquals(200, small.get("/iip?FIF=big-tiles.jp2&obj=Max-size").statusCode());
            assertNotEquals(500, small.get("/iip?FIF=big-tiles.jp2&WID=2000&CVT=jpeg").statusCode());
        }
    }

    private static byte[] ok(String url) {
        HttpResponse<byte[]> r = http.get(url);
        assertEquals(200, r.statusCode(), () -> url + ": " + Http.text(r));
        return r.body();
    }

    private static String abbreviate(String s) {
        String one = s.replace('\n', ' ').replace('\r', ' ');
        return one.length() > 160 ? one.substring(0, 160) + "…" : one;
    }
}
