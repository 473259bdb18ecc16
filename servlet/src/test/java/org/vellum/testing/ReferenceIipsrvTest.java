package org.vellum.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks the harness against facts of iipsrv 1.1 that the reference doc records, so a broken harness (wrong
 * nginx params, mangled headers, bad de-chunking) shows up here and not as a mystery in a differential test.
 * The JP2s come from opj_compress, not from our encoder, so the harness stays independent of the code under test.
 */
class ReferenceIipsrvTest {

    private static final String IIP = ReferenceIipsrv.FCGI_PATH + "?";
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter
            .ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    @TempDir
    static Path images;
    static ReferenceIipsrv ref;
    static Instant mtime;

    @BeforeAll
    static void start() throws Exception {
        if (!ReferenceIipsrv.available()) {
            Assumptions.abort("iipsrv 1.1 not installed: needs " + ReferenceIipsrv.IIPSRV
                    + ", nginx and spawn-fcgi (apt-get install iipimage-server nginx-light spawn-fcgi)");
        }
        if (!Files.isExecutable(Path.of("/usr/bin/opj_compress"))) {
            Assumptions.abort("opj_compress not installed (apt-get install libopenjp2-tools)");
        }
        jp2("x", 1000, 700, "-n", "6", "-t", "256,256");
        jp2("odd", 999, 701, "-n", "4");
        // A whole second keeps Last-Modified and If-Modified-Since arithmetic exact.
        mtime = Instant.parse("2024-03-01T10:20:30Z");
        Files.setLastModifiedTime(images.resolve("x.jp2"), FileTime.from(mtime));
        ref = ReferenceIipsrv.start(images);
    }

    @AfterAll
    static void stop() {
        if (ref != null) {
            ref.close();
        }
    }

    @Test
    void objBodyStartsWithTheProtocolLineAndEndsEveryLineInCrlf() throws IOException {
        RawResponse r = get("FIF=x.jp2&obj=IIP,1.0&obj=Max-size&obj=Tile-size&obj=Resolution-number&obj=Resolutions");
        assertEquals(200, r.status(), r::toString);
        assertEquals("application/vnd.netfpx", r.header("Content-Type").orElse(null));
        assertEquals("max-age=86400", r.header("Cache-Control").orElse(null));
        assertEquals("IIPImage", r.header("X-Powered-By").orElse(null));
        assertEquals(HTTP_DATE.format(mtime), r.header("Last-Modified").orElse(null));
        assertEquals("IIP:1.0\r\nMax-size:1000 700\r\nTile-size:256 256\r\nResolution-number:3\r\n"
                + "Resolutions:250 175,500 350,1000 700\r\n", r.bodyText());
    }

    @Test
    void objWithoutTheProtocolObjectStartsWithAnEmptyLine() throws IOException {
        assertEquals("\r\nMax-size:1000 700\r\n", get("FIF=x.jp2&obj=Max-size").bodyText());
    }

    @Test
    void jp2LevelSizesHalveWithFloor() throws IOException {
        assertEquals("IIP:1.0\r\nMax-size:999 701\r\nResolution-number:3\r\nResolutions:249 175,499 350,999 701\r\n",
                get("FIF=odd.jp2&obj=IIP,1.0&obj=Max-size&obj=Resolution-number&obj=Resolutions").bodyText());
    }

    @Test
    void jtlTileIsAJpegWithContentLengthAndCroppedEdges() throws IOException {
        RawResponse r = get("FIF=x.jp2&JTL=2,11");
        assertEquals(200, r.status(), r::toString);
        assertEquals(List.of("image/jpeg"), r.headerValues("Content-Type"));
        assertEquals(List.of(Integer.toString(r.body().length)), r.headerValues("Content-Length"));
        BufferedImage tile = ResponseDiff.decode(r.body(), "tile");
        assertEquals(232, tile.getWidth());
        assertEquals(188, tile.getHeight());
        assertEquals(0.0, ResponseDiff.meanAbsoluteError(r.body(), get("FIF=x.jp2&JTL=2,11").body()));
    }

    @Test
    void missingFileGives404WithPlainMessage() throws IOException {
        RawResponse r = get("FIF=nothere.jp2&obj=IIP,1.0");
        assertEquals(404, r.status());
        assertTrue(r.header("Content-Type").isEmpty(), r::toString);
        assertEquals(images.toRealPath() + "/nothere.jp2 is neither a file nor part of an image sequence",
                r.bodyText());
    }

    @Test
    void tileBeyondTheLastGives404() throws IOException {
        RawResponse r = get("FIF=x.jp2&JTL=2,12");
        assertEquals(404, r.status());
        assertEquals("OpenJPEG :: Asked for non-existent tile: 12", r.bodyText());
    }

    @Test
    void errorLineIsCutTo31Characters() throws IOException {
        RawResponse r = get("FIF=x.jp2&obj=copyright");
        assertEquals(400, r.status());
        assertEquals("no-cache", r.header("Cache-Control").orElse(null));
        assertEquals("inline;filename=\"IIPisAMadGameClosedToOurUnderstanding.netfpx\"",
                r.header("Content-Disposition").orElse(null));
        assertEquals("Error/27:2 1 FIF=x.jp2&obj=copy\r\n", r.bodyText());
    }

    @Test
    void eachUnknownCommandAndObjectAddsItsOwnErrorLine() throws IOException {
        assertEquals("Error/7:2 2 foo\r\nError/7:3 2 bar\r\n",
                get("FIF=x.jp2&obj=IIP,1.0&obj=max-size&foo=1&obj=bar").bodyText());
    }

    @Test
    void objDpiIsAnUnsupportedObjectIn11() throws IOException {
        assertEquals("Error/7:3 2 dpi\r\n", get("FIF=x.jp2&obj=IIP,1.0&obj=dpi").bodyText());
    }

    @Test
    void ifModifiedSinceWellAfterTheFileGives304AndBeforeItGives200() throws IOException {
        // 1.1's off-by-an-hour (uninitialised tm_isdst) makes IMS == mtime unreliable; stay clear of that window.
        String later = "If-Modified-Since: " + HTTP_DATE.format(mtime.plus(2, ChronoUnit.HOURS));
        String earlier = "If-Modified-Since: " + HTTP_DATE.format(mtime.minusSeconds(1));
        RawResponse notModified = RawHttp.get(ref.baseUrl(), IIP + "FIF=x.jp2&JTL=0,0", later);
        assertEquals(304, notModified.status(), notModified::toString);
        assertEquals(0, notModified.body().length);
        assertEquals(200, RawHttp.get(ref.baseUrl(), IIP + "FIF=x.jp2&JTL=0,0", earlier).status());
    }

    @Test
    void headGivesTheHeadersWithoutABody() throws IOException {
        RawResponse r = RawHttp.head(ref.baseUrl(), IIP + "FIF=x.jp2&JTL=0,0");
        assertEquals(200, r.status());
        assertEquals(0, r.body().length);
        assertEquals(get("FIF=x.jp2&JTL=0,0").header("Content-Length"), r.header("Content-Length"));
    }

    @Test
    void iiifInfoJsonIsVersion2Level1() throws IOException {
        RawResponse r = RawHttp.get(ref.baseUrl(), "/iiif/x.jp2/info.json");
        assertEquals(200, r.status(), r::toString);
        assertEquals("application/ld+json", r.header("Content-Type").orElse(null));
        assertTrue(r.bodyText().startsWith("{\n  \"@context\" : \"http://iiif.io/api/image/2/context.json\",\n"
                + "  \"@id\" : \"" + ref.baseUrl() + "/iiif/x.jp2\",\n"), r::toString);
    }

    @Test
    void responseDiffPointsAtTheFirstDifferingByteWithCrlfVisible() throws IOException {
        RawResponse a = get("FIF=x.jp2&obj=IIP,1.0&obj=Max-size");
        RawResponse b = new RawResponse(a.statusLine(), a.status(), a.headers(),
                "IIP:1.0\nMax-size:1000 700\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertTrue(ResponseDiff.differences(a, a).isEmpty());
        List<String> diffs = ResponseDiff.differences(a, b);
        assertEquals(1, diffs.size(), diffs::toString);
        assertTrue(diffs.get(0).startsWith("body differs at offset 7 "), diffs::toString);
        assertTrue(diffs.get(0).contains("IIP:1.0\\r\\nMax-size"), diffs::toString);
    }

    @Test
    void extraEnvironmentReachesIipsrvAndCloseEndsEveryProcess() throws Exception {
        List<ProcessHandle> started;
        int port;
        try (ReferenceIipsrv cors = ReferenceIipsrv.start(images, Map.of("CORS", "*"))) {
            started = new ArrayList<>(cors.processes());
            port = cors.port();
            RawResponse obj = RawHttp.get(cors.baseUrl(), IIP + "FIF=x.jp2&obj=IIP,1.0");
            assertEquals("*", obj.header("Access-Control-Allow-Origin").orElse(null), obj::toString);
            RawResponse tile = RawHttp.get(cors.baseUrl(), IIP + "FIF=x.jp2&JTL=0,0");
            assertTrue(tile.header("Access-Control-Allow-Origin").isEmpty(), "1.1 sends no CORS on tiles");
            assertEquals(List.of("header access-control-allow-origin unexpected",
                            "header access-control-allow-headers unexpected"),
                    ResponseDiff.presence(get("FIF=x.jp2&obj=IIP,1.0"), obj));
        }
        assertEquals(2, started.size(), started::toString);
        for (ProcessHandle p : started) {
            p.onExit().get(5, TimeUnit.SECONDS);
            assertFalse(p.isAlive(), () -> "still running: " + p.info());
        }
        assertFalse(ReferenceIipsrv.accepts(port));
    }

    @Test
    void aLevelBelowTheSmallestDwtLevelCrashesIipsrvAndAliveSaysSo() throws Exception {
        // 1000x700 needs 3 IIP levels; with one DWT level r=0 is "virtual" and 1.1 dies decoding it (nginx: 502).
        jp2("few", 1000, 700, "-n", "2");
        try (ReferenceIipsrv crashing = ReferenceIipsrv.start(images)) {
            assertEquals(200, RawHttp.get(crashing.baseUrl(), IIP + "FIF=few.jp2&JTL=1,3").status());
            assertEquals(502, RawHttp.get(crashing.baseUrl(), IIP + "FIF=few.jp2&JTL=0,0").status());
            for (int i = 0; i < 100 && crashing.alive(); i++) {
                Thread.sleep(10);
            }
            assertFalse(crashing.alive());
        }
    }

    private static RawResponse get(String query) throws IOException {
        return RawHttp.get(ref.baseUrl(), IIP + query);
    }

    /** A smooth RGB gradient written as PPM and compressed by opj_compress with the given options. */
    private static void jp2(String name, int w, int h, String... options) throws Exception {
        Path ppm = images.resolve(name + ".ppm");
        try (OutputStream out = Files.newOutputStream(ppm)) {
            out.write(("P6\n" + w + " " + h + "\n255\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            byte[] row = new byte[w * 3];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    row[3 * x] = (byte) (x * 255 / (w - 1));
                    row[3 * x + 1] = (byte) (y * 255 / (h - 1));
                    row[3 * x + 2] = (byte) ((x + y) & 0xff);
                }
                out.write(row);
            }
        }
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/opj_compress", "-i", ppm.toString(),
                "-o", images.resolve(name + ".jp2").toString()));
        cmd.addAll(List.of(options));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), () -> "opj_compress failed: " + output);
        Files.delete(ppm);
    }
}
