package org.vellum.protocol.iip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vellum.testing.Fixtures.decode;
import static org.vellum.testing.Fixtures.meanError;
import static org.vellum.testing.Fixtures.reference;
import static org.vellum.testing.Http.header;
import static org.vellum.testing.Http.text;

import java.awt.image.BufferedImage;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vellum.codec.openjpeg.Jp2EncodeOptions;
import org.vellum.config.Settings;
import org.vellum.pipeline.HttpDates;
import org.vellum.testing.Fixtures;
import org.vellum.testing.Http;

/** IIP as iipsrv 1.1 speaks it, over real HTTP, every answer checked against bytes or decoded pixels. */
class IipProtocolTest {
    /** JPEG noise on a flat-coloured grid stays well below this; a wrong tile or region is far above it. */
    private static final double JPEG_ERROR = 4.0;
    private static final Instant MTIME = Instant.parse("2024-03-01T12:00:00Z");

    @TempDir
    static Path tmp;
    static Path images;
    static Path secret;
    static Http http;
    static Http capped;

    @BeforeAll
    static void start() throws Exception {
        images = Files.createDirectories(tmp.resolve("images"));
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Fixtures.write(images, "grid.jp2", Fixtures.colourGrid(1000, 700), Fixtures.lossless(5, 0));
        Files.setLastModifiedTime(images.resolve("grid.jp2"), FileTime.from(MTIME));
        Fixtures.write(images, "odd.jp2", Fixtures.colourGrid(999, 701), Fixtures.lossless(5, 256));
        Fixtures.write(images, "few.jp2", Fixtures.colourGrid(1000, 700), Fixtures.lossless(1, 0));
        Fixtures.write(images, "grey.jp2", Fixtures.greyGrid(999, 701), Fixtures.lossless(4, 0));
        Fixtures.write(images, "grey16.jp2", Fixtures.grey16Grid(600, 400), Fixtures.lossless(3, 0));
        Fixtures.write(images, "rgba.jp2", Fixtures.rgbaGrid(500, 300), Fixtures.lossless(3, 0));
        Fixtures.write(images, "layers.jp2", Fixtures.texturedGrid(1000, 700),
                new Jp2EncodeOptions(5, 6, 0, false, true));
        Fixtures.write(images, "n1.jp2", Fixtures.colourGrid(256, 256), Fixtures.lossless(5, 0));
        Fixtures.write(images, "n2.jp2", Fixtures.colourGrid(257, 100), Fixtures.lossless(5, 0));
        Fixtures.write(images, "n4.jp2", Fixtures.colourGrid(1025, 300), Fixtures.lossless(5, 512));
        secret = Fixtures.write(outside, "secret.jp2", Fixtures.colourGrid(300, 200), Fixtures.lossless(2, 0));
        Files.createSymbolicLink(images.resolve("link.jp2"), secret);
        // an image sequence (FILENAME_PATTERN _pyr_): views 0, 1 and, through a link out of the folder, 2
        Fixtures.write(images, "seq_pyr_000_090.jp2", Fixtures.colourGrid(300, 200), Fixtures.lossless(2, 0));
        Fixtures.write(images, "seq_pyr_001_090.jp2", Fixtures.colourGrid(400, 250), Fixtures.lossless(2, 0));
        Files.createSymbolicLink(images.resolve("seq_pyr_002_090.jp2"), secret);
        // JPEG_QUALITY=90 as Debian's iipsrv.conf sets it.
        http = new Http(Settings.fromEnvironment(Map.of("FILESYSTEM_PREFIX", images.toString(),
                "JPEG_QUALITY", "90", "CORS", "*")));
        capped = new Http(Settings.fromEnvironment(Map.of("FILESYSTEM_PREFIX", images.toString(),
                "JPEG_QUALITY", "90", "MAX_CVT", "400", "ALLOW_UPSCALING", "0", "CORS", "")));
    }

    @AfterAll
    static void stop() throws Exception {
        if (http != null) http.close();
        if (capped != null) capped.close();
    }

    private static HttpResponse<byte[]> iip(String query, String... headers) {
        return http.get("/iip?" + query, headers);
    }

    private static HttpResponse<byte[]> ok(HttpResponse<byte[]> r) {
        assertEquals(200, r.statusCode(), () -> "status, body: " + text(r));
        return r;
    }

    /** Tile k of IIP resolution r, as a reference decoded independently: origin (k%cols*256, k/cols*256), cropped. */
    private static BufferedImage referenceTile(Path file, int width, int height, int n, int r, int k) {
        int d = n - 1 - r;
        int lw = Fixtures.reduced(width, d);
        int lh = Fixtures.reduced(height, d);
        int cols = (lw + 255) / 256;
        int x = k % cols * 256;
        int y = k / cols * 256;
        int tw = Math.min(256, lw - x);
        int th = Math.min(256, lh - y);
        int fx = x << d;
        int fy = y << d;
        return reference(file, fx, fy, Math.min(width - fx, tw << d), Math.min(height - fy, th << d), d);
    }

    private static BufferedImage tile(String file, int r, int k, String... extra) {
        String q = "FIF=" + file + String.join("", extra) + "&JTL=" + r + "," + k;
        HttpResponse<byte[]> resp = ok(iip(q));
        assertEquals("image/jpeg", header(resp, "Content-Type"));
        return decode(resp.body());
    }

    // ---- image sequences ----

    @Test
    void sdsPicksTheFileOfASequenceViewAndNothingOutsideTheFolder() {
        assertEquals("\r\nHorizontal-views:0 1 2\r\nVertical-views:90\r\nMax-size:300 200\r\n",
                text(ok(iip("FIF=seq&obj=Horizontal-views&obj=Vertical-views&obj=Max-size"))));
        assertEquals("\r\nMax-size:400 250\r\n", text(ok(iip("FIF=seq&SDS=1,90&obj=Max-size"))));
        assertEquals("\r\nMax-size:400 250\r\n", text(ok(iip("SDS=1,90&FIF=seq&obj=Max-size"))));
        assertEquals("\r\nMax-size:400 250\r\n", text(ok(iip("FIF=seq&SDS=1%2C90&obj=Max-size"))));
        BufferedImage t = tile("seq", 1, 0, "&SDS=1,90");
        assertEquals(256, t.getWidth());
        assertEquals(250, tile("seq", 1, 1, "&SDS=1,90").getHeight());
        assertEquals(400 - 256, decode(ok(iip("FIF=seq&JTLS=1,1,1,90")).body()).getWidth());   // 000_090: 44
        assertEquals(403, iip("FIF=seq&SDS=2,90&JTL=0,0").statusCode());        // the link leads out of the folder
        for (String bad : List.of("SDS=x", "SDS=1", "SDS=3,90", "SDS=1,90,1", "SDS=,90", "SDS=1.5,90")) {
            HttpResponse<byte[]> r = iip("FIF=seq&" + bad + "&JTL=0,0");
            assertEquals(400, r.statusCode(), bad);
        }
        assertEquals(400, iip("FIF=grid.jp2&SDS=x&obj=Max-size").statusCode());
        assertEquals("\r\nMax-size:1000 700\r\n", text(ok(iip("FIF=grid.jp2&SDS=1,90&obj=Max-size"))));
        assertEquals(404, iip("FIF=nosuchseq&SDS=1,90&obj=Max-size").statusCode());
    }

    // ---- OBJ ----

    @Test
    void objLinesFollowTheProtocolLineEachEndingInCrlf() {
        HttpResponse<byte[]> r = ok(iip("FIF=grid.jp2&obj=IIP,1.0&obj=Max-size&obj=Tile-size&obj=Resolution-number"));
        assertEquals("IIP:1.0\r\nMax-size:1000 700\r\nTile-size:256 256\r\nResolution-number:3\r\n", text(r));
        assertEquals("application/vnd.netfpx", header(r, "Content-Type"));
    }

    @Test
    void bodyStartsWithAnEmptyLineWithoutTheProtocolObject() {
        assertEquals("\r\nMax-size:1000 700\r\n", text(ok(iip("FIF=grid.jp2&obj=Max-size"))));
    }

    @Test
    void resolutionNumberCountsDownToTheFirstLevelThatFitsInOneTile() {
        Map<String, Integer> expected = Map.of("n1.jp2", 1, "n2.jp2", 2, "grid.jp2", 3, "odd.jp2", 3, "n4.jp2", 4);
        expected.forEach((file, n) -> assertEquals("\r\nResolution-number:" + n + "\r\n",
                text(ok(iip("FIF=" + file + "&obj=Resolution-number"))), file));
    }

    @Test
    void resolutionsAreListedSmallestFirstWithCeilSizes() {
        assertEquals("\r\nResolutions:250 176,500 351,999 701\r\n", text(ok(iip("FIF=odd.jp2&obj=Resolutions"))));
        assertEquals("\r\nResolutions:129 38,257 75,513 150,1025 300\r\n",
                text(ok(iip("FIF=n4.jp2&obj=Resolutions"))));
    }

    @Test
    void tileSizeIsAVirtual256WhateverTheCodestreamTiling() {
        for (String file : List.of("grid.jp2", "odd.jp2", "n4.jp2")) {
            assertEquals("\r\nTile-size:256 256\r\n", text(ok(iip("FIF=" + file + "&obj=Tile-size"))), file);
        }
    }

    @Test
    void maxSizeIsSwappedAfterAQuarterTurn() {
        assertEquals("\r\nMax-size:700 1000\r\n", text(ok(iip("FIF=grid.jp2&ROT=90&obj=Max-size"))));
        assertEquals("\r\nMax-size:1000 700\r\n", text(ok(iip("FIF=grid.jp2&ROT=180&obj=Max-size"))));
    }

    // ---- JTL ----

    @Test
    void tileIndexesRunRowMajorFromTheTopLeft() {
        for (int k = 0; k < 12; k++) {
            BufferedImage expected = referenceTile(images.resolve("grid.jp2"), 1000, 700, 3, 2, k);
            assertTrue(meanError(expected, tile("grid.jp2", 2, k)) < JPEG_ERROR, "tile " + k);
        }
        for (int k = 0; k < 4; k++) {   // codestream-tiled, odd size: 2x2 tiles at r=1 (500x351)
            BufferedImage expected = referenceTile(images.resolve("odd.jp2"), 999, 701, 3, 1, k);
            assertTrue(meanError(expected, tile("odd.jp2", 1, k)) < JPEG_ERROR, "odd tile " + k);
        }
    }

    @Test
    void edgeTilesAreCroppedNotPadded() {
        BufferedImage t11 = tile("grid.jp2", 2, 11);
        assertEquals("232x188", t11.getWidth() + "x" + t11.getHeight());
        BufferedImage t3 = tile("grid.jp2", 1, 3);
        assertEquals("244x94", t3.getWidth() + "x" + t3.getHeight());
        assertTrue(meanError(referenceTile(images.resolve("grid.jp2"), 1000, 700, 3, 1, 3), t3) < JPEG_ERROR);
        BufferedImage odd = tile("odd.jp2", 2, 11);
        assertEquals("231x189", odd.getWidth() + "x" + odd.getHeight());
        assertTrue(meanError(referenceTile(images.resolve("odd.jp2"), 999, 701, 3, 2, 11), odd) < JPEG_ERROR);
    }

    @Test
    void resolutionZeroIsTheSmallest() {
        BufferedImage t = tile("grid.jp2", 0, 0);
        assertEquals("250x175", t.getWidth() + "x" + t.getHeight());
        assertTrue(meanError(reference(images.resolve("grid.jp2"), 0, 0, 1000, 700, 2), t) < JPEG_ERROR);
    }

    @Test
    void missingLevelsAreMadeByDownscalingTheSmallestStoredLevel() {
        // few.jp2 stores 1000x700 and 500x350 only; IIP still has 3 resolutions
        assertEquals("\r\nResolution-number:3\r\nResolutions:250 175,500 350,1000 700\r\n",
                text(ok(iip("FIF=few.jp2&obj=Resolution-number&obj=Resolutions"))));
        BufferedImage t = tile("few.jp2", 0, 0);
        assertEquals("250x175", t.getWidth() + "x" + t.getHeight());
        BufferedImage expected = Fixtures.boxScale(reference(images.resolve("few.jp2"), 0, 0, 1000, 700, 0), 250, 175);
        assertTrue(meanError(expected, t) < JPEG_ERROR + 2);
        BufferedImage mid = tile("few.jp2", 1, 1);
        assertEquals("244x256", mid.getWidth() + "x" + mid.getHeight());
        assertTrue(meanError(referenceTile(images.resolve("few.jp2"), 1000, 700, 3, 1, 1), mid) < JPEG_ERROR);
    }

    @Test
    void greyImagesGiveOneBandTiles() {
        BufferedImage t = tile("grey.jp2", 2, 5);
        assertEquals(1, t.getRaster().getNumBands());
        assertTrue(meanError(referenceTile(images.resolve("grey.jp2"), 999, 701, 3, 2, 5), t) < JPEG_ERROR);
    }

    @Test
    void sixteenBitSamplesAreScaledToEightBits() {
        BufferedImage t = tile("grey16.jp2", 2, 1);   // 600x400 at full size: tile 1 is x 256..511, y 0..255
        assertEquals("256x256", t.getWidth() + "x" + t.getHeight());
        long err = 0;
        for (int y = 0; y < 256; y++) {
            for (int x = 0; x < 256; x++) err += Math.abs(t.getRaster().getSample(x, y, 0) - Fixtures.greyOf(256 + x, y));
        }
        assertTrue(err / (256.0 * 256) < JPEG_ERROR, "mean error " + err / (256.0 * 256));
    }

    @Test
    void alphaIsDroppedFromJpegTiles() {
        BufferedImage t = tile("rgba.jp2", 1, 0);   // 500x300: tile 0 is 256x256 at the top left
        assertEquals(3, t.getRaster().getNumBands());
        BufferedImage expected = new BufferedImage(256, 256, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 256; y++) {
            for (int x = 0; x < 256; x++) expected.setRGB(x, y, Fixtures.gridColour(x, y));
        }
        assertTrue(meanError(expected, t) < JPEG_ERROR);
    }

    @Test
    void rot180RemapsTheTileIndex() {
        BufferedImage t = tile("grid.jp2", 2, 0, "&ROT=180");
        BufferedImage last = referenceTile(images.resolve("grid.jp2"), 1000, 700, 3, 2, 11);
        assertTrue(meanError(Fixtures.rotate180(last), t) < JPEG_ERROR);
    }

    @Test
    void aTileOrResolutionThatDoesNotExistIs404() {
        assertEquals(404, iip("FIF=grid.jp2&JTL=2,12").statusCode());
        assertEquals(404, iip("FIF=grid.jp2&JTL=3,0").statusCode());
    }

    // ---- CVT ----

    private static BufferedImage cvt(Http server, String query) {
        HttpResponse<byte[]> r = server.get("/iip?" + query);
        assertEquals(200, r.statusCode(), () -> text(r));
        assertEquals("image/jpeg", header(r, "Content-Type"));
        return decode(r.body());
    }

    private static String size(BufferedImage img) {
        return img.getWidth() + "x" + img.getHeight();
    }

    @Test
    void cvtWidthAloneKeepsTheRegionAspect() {
        BufferedImage img = cvt(http, "FIF=grid.jp2&WID=300&CVT=jpeg");
        assertEquals("300x210", size(img));
        BufferedImage full = reference(images.resolve("grid.jp2"), 0, 0, 1000, 700, 0);
        assertTrue(meanError(Fixtures.boxScale(full, 300, 210), img) < JPEG_ERROR + 4);
    }

    @Test
    void cvtHeightAloneKeepsTheRegionAspect() {
        assertEquals("143x100", size(cvt(http, "FIF=grid.jp2&HEI=100&CVT=jpeg")));
    }

    @Test
    void cvtWidthAndHeightFitInsideTheBox() {
        assertEquals("300x210", size(cvt(http, "FIF=grid.jp2&WID=300&HEI=300&CVT=jpeg")));
        assertEquals("143x100", size(cvt(http, "FIF=grid.jp2&WID=300&HEI=100&CVT=jpeg")));
    }

    @Test
    void cvtRegionIsNormalisedToTheFullImage() {
        BufferedImage img = cvt(http, "FIF=grid.jp2&WID=500&RGN=0.25,0.25,0.5,0.5&CVT=jpeg");
        assertEquals("500x350", size(img));
        assertTrue(meanError(reference(images.resolve("grid.jp2"), 250, 175, 500, 350, 0), img) < JPEG_ERROR);
    }

    @Test
    void cvtWithoutASizeIsTheFullResolutionRegion() {
        BufferedImage img = cvt(http, "FIF=grid.jp2&RGN=0.5,0.5,0.25,0.25&CVT=jpeg");
        assertEquals("250x175", size(img));
        assertTrue(meanError(reference(images.resolve("grid.jp2"), 500, 350, 250, 175, 0), img) < JPEG_ERROR);
    }

    @Test
    void cvtUpscalesByDefault() {
        assertEquals("2000x1400", size(cvt(http, "FIF=grid.jp2&WID=2000&CVT=jpeg")));
    }

    @Test
    void cvtIsCappedAtMaxCvtKeepingTheAspect() {
        assertEquals("400x280", size(cvt(capped, "FIF=grid.jp2&CVT=jpeg")));
        assertEquals("400x280", size(cvt(capped, "FIF=grid.jp2&WID=1000&CVT=jpeg")));
    }

    @Test
    void cvtDoesNotUpscaleWhenUpscalingIsOff() {
        BufferedImage img = cvt(capped, "FIF=grid.jp2&RGN=0,0,0.2,0.2&WID=300&CVT=jpeg");
        assertEquals("200x140", size(img));
        assertTrue(meanError(reference(images.resolve("grid.jp2"), 0, 0, 200, 140, 0), img) < JPEG_ERROR);
    }

    @Test
    void cvtNamesTheImageInContentDisposition() {
        HttpResponse<byte[]> r = ok(iip("FIF=grid.jp2&WID=100&CVT=jpeg"));
        assertEquals("inline;filename=\"grid.jpg\"", header(r, "Content-Disposition"));
    }

    @Test
    void colGrayGivesAOneBandJpeg() {
        BufferedImage img = cvt(http, "FIF=grid.jp2&WID=500&RGN=0.25,0.25,0.5,0.5&COL=gray&CVT=jpeg");
        assertEquals(1, img.getRaster().getNumBands());
        BufferedImage ref = reference(images.resolve("grid.jp2"), 250, 175, 500, 350, 0);
        long err = 0;
        for (int y = 0; y < 350; y++) {
            for (int x = 0; x < 500; x++) {
                int c = ref.getRGB(x, y);
                double luma = 0.299 * (c >> 16 & 0xFF) + 0.587 * (c >> 8 & 0xFF) + 0.114 * (c & 0xFF);
                err += Math.round(Math.abs(img.getRaster().getSample(x, y, 0) - luma));
            }
        }
        assertTrue(err / (500.0 * 350) < JPEG_ERROR);
    }

    @Test
    void invInvertsThePixels() {
        BufferedImage t = tile("grid.jp2", 2, 5, "&INV");
        BufferedImage expected = Fixtures.invert(referenceTile(images.resolve("grid.jp2"), 1000, 700, 3, 2, 5));
        assertTrue(meanError(expected, t) < JPEG_ERROR);
    }

    @Test
    void qltSetsTheJpegQuality() {
        byte[] low = ok(iip("FIF=layers.jp2&QLT=10&JTL=2,5")).body();
        byte[] high = ok(iip("FIF=layers.jp2&QLT=98&JTL=2,5")).body();
        assertTrue(low.length * 2 < high.length, low.length + " vs " + high.length);
        BufferedImage ref = referenceTile(images.resolve("layers.jp2"), 1000, 700, 3, 2, 5);
        assertTrue(meanError(ref, decode(high)) < meanError(ref, decode(low)));
    }

    @Test
    void lyrDecodesFewerQualityLayers() {
        byte[] one = ok(iip("FIF=layers.jp2&LYR=1&QLT=98&JTL=2,5")).body();
        byte[] all = ok(iip("FIF=layers.jp2&QLT=98&JTL=2,5")).body();
        assertFalse(java.util.Arrays.equals(one, all));
        BufferedImage source = Fixtures.texturedGrid(1000, 700).getSubimage(256, 256, 256, 256);
        double errOne = meanError(source, decode(one));
        double errAll = meanError(source, decode(all));
        assertTrue(errOne > errAll + 2, "one layer " + errOne + ", all layers " + errAll);
    }

    // ---- errors ----

    @Test
    void anUnknownCommandGivesError22AndDiscardsTheObjects() {
        HttpResponse<byte[]> r = iip("FIF=grid.jp2&foo=1&obj=Max-size");
        assertEquals(400, r.statusCode());
        assertEquals("Error/7:2 2 foo\r\n", text(r));
        assertEquals("application/vnd.netfpx", header(r, "Content-Type"));
        assertEquals("no-cache", header(r, "Cache-Control"));
    }

    @Test
    void errorLinesAreCutTo31Characters() {
        String query = "FIF=grid.jp2&WID=100&HEI=100";   // nothing to output: error 2 1 <whole request>
        String payload = "2 1 " + query;
        String full = "Error/" + payload.length() + ":" + payload;
        assertTrue(full.length() > 31);
        assertEquals(full.substring(0, 31) + "\r\n", text(iip(query)));
        assertEquals("Error/34:3 2 an-object-nobody-h\r\n",
                text(iip("FIF=grid.jp2&obj=an-object-nobody-has-ever-seen")));
        assertEquals("Error/12:1 3 max-size\r\n", text(iip("obj=Max-size")));
    }

    @Test
    void aMissingFileIs404() {
        HttpResponse<byte[]> r = iip("FIF=nothere.jp2&obj=Max-size");
        assertEquals(404, r.statusCode());
        assertTrue(text(r).contains("nothere.jp2"));
    }

    @Test
    void pathsOutsideTheImageRootAreRefusedWhateverTheirSpelling() throws Exception {
        String abs = secret.toAbsolutePath().toString();
        List<String> spellings = List.of("../outside/secret.jp2", "%2e%2e%2foutside%2fsecret.jp2",
                "....//outside/secret.jp2", "..%2F..%2F" + tmp.getFileName() + "%2Foutside%2Fsecret.jp2", abs,
                "link.jp2", "%2Flink.jp2");
        for (String s : spellings) {
            for (String output : List.of("&obj=Max-size", "&JTL=0,0", "&CVT=jpeg")) {
                HttpResponse<byte[]> r = iip("FIF=" + s + output);
                assertTrue(r.statusCode() == 403 || r.statusCode() == 404, s + output + " -> " + r.statusCode());
                assertFalse(text(r).contains("Max-size"), s);
                assertFalse(r.body().length > 2 && (r.body()[0] & 0xFF) == 0xFF && (r.body()[1] & 0xFF) == 0xD8,
                        s + output + " returned a JPEG");
            }
        }
        // the secret itself is a perfectly good image: only its location is refused
        assertTrue(Files.size(secret) > 0);
    }

    // ---- HTTP ----

    @Test
    void ifModifiedSinceAtOrAfterTheMtimeGives304() {
        String q = "FIF=grid.jp2&JTL=0,0";
        assertEquals(304, iip(q, "If-Modified-Since", HttpDates.format(MTIME.toEpochMilli())).statusCode());
        HttpResponse<byte[]> later = iip(q, "If-Modified-Since", HttpDates.format(MTIME.toEpochMilli() + 3_600_000));
        assertEquals(304, later.statusCode());
        assertEquals(0, later.body().length);
    }

    @Test
    void ifModifiedSinceBeforeTheMtimeGives200() {
        HttpResponse<byte[]> r = iip("FIF=grid.jp2&JTL=0,0", "If-Modified-Since",
                HttpDates.format(MTIME.toEpochMilli() - 1000));
        assertEquals(200, r.statusCode());
        assertEquals("250x175", size(decode(r.body())));
        assertEquals(HttpDates.format(MTIME.toEpochMilli()), header(r, "Last-Modified"));
    }

    @Test
    void ifNoneMatchWithTheEtagGives304() {
        HttpResponse<byte[]> first = ok(iip("FIF=grid.jp2&JTL=1,0"));
        String etag = header(first, "ETag");
        assertNotNull(etag);
        assertEquals(304, iip("FIF=grid.jp2&JTL=1,0", "If-None-Match", etag).statusCode());
        assertEquals(200, iip("FIF=grid.jp2&JTL=1,1", "If-None-Match", etag).statusCode(),
                "another tile has another ETag");
    }

    @Test
    void aRewrittenFileIsServedAfresh() throws Exception {
        Path f = Fixtures.write(images, "rewritten.jp2", Fixtures.colourGrid(300, 200), Fixtures.lossless(3, 0));
        assertEquals("\r\nMax-size:300 200\r\n", text(ok(iip("FIF=rewritten.jp2&obj=Max-size"))));
        String etag = header(ok(iip("FIF=rewritten.jp2&JTL=1,0")), "ETag");
        Fixtures.write(images, "rewritten.jp2", Fixtures.invert(Fixtures.colourGrid(400, 300)), Fixtures.lossless(3, 0));
        Files.setLastModifiedTime(f, FileTime.fromMillis(System.currentTimeMillis() + 10_000));
        assertEquals("\r\nMax-size:400 300\r\n", text(ok(iip("FIF=rewritten.jp2&obj=Max-size"))));
        HttpResponse<byte[]> r = ok(iip("FIF=rewritten.jp2&JTL=1,0", "If-None-Match", etag));
        BufferedImage t = decode(r.body());
        assertTrue(meanError(reference(f, 0, 0, 256, 256, 0), t) < JPEG_ERROR);
    }

    @Test
    void headHasTheHeadersAndNoBody() {
        HttpResponse<byte[]> get = ok(iip("FIF=grid.jp2&JTL=1,0"));
        HttpResponse<byte[]> head = http.send("HEAD", "/iip?FIF=grid.jp2&JTL=1,0");
        assertEquals(200, head.statusCode());
        assertEquals(0, head.body().length);
        assertEquals("image/jpeg", header(head, "Content-Type"));
        assertEquals(Integer.toString(get.body().length), header(head, "Content-Length"));
        assertEquals(header(get, "ETag"), header(head, "ETag"));
    }

    @Test
    void aPostedRequestIsReadFromTheBodyAsIipsrvDoes() throws Exception {
        java.net.http.HttpRequest post = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(http.server().baseUrl() + "/iip"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("FIF=grid.jp2&obj=IIP,1.0&obj=Max-size"))
                .header("Content-Type", "application/x-www-form-urlencoded").build();
        HttpResponse<byte[]> r = java.net.http.HttpClient.newHttpClient().send(post,
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        assertEquals(text(iip("FIF=grid.jp2&obj=IIP,1.0&obj=Max-size")), text(r));
    }

    @Test
    void optionsGives204WithAllow() {
        HttpResponse<byte[]> r = http.send("OPTIONS", "/iip?FIF=grid.jp2&JTL=1,0");
        assertEquals(204, r.statusCode());
        assertNotNull(header(r, "Allow"));
        assertTrue(header(r, "Allow").contains("GET"));
        assertEquals(0, r.body().length);
    }

    @Test
    void corsIsSentUnlessTheSettingIsEmpty() {
        assertEquals("*", header(ok(iip("FIF=grid.jp2&obj=Max-size")), "Access-Control-Allow-Origin"));
        assertEquals("*", header(ok(iip("FIF=grid.jp2&JTL=0,0")), "Access-Control-Allow-Origin"));
        assertEquals("*", header(iip("FIF=nothere.jp2&JTL=0,0"), "Access-Control-Allow-Origin"));
        assertNull(header(capped.get("/iip?FIF=grid.jp2&obj=Max-size"), "Access-Control-Allow-Origin"));
    }

    @Test
    void iipAnswersAtEveryIipsrvPath() {
        byte[] expected = ok(iip("FIF=grid.jp2&JTL=0,0")).body();
        for (String path : List.of("/iip", "/fcgi-bin/iipsrv.fcgi", "/iipsrv/iipsrv.fcgi")) {
            HttpResponse<byte[]> r = http.get(path + "?FIF=grid.jp2&obj=Max-size");
            assertEquals("\r\nMax-size:1000 700\r\n", text(r), path);
            assertArrayEquals(expected, ok(http.get(path + "?FIF=grid.jp2&JTL=0,0")).body(), path);
        }
    }

    @Test
    void absurdNumbersGiveA4xxAndTheServerCarriesOn() {
        List<String> absurd = List.of("JTL=99999999999,0", "JTL=0,99999999999", "JTL=-1,0", "JTL=0,-1",
                "JTL=2147483647,2147483647", "JTL=,", "JTL=a,b,c", "TIL=2,0-99999999999",
                "RGN=nan,nan,nan,nan&WID=100&CVT=jpeg", "RGN=2,2,1,1&CVT=jpeg", "RGN=1,1,0.5,0.5&CVT=jpeg",
                "RGN=1e400,0,1,1&WID=10&CVT=jpeg", "WID=-5&HEI=-5&RGN=0,0,0.01,0.01&CVT=jpeg",
                "WID=99999999999&HEI=1&CVT=jpeg", "ROT=1e308&JTL=0,0", "ROT=nan&JTL=0,0", "QLT=-99999&JTL=0,0",
                "LYR=-99999999999&JTL=0,0", "LYR=99999999999&JTL=0,0", "SHD=99999999999&JTL=0,0",
                "MINMAX=99999999999:1,0&JTL=0,0", "CTW=[]&JTL=0,0", "CTW=[1,2;3;4;5;6]&JTL=0,0",
                "GAM=-1e308&JTL=0,0", "CNT=1e308&JTL=0,0", "SPECTRA=0,0,-1,-1", "PFL=99999999999:0,0-1,1",
                "PFL=0:-5,-5-99999999,99999999");
        byte[] good = ok(iip("FIF=grid.jp2&JTL=0,0")).body();
        for (String q : absurd) {
            HttpResponse<byte[]> r = iip("FIF=grid.jp2&" + q);
            assertTrue(r.statusCode() < 500, q + " -> " + r.statusCode() + " " + text(r));
            if (q.startsWith("JTL=9") || q.startsWith("JTL=0") || q.startsWith("JTL=-") || q.startsWith("JTL=2")
                    || q.startsWith("TIL=") || q.startsWith("RGN=2") || q.startsWith("RGN=1,")) {
                assertTrue(r.statusCode() >= 400, q + " -> " + r.statusCode());
            }
            assertArrayEquals(good, ok(iip("FIF=grid.jp2&JTL=0,0")).body(), "after " + q);
        }
    }

    @Test
    void zoomifyAndDeepZoomAreAlsoIipCommands() {
        assertNotEquals(-1, text(ok(iip("Zoomify=grid.jp2/ImageProperties.xml"))).indexOf("WIDTH=\"1000\""));
        assertNotEquals(-1, text(ok(iip("DeepZoom=grid.jp2.dzi"))).indexOf("Width=\"1000\""));
    }
}
