package org.vellum.protocol.iiif;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vellum.testing.Fixtures.CELL;
import static org.vellum.testing.Fixtures.cellColour;
import static org.vellum.testing.Fixtures.decode;
import static org.vellum.testing.Fixtures.reference;
import static org.vellum.testing.Http.header;
import static org.vellum.testing.Http.text;

import java.awt.image.BufferedImage;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vellum.config.Settings;
import org.vellum.testing.Fixtures;
import org.vellum.testing.Http;
import org.vellum.testing.RawHttp;
import org.vellum.testing.RawResponse;

/**
 * IIIF Image API 3.0 and 2.1 over HTTP, one rule per test, checked against the pixels of a colour grid whose every
 * 64x64 square has its own colour (and against independent decodes of the same file for exact tiles).
 */
class IiifTest {
    @TempDir
    static Path tmp;
    static Path images;
    static Http http;

    /** 1000x700 colour grid, lossless, 5 stored levels, 256 px JPEG 2000 tiles. */
    static final String GRID = "grid.jp2";
    /** 999x701, so level sizes round up. */
    static final String ODD = "odd.jp2";

    @BeforeAll
    static void start() throws Exception {
        images = Files.createDirectories(tmp.resolve("images"));
        Fixtures.write(images, GRID, Fixtures.colourGrid(1000, 700), Fixtures.lossless(5, 256));
        Fixtures.write(images, ODD, Fixtures.colourGrid(999, 701), Fixtures.lossless(5, 0));
        Fixtures.write(images, "grey.jp2", Fixtures.greyGrid(300, 200), Fixtures.lossless(3, 0));
        // 2000x1500 needs IIP levels down to 250x188 (4 levels) but stores only 2 reductions
        Fixtures.write(images, "shallow.jp2", Fixtures.colourGrid(2000, 1500), Fixtures.lossless(2, 512));
        Path sub = Files.createDirectories(images.resolve("sub/dir"));
        Fixtures.write(sub, "nested.jp2", Fixtures.colourGrid(300, 200), Fixtures.lossless(3, 0));
        http = new Http(Settings.fromEnvironment(Map.of("FILESYSTEM_PREFIX", images.toString())));
    }

    @AfterAll
    static void stop() throws Exception {
        if (http != null) http.close();
    }

    // ---- helpers ----

    /** GET {@code /iiif/<path>}; {@code ^}, which java.net.URI refuses raw, is sent as %5E. */
    static HttpResponse<byte[]> get(String path, String... headers) {
        return http.get("/iiif/" + path.replace("^", "%5E"), headers);
    }

    static BufferedImage image(String path) {
        HttpResponse<byte[]> r = get(path);
        assertEquals(200, r.statusCode(), path + ": " + text(r));
        return decode(r.body());
    }

    static void assertSize(int w, int h, BufferedImage img) {
        assertEquals(w + "x" + h, img.getWidth() + "x" + img.getHeight());
    }

    /** The pixel at (x, y) is within tol of the expected RGB in every channel. */
    static void assertColour(int expected, BufferedImage img, int x, int y, int tol) {
        int a = img.getRGB(x, y);
        for (int s = 0; s <= 16; s += 8) {
            int d = Math.abs((a >> s & 0xFF) - (expected >> s & 0xFF));
            assertTrue(d <= tol, String.format("pixel (%d,%d) is %06x, expected %06x", x, y, a & 0xFFFFFF,
                    expected & 0xFFFFFF));
        }
    }

    static int status(String path, String... headers) {
        return get(path, headers).statusCode();
    }

    static Map<String, Object> json(HttpResponse<byte[]> r) {
        assertEquals(200, r.statusCode(), text(r));
        return MiniJson.parse(text(r));
    }

    // ---- info.json ----

    @Test
    void infoJson3DescribesAnImageService3AtLevel2() {
        Map<String, Object> info = json(get("3/grid.jp2/info.json"));
        assertEquals("http://iiif.io/api/image/3/context.json", info.get("@context"));
        assertEquals(http.server().baseUrl() + "/iiif/3/grid.jp2", info.get("id"));
        assertEquals("ImageService3", info.get("type"));
        assertEquals("http://iiif.io/api/image", info.get("protocol"));
        assertEquals("level2", info.get("profile"));
        assertEquals(1000L, info.get("width"));
        assertEquals(700L, info.get("height"));
        assertEquals(5000L, info.get("maxWidth"));
        assertEquals(5000L, info.get("maxHeight"));
        assertEquals(25_000_000L, info.get("maxArea"));
        assertEquals(InfoJson.extraFormats(), info.get("extraFormats"));   // webp, avif: WebpAndAvifOutputTest
        assertEquals(List.of("color", "gray", "bitonal"), info.get("extraQualities"));
        assertEquals(List.of("canonicalLinkHeader", "mirroring", "profileLinkHeader", "rotationArbitrary",
                "sizeUpscaling"), info.get("extraFeatures"));
    }

    @Test
    void infoJsonSizesListEveryLevelSmallestFirst() {
        assertEquals(List.of(Map.of("width", 250L, "height", 175L), Map.of("width", 500L, "height", 350L),
                Map.of("width", 1000L, "height", 700L)), json(get("3/grid.jp2/info.json")).get("sizes"));
        assertEquals(List.of(Map.of("width", 250L, "height", 176L), Map.of("width", 500L, "height", 351L),
                Map.of("width", 999L, "height", 701L)), json(get("2/odd.jp2/info.json")).get("sizes"));
    }

    @Test
    void infoJsonTileScaleFactorsMatchTheStoredLevels() {
        assertEquals(List.of(Map.of("width", 256L, "height", 256L, "scaleFactors", List.of(1L, 2L, 4L))),
                json(get("3/grid.jp2/info.json")).get("tiles"));
        // four IIP levels, but the file stores only full size, 1/2 and 1/4
        assertEquals(List.of(Map.of("width", 256L, "height", 256L, "scaleFactors", List.of(1L, 2L, 4L))),
                json(get("3/shallow.jp2/info.json")).get("tiles"));
        assertEquals(4, ((List<?>) json(get("3/shallow.jp2/info.json")).get("sizes")).size());
    }

    @Test
    void infoJson2HasAtIdAndALevel2ProfileWithWhatIsSupported() {
        Map<String, Object> info = json(get("2/grid.jp2/info.json"));
        assertEquals("http://iiif.io/api/image/2/context.json", info.get("@context"));
        assertEquals(http.server().baseUrl() + "/iiif/2/grid.jp2", info.get("@id"));
        assertNull(info.get("id"));
        List<?> profile = (List<?>) info.get("profile");
        assertEquals("http://iiif.io/api/image/2/level2.json", profile.get(0));
        Map<?, ?> extra = (Map<?, ?>) profile.get(1);
        assertEquals(List.of("jpg", "png", "tif", "gif"), ((List<?>) extra.get("formats")).subList(0, 4));
        assertEquals(List.of("default", "color", "gray", "bitonal"), extra.get("qualities"));
        List<?> supports = (List<?>) extra.get("supports");
        for (String f : List.of("baseUriRedirect", "cors", "jsonldMediaType", "mirroring", "regionByPct",
                "regionByPx", "regionSquare", "rotationArbitrary", "rotationBy90s", "sizeAboveFull",
                "sizeByConfinedWh", "sizeByDistortedWh", "sizeByH", "sizeByPct", "sizeByW", "sizeByWh")) {
            assertTrue(supports.contains(f), f);
        }
        assertEquals(5000L, extra.get("maxWidth"));
    }

    @Test
    void colorIsAdvertisedOnlyForColourImages() {
        assertEquals(List.of("gray", "bitonal"), json(get("3/grey.jp2/info.json")).get("extraQualities"));
    }

    @Test
    void infoJsonIsJsonLdOnlyWhenTheClientAcceptsIt() {
        for (String v : new String[] {"2", "3"}) {
            String context = "http://iiif.io/api/image/" + v + "/context.json";
            HttpResponse<byte[]> plain = get(v + "/grid.jp2/info.json");
            assertEquals("application/json", header(plain, "Content-Type"));
            assertEquals("<" + context + ">;rel=\"http://www.w3.org/ns/json-ld#context\";type=\"application/ld+json\"",
                    header(plain, "Link"));
            HttpResponse<byte[]> ld = get(v + "/grid.jp2/info.json", "Accept",
                    "application/ld+json;profile=\"" + context + "\"");
            assertEquals("application/ld+json;profile=\"" + context + "\"", header(ld, "Content-Type"));
            assertNull(header(ld, "Link"));
            assertEquals("Accept", header(ld, "Vary"));
            assertEquals(text(plain), text(ld));
        }
    }

    @Test
    void idsHonourBaseUrlThenForwardedHeadersThenTheRequest() throws Exception {
        assertEquals("https://proxy.example:8443/iiif/3/grid.jp2", json(get("3/grid.jp2/info.json",
                "X-Forwarded-Proto", "https", "X-Forwarded-Host", "proxy.example:8443")).get("id"));
        assertEquals("https://fwd.example/iiif/2/grid.jp2", json(get("2/grid.jp2/info.json",
                "Forwarded", "for=1.2.3.4;proto=https;host=fwd.example")).get("@id"));
        Map<String, String> env = new HashMap<>(Map.of("FILESYSTEM_PREFIX", images.toString(),
                "BASE_URL", "https://images.example.org/vellum/", "IIIF_PREFIX", "img/"));
        try (Http based = new Http(Settings.fromEnvironment(env))) {
            HttpResponse<byte[]> r = based.get("/img/3/grid.jp2/info.json", "X-Forwarded-Host", "ignored.example");
            assertEquals("https://images.example.org/vellum/img/3/grid.jp2", MiniJson.parse(text(r)).get("id"));
            HttpResponse<byte[]> redirect = based.get("/img/2/grid.jp2");
            assertEquals(303, redirect.statusCode());
            assertEquals("https://images.example.org/vellum/img/2/grid.jp2/info.json", header(redirect, "Location"));
        }
    }

    @Test
    void theBaseUriRedirectsWith303ToInfoJson() {
        HttpResponse<byte[]> r = get("3/grid.jp2");
        assertEquals(303, r.statusCode());
        assertEquals(http.server().baseUrl() + "/iiif/3/grid.jp2/info.json", header(r, "Location"));
        assertEquals("*", header(r, "Access-Control-Allow-Origin"));
        assertEquals(303, status("2/sub%2Fdir%2Fnested.jp2"));
        assertEquals(http.server().baseUrl() + "/iiif/2/sub%2Fdir%2Fnested.jp2/info.json",
                header(get("2/sub%2Fdir%2Fnested.jp2"), "Location"));
        assertEquals(404, status("3/missing.jp2"));
    }

    @Test
    void anEncodedSlashInAnIdentifierIsASlashOfTheFilePath() {
        Map<String, Object> info = json(get("3/sub%2Fdir%2Fnested.jp2/info.json"));
        assertEquals(http.server().baseUrl() + "/iiif/3/sub%2Fdir%2Fnested.jp2", info.get("id"));
        assertEquals(300L, info.get("width"));
        BufferedImage img = image("3/sub%2Fdir%2Fnested.jp2/64,0,64,64/max/0/default.png");
        assertColour(cellColour(1, 0), img, 32, 32, 0);
        // decoded once only: %252F is a literal "%2F" in the name, which does not exist
        assertEquals(404, status("3/sub%252Fdir%252Fnested.jp2/info.json"));
    }

    @Test
    void identifiersNeverLeaveTheImageFolder() {
        Fixtures.write(tmp, "outside.jp2", Fixtures.colourGrid(100, 100), Fixtures.lossless(1, 0));
        for (String id : new String[] {"..%2Foutside.jp2", "sub%2F..%2F..%2Foutside.jp2", "%2E%2E%2Foutside.jp2",
                "%2F..%2F..%2Foutside.jp2"}) {
            int s = status("3/" + id + "/info.json");
            assertTrue(s == 403 || s == 404 || s == 400, id + " gave " + s);
        }
    }

    @Test
    void unknownIdentifiersAre404WithAShortText() {
        HttpResponse<byte[]> r = get("3/nothing.jp2/info.json");
        assertEquals(404, r.statusCode());
        assertTrue(header(r, "Content-Type").startsWith("text/plain"));
        assertTrue(text(r).startsWith("IIIF: ") && text(r).length() < 200, text(r));
        assertEquals(404, status("3/nothing.jp2/full/max/0/default.jpg"));
        assertEquals(404, status("4/grid.jp2/info.json"));
    }

    // ---- region ----

    @Test
    void fullRegionIsTheWholeImage() {
        BufferedImage img = image("3/grid.jp2/full/max/0/default.png");
        assertSize(1000, 700, img);
        assertArrayEquals(reference(images.resolve(GRID), 0, 0, 1000, 700, 0).getRGB(0, 0, 1000, 700, null, 0, 1000),
                img.getRGB(0, 0, 1000, 700, null, 0, 1000));
    }

    @Test
    void pixelRegionIsThoseFullResolutionPixels() {
        for (String v : new String[] {"2", "3"}) {
            BufferedImage img = image(v + "/grid.jp2/130,70,200,100/max/0/default.png".replace("max", v.equals("2") ? "full" : "max"));
            assertSize(200, 100, img);
            BufferedImage ref = reference(images.resolve(GRID), 130, 70, 200, 100, 0);
            assertArrayEquals(ref.getRGB(0, 0, 200, 100, null, 0, 200), img.getRGB(0, 0, 200, 100, null, 0, 200));
        }
    }

    @Test
    void percentRegionIsAFractionOfTheFullImage() {
        // 10%,20% of 1000x700 = (100,140); 25.6%x18.29% = 256x128
        BufferedImage img = image("3/grid.jp2/pct:10,20,25.6,18.2857/max/0/default.png");
        assertSize(256, 128, img);
        assertArrayEquals(reference(images.resolve(GRID), 100, 140, 256, 128, 0).getRGB(0, 0, 256, 128, null, 0, 256),
                img.getRGB(0, 0, 256, 128, null, 0, 256));
    }

    @Test
    void squareRegionIsTheCentredSquareOfTheShortSide() {
        BufferedImage img = image("3/grid.jp2/square/max/0/default.png");
        assertSize(700, 700, img);
        // x from 150: the first full square is column 3 (192..255), at 42..105 of the output
        assertColour(cellColour(2, 0), img, 10, 10, 0);
        assertColour(cellColour(3, 5), img, 192 - 150 + 32, 5 * CELL + 32, 0);
    }

    @Test
    void aRegionPartlyOutsideIsClippedToTheImage() {
        BufferedImage img = image("3/grid.jp2/900,600,500,500/max/0/default.png");
        assertSize(100, 100, img);
        assertColour(cellColour(14, 10), img, 50, 50, 0);
        assertSize(100, 70, image("3/grid.jp2/pct:90,90,50,50/max/0/default.png"));
    }

    @Test
    void aRegionEntirelyOutsideTheImageIs400() {
        assertEquals(400, status("3/grid.jp2/1000,0,10,10/max/0/default.jpg"));
        assertEquals(400, status("3/grid.jp2/0,700,10,10/max/0/default.jpg"));
        assertEquals(400, status("2/grid.jp2/5000,5000,10,10/full/0/default.jpg"));
        assertEquals(400, status("3/grid.jp2/pct:100,0,10,10/max/0/default.jpg"));
    }

    @Test
    void malformedRegionsAre400() {
        for (String r : new String[] {"0,0,0,10", "0,0,10", "a,b,c,d", "-1,0,10,10", "pct:0,0,0,5", "full2",
                "1.5,0,10,10", "pct:0,0,x,5"}) {
            assertEquals(400, status("3/grid.jp2/" + r + "/max/0/default.jpg"), r);
        }
    }

    // ---- size ----

    @Test
    void sizeFormsGiveTheSpecifiedDimensions3() {
        Object[][] cases = {
                {"max", 1000, 700}, {"500,", 500, 350}, {",350", 500, 350}, {"pct:25", 250, 175},
                {"300,300", 300, 300}, {"!300,300", 300, 210}, {"!1000,100", 143, 100}, {"^max", 5000, 3500},
                {"^1200,", 1200, 840}, {"^,1400", 2000, 1400}, {"^pct:150", 1500, 1050}, {"^1200,800", 1200, 800},
                {"^!2000,2000", 2000, 1400}, {"!2000,2000", 1000, 700}};
        for (Object[] c : cases) {
            BufferedImage img = image("3/grid.jp2/full/" + c[0] + "/0/default.jpg");
            assertEquals(c[1] + "x" + c[2], img.getWidth() + "x" + img.getHeight(), (String) c[0]);
        }
    }

    @Test
    void sizeFormsGiveTheSpecifiedDimensions2() {
        Object[][] cases = {
                {"full", 1000, 700}, {"max", 1000, 700}, {"500,", 500, 350}, {",350", 500, 350},
                {"pct:25", 250, 175}, {"300,300", 300, 300}, {"!300,300", 300, 210}, {"1200,", 1200, 840},
                {"pct:150", 1500, 1050}, {"!2000,2000", 2000, 1400}};
        for (Object[] c : cases) {
            BufferedImage img = image("2/grid.jp2/full/" + c[0] + "/0/default.jpg");
            assertEquals(c[1] + "x" + c[2], img.getWidth() + "x" + img.getHeight(), (String) c[0]);
        }
    }

    @Test
    void scaledPixelsAreTheRegionsPixelsScaled() {
        // 512x256 of squares scaled to half: each square is 32x32, its centre the square's colour
        BufferedImage img = image("3/grid.jp2/256,128,512,256/256,/0/default.png");
        assertSize(256, 128, img);
        for (int cy = 0; cy < 4; cy++) {
            for (int cx = 0; cx < 8; cx++) assertColour(cellColour(4 + cx, 2 + cy), img, cx * 32 + 16, cy * 32 + 16, 2);
        }
        BufferedImage distorted = image("3/grid.jp2/0,0,128,128/128,32/0/default.png");
        assertColour(cellColour(1, 1), distorted, 96, 24, 2);
        BufferedImage up = image("3/grid.jp2/0,0,128,64/^256,/0/default.png");
        assertSize(256, 128, up);
        assertColour(cellColour(1, 0), up, 192, 64, 2);
    }

    @Test
    void upscalingWithoutCaretIsRejectedInIiif3() {
        for (String s : new String[] {"1001,", ",701", "pct:101", "1001,700", "1000,701"}) {
            HttpResponse<byte[]> r = get("3/grid.jp2/full/" + s + "/0/default.jpg");
            assertEquals(400, r.statusCode(), s);
            assertTrue(text(r).contains("^"), text(r));
        }
        assertEquals(400, status("3/grid.jp2/0,0,100,100/101,/0/default.jpg"));
    }

    /** Clients (curl, viewers) send the caret as it is; Jetty refuses it by default as a character RFC 3986 lacks. */
    @Test
    void aRawCaretReachesTheSizeParserAsThePercentEncodedOneDoes() throws Exception {
        for (String size : new String[] {"^max", "^1500,", "^,1050", "^pct:150"}) {
            RawResponse raw = RawHttp.get(http.server().baseUrl(), "/iiif/3/grid.jp2/full/" + size + "/0/default.jpg");
            assertEquals(200, raw.status(), () -> size + ": " + raw.bodyText());
            assertArrayEquals(get("3/grid.jp2/full/" + size + "/0/default.jpg").body(), raw.body(), size);
            if (!size.equals("^max")) assertSize(1500, 1050, decode(raw.body()));
        }
        // in IIIF 2 the caret is no syntax: IIIF's 400, not Jetty's
        RawResponse v2 = RawHttp.get(http.server().baseUrl(), "/iiif/2/grid.jp2/full/^max/0/default.jpg");
        assertEquals(400, v2.status());
        assertTrue(v2.bodyText().startsWith("IIIF: "), v2.bodyText());
    }

    @Test
    void upscalingNeedsNoCaretInIiif2AndTheCaretIsNotItsSyntax() {
        assertSize(200, 200, image("2/grid.jp2/0,0,100,100/200,/0/default.jpg"));
        assertEquals(400, status("2/grid.jp2/full/^max/0/default.jpg"));
        assertEquals(400, status("2/grid.jp2/full/^200,/0/default.jpg"));
    }

    @Test
    void fullIsNotASizeInIiif3() {
        assertEquals(400, status("3/grid.jp2/full/full/0/default.jpg"));
    }

    @Test
    void malformedAndZeroSizesAre400() {
        for (String s : new String[] {"0,", ",0", "0,10", "pct:0", ",", "!100,", "abc", "10.5,", "pct:-5", "^"}) {
            assertEquals(400, status("3/grid.jp2/full/" + s + "/0/default.jpg"), s);
        }
        assertEquals(400, status("3/grid.jp2/full/pct:0.01/0/default.jpg"), "rounds to zero pixels");
    }

    @Test
    void widthOfALevelGivesThatLevelsHeight() {
        // 701 / 4 = 175.25: the level is 176 high, the aspect alone would round to 175
        assertSize(250, 176, image("3/odd.jp2/full/250,/0/default.jpg"));
        assertSize(250, 176, image("2/odd.jp2/full/250,/0/default.jpg"));
        assertSize(250, 176, image("3/odd.jp2/full/,176/0/default.jpg"));
    }

    @Test
    void sizesAboveTheLimitsAre400ButMaxIsCapped() throws Exception {
        Map<String, String> env = Map.of("FILESYSTEM_PREFIX", images.toString(), "MAX_CVT", "600",
                "IIIF_MAX_AREA", "200000");
        try (Http limited = new Http(Settings.fromEnvironment(env))) {
            Map<String, Object> info = MiniJson.parse(text(limited.get("/iiif/3/grid.jp2/info.json")));
            assertEquals(600L, info.get("maxWidth"));
            assertEquals(200000L, info.get("maxArea"));
            // only the sizes the limits allow
            assertEquals(List.of(Map.of("width", 250L, "height", 175L), Map.of("width", 500L, "height", 350L)),
                    info.get("sizes"));
            // max: the largest within 600 wide and 200000 pixels, aspect kept (534x373 = 199182)
            BufferedImage max = decode(limited.get("/iiif/3/grid.jp2/full/max/0/default.jpg").body());
            assertTrue(max.getWidth() <= 600 && (long) max.getWidth() * max.getHeight() <= 200000
                    && max.getWidth() >= 530, max.getWidth() + "x" + max.getHeight());
            assertEquals(Math.round(max.getWidth() * 0.7), max.getHeight(), 1.0);
            BufferedImage full2 = decode(limited.get("/iiif/2/grid.jp2/full/full/0/default.jpg").body());
            assertEquals(max.getWidth(), full2.getWidth());
            assertEquals(400, limited.get("/iiif/3/grid.jp2/full/601,/0/default.jpg").statusCode());
            assertEquals(400, limited.get("/iiif/3/grid.jp2/full/550,/0/default.jpg").statusCode(), "area");
            assertEquals(400, limited.get("/iiif/2/grid.jp2/full/601,/0/default.jpg").statusCode());
            assertEquals(200, limited.get("/iiif/3/grid.jp2/full/500,/0/default.jpg").statusCode());
            // !w,h fits the limits rather than failing
            BufferedImage confined = decode(limited.get("/iiif/3/grid.jp2/full/!900,900/0/default.jpg").body());
            assertEquals(max.getWidth(), confined.getWidth());
        }
    }

    @Test
    void upscalingTurnedOffIsNotImplementedAndNotAdvertised() throws Exception {
        Map<String, String> env = Map.of("FILESYSTEM_PREFIX", images.toString(), "ALLOW_UPSCALING", "0");
        try (Http strict = new Http(Settings.fromEnvironment(env))) {
            Map<String, Object> info = MiniJson.parse(text(strict.get("/iiif/3/grid.jp2/info.json")));
            assertTrue(!((List<?>) info.get("extraFeatures")).contains("sizeUpscaling"));
            assertEquals(501, strict.get("/iiif/3/grid.jp2/full/%5E1200,/0/default.jpg").statusCode());
            assertEquals(501, strict.get("/iiif/2/grid.jp2/full/1200,/0/default.jpg").statusCode());
            BufferedImage max = decode(strict.get("/iiif/3/grid.jp2/full/%5Emax/0/default.jpg").body());
            assertSize(1000, 700, max);
        }
    }

    // ---- rotation ----

    @Test
    void rotationBy90sTurnsClockwise() {
        // region of 4x2 squares; clockwise 90: (x, y) -> (h-1-y, x)
        BufferedImage r90 = image("3/grid.jp2/0,0,256,128/max/90/default.png");
        assertSize(128, 256, r90);
        BufferedImage r180 = image("3/grid.jp2/0,0,256,128/max/180/default.png");
        BufferedImage r270 = image("3/grid.jp2/0,0,256,128/max/270/default.png");
        for (int cy = 0; cy < 2; cy++) {
            for (int cx = 0; cx < 4; cx++) {
                int x = cx * CELL + 32;
                int y = cy * CELL + 32;
                assertColour(cellColour(cx, cy), r90, 127 - y, x, 0);
                assertColour(cellColour(cx, cy), r180, 255 - x, 127 - y, 0);
                assertColour(cellColour(cx, cy), r270, y, 255 - x, 0);
            }
        }
        assertArrayEquals(image("3/grid.jp2/0,0,256,128/max/0/default.png").getRGB(0, 0, 256, 128, null, 0, 256),
                image("3/grid.jp2/0,0,256,128/max/360/default.png").getRGB(0, 0, 256, 128, null, 0, 256));
    }

    @Test
    void mirroringFlipsHorizontallyBeforeRotating() {
        BufferedImage m = image("3/grid.jp2/0,0,256,128/max/!0/default.png");
        BufferedImage m90 = image("2/grid.jp2/0,0,256,128/full/!90/default.png");
        assertSize(128, 256, m90);
        for (int cy = 0; cy < 2; cy++) {
            for (int cx = 0; cx < 4; cx++) {
                int x = 255 - (cx * CELL + 32);     // mirrored
                int y = cy * CELL + 32;
                assertColour(cellColour(cx, cy), m, x, y, 0);
                assertColour(cellColour(cx, cy), m90, 127 - y, x, 0);
            }
        }
    }

    /** Where source point (x, y) of a w x h image lands after a clockwise turn by deg onto its bounding box. */
    static int[] turned(double x, double y, int w, int h, double deg, int ow, int oh) {
        double a = Math.toRadians(deg);
        double dx = x - w / 2.0;
        double dy = y - h / 2.0;
        return new int[] {(int) Math.floor(dx * Math.cos(a) - dy * Math.sin(a) + ow / 2.0),
                (int) Math.floor(dx * Math.sin(a) + dy * Math.cos(a) + oh / 2.0)};
    }

    @Test
    void arbitraryRotationGivesTheBoundingBoxWithTransparentCornersInPng() {
        for (String v : new String[] {"2", "3"}) {
            BufferedImage img = image(v + "/grid.jp2/0,0,256,128/" + (v.equals("2") ? "full" : "max")
                    + "/30/default.png");
            // 256 cos 30 + 128 sin 30 = 285.7; 256 sin 30 + 128 cos 30 = 238.9
            assertSize(286, 239, img);
            assertTrue(img.getColorModel().hasAlpha());
            assertEquals(0, img.getRGB(0, 0) >>> 24, "corner is transparent");
            assertEquals(0, img.getRGB(285, 238) >>> 24, "corner is transparent");
            for (int cy = 0; cy < 2; cy++) {
                for (int cx = 0; cx < 4; cx++) {
                    int[] p = turned(cx * CELL + 32, cy * CELL + 32, 256, 128, 30, 286, 239);
                    assertEquals(255, img.getRGB(p[0], p[1]) >>> 24);
                    assertColour(cellColour(cx, cy), img, p[0], p[1], 2);
                }
            }
        }
    }

    @Test
    void arbitraryRotationHasWhiteCornersInJpeg() {
        BufferedImage img = image("3/grid.jp2/0,0,256,128/max/22.5/default.jpg");
        // 256 cos 22.5 + 128 sin 22.5 = 285.49; 256 sin 22.5 + 128 cos 22.5 = 216.22
        assertSize(285, 216, img);
        assertColour(0xFFFFFF, img, 2, 2, 6);
        assertColour(0xFFFFFF, img, 282, 213, 6);
        int[] p = turned(96, 96, 256, 128, 22.5, 285, 216);
        assertColour(cellColour(1, 1), img, p[0], p[1], 12);
    }

    @Test
    void rotationIsADecimalFrom0To360() {
        assertEquals(200, status("3/grid.jp2/0,0,64,64/max/359.99/default.jpg"));
        assertEquals(200, status("3/grid.jp2/0,0,64,64/max/.5/default.jpg"));
        assertEquals(200, status("3/grid.jp2/0,0,64,64/max/!360/default.jpg"));
        for (String r : new String[] {"361", "-90", "abc", "90deg", "!!90", "1e2", ""}) {
            assertEquals(400, status("3/grid.jp2/0,0,64,64/max/" + r + "/default.jpg"), r);
        }
    }

    // ---- quality ----

    @Test
    void grayQualityGivesTheLuminance() {
        BufferedImage img = image("3/grid.jp2/0,0,256,128/max/0/gray.png");
        assertEquals(1, img.getRaster().getNumBands());
        for (int cx = 0; cx < 4; cx++) {
            int c = cellColour(cx, 1);
            int y = (int) Math.round(Fixtures.luma(c));
            assertEquals(y, img.getRaster().getSample(cx * CELL + 32, 96, 0), 1.0);
        }
    }

    @Test
    void bitonalQualityIsBlackOrWhiteByLuminance() {
        BufferedImage img = image("3/grid.jp2/full/max/0/bitonal.png");
        for (int cy = 0; cy < 10; cy++) {
            for (int cx = 0; cx < 15; cx++) {
                int v = img.getRaster().getSample(cx * CELL + 32, cy * CELL + 32, 0);
                assertEquals(Fixtures.luma(cellColour(cx, cy)) >= 128 ? 255 : 0, v, cx + "," + cy);
            }
        }
    }

    @Test
    void colorAndDefaultQualitiesAreTheImagesColours() {
        for (String q : new String[] {"default", "color"}) {
            for (String v : new String[] {"2", "3"}) {
                BufferedImage img = image(v + "/grid.jp2/64,64,64,64/" + (v.equals("2") ? "full" : "max") + "/0/" + q
                        + ".png");
                assertColour(cellColour(1, 1), img, 32, 32, 0);
            }
        }
    }

    @Test
    void unknownQualitiesAre400() {
        for (String q : new String[] {"grey", "native", "negative", "", "Default"}) {
            assertEquals(400, status("3/grid.jp2/full/max/0/" + q + ".jpg"), q);
        }
    }

    // ---- format ----

    @Test
    void everyAdvertisedFormatIsServedWithItsMediaType() {
        String[][] formats = {{"jpg", "image/jpeg", "10"}, {"png", "image/png", "0"}, {"tif", "image/tiff", "0"},
                {"gif", "image/gif", "8"}};
        for (String v : new String[] {"2", "3"}) {
            for (String[] f : formats) {
                HttpResponse<byte[]> r = get(v + "/grid.jp2/0,0,256,192/" + (v.equals("2") ? "full" : "max")
                        + "/0/default." + f[0]);
                assertEquals(200, r.statusCode(), f[0]);
                assertEquals(f[1], header(r, "Content-Type"));
                BufferedImage img = decode(r.body());
                assertSize(256, 192, img);
                for (int cy = 0; cy < 3; cy++) {
                    for (int cx = 0; cx < 4; cx++) {
                        assertColour(cellColour(cx, cy), img, cx * CELL + 32, cy * CELL + 32, Integer.parseInt(f[2]));
                    }
                }
            }
        }
    }

    @Test
    void knownFormatsNotOfferedAre501AndUnknownOnes400() {
        for (String f : new String[] {"jp2", "pdf"}) {
            HttpResponse<byte[]> r = get("3/grid.jp2/full/max/0/default." + f);
            assertEquals(501, r.statusCode(), f);
            assertTrue(text(r).startsWith("IIIF: "), text(r));
        }
        assertEquals(400, status("3/grid.jp2/full/max/0/default.bmp"));
        assertEquals(400, status("3/grid.jp2/full/max/0/default"));
        assertEquals(400, status("2/grid.jp2/full/full/0/default.jpeg"));
    }

    // ---- HTTP ----

    @Test
    void corsIsOpenByDefaultOnEveryResponseOfEveryProtocol() {
        assertEquals("*", header(get("3/grid.jp2/info.json"), "Access-Control-Allow-Origin"));
        assertEquals("*", header(get("3/grid.jp2/full/pct:10/0/default.jpg"), "Access-Control-Allow-Origin"));
        assertEquals("*", header(get("3/grid.jp2/full/0,/0/default.jpg"), "Access-Control-Allow-Origin"));
        assertEquals("*", header(get("3/nothing.jp2/info.json"), "Access-Control-Allow-Origin"));
        HttpResponse<byte[]> pre = http.send("OPTIONS", "/iiif/3/grid.jp2/info.json", "Origin", "http://viewer.example",
                "Access-Control-Request-Method", "GET");
        assertEquals(204, pre.statusCode());
        assertEquals("*", header(pre, "Access-Control-Allow-Origin"));
        // one rule for every protocol: IIP, Zoomify and Deep Zoom are open by default too
        assertEquals("*", header(http.get("/iip?FIF=grid.jp2&JTL=0,0"), "Access-Control-Allow-Origin"));
        assertEquals("*", header(http.get("/zoomify/grid.jp2/ImageProperties.xml"), "Access-Control-Allow-Origin"));
        assertEquals("*", header(http.get("/deepzoom/grid.jp2.dzi"), "Access-Control-Allow-Origin"));
    }

    @Test
    void lastModifiedAndETagGive304LikeIip() {
        for (String path : new String[] {"3/grid.jp2/info.json", "2/grid.jp2/0,0,256,256/256,/0/default.jpg"}) {
            HttpResponse<byte[]> first = get(path);
            String etag = header(first, "ETag");
            String lm = header(first, "Last-Modified");
            assertTrue(etag != null && etag.startsWith("\""), path);
            assertEquals(http.server().vellum().settings().cacheControl(), header(first, "Cache-Control"));
            assertEquals(304, get(path, "If-None-Match", etag).statusCode());
            assertEquals(304, get(path, "If-Modified-Since", lm).statusCode());
            assertEquals(200, get(path, "If-None-Match", "\"other\"").statusCode());
            assertEquals(200, get(path, "If-Modified-Since", "Thu, 01 Jan 1998 00:00:00 GMT").statusCode());
        }
        assertTrue(!header(get("3/grid.jp2/full/max/0/default.jpg"), "ETag")
                .equals(header(get("3/grid.jp2/full/max/0/default.png"), "ETag")));
    }

    @Test
    void headGivesTheHeadersOnly() {
        HttpResponse<byte[]> head = http.send("HEAD", "/iiif/3/grid.jp2/full/pct:10/0/default.jpg");
        assertEquals(200, head.statusCode());
        assertEquals(0, head.body().length);
        assertEquals("image/jpeg", header(head, "Content-Type"));
    }

    @Test
    void imagesCarryTheProfileAndCanonicalLinkHeaders() {
        HttpResponse<byte[]> r = get("3/grid.jp2/pct:0,0,50,50/250,/!90.50/color.jpg");
        List<String> links = r.headers().allValues("Link");
        assertTrue(links.contains("<http://iiif.io/api/image/3/level2.json>;rel=\"profile\""), links.toString());
        assertTrue(links.contains("<" + http.server().baseUrl()
                + "/iiif/3/grid.jp2/0,0,500,350/250,175/!90.5/color.jpg>;rel=\"canonical\""), links.toString());
        List<String> links2 = get("2/grid.jp2/full/500,/0/default.jpg").headers().allValues("Link");
        assertTrue(links2.contains("<http://iiif.io/api/image/2/level2.json>;rel=\"profile\""), links2.toString());
        assertTrue(links2.contains("<" + http.server().baseUrl() + "/iiif/2/grid.jp2/full/500,/0/default.jpg>;"
                + "rel=\"canonical\""), links2.toString());
        assertTrue(get("3/grid.jp2/full/max/0/default.jpg").headers().allValues("Link")
                .contains("<" + http.server().baseUrl() + "/iiif/3/grid.jp2/full/max/0/default.jpg>;rel=\"canonical\""));
    }

    // ---- tiles ----

    @Test
    void aTileOfInfoJsonIsExactlyThatAreaOfOneStoredLevelDecodedOnce() throws Exception {
        // every tile of every scale factor, as a viewer asks for it ("w," in v2, "w,h" in v3)
        for (String file : new String[] {GRID, ODD}) {
            Map<String, Object> info = json(get("3/" + file + "/info.json"));
            int w = ((Long) info.get("width")).intValue();
            int h = ((Long) info.get("height")).intValue();
            for (int d = 0; d <= 2; d++) {
                int s = 1 << d;
                int span = 256 * s;
                for (int y = 0; y < h; y += span) {
                    for (int x = 0; x < w; x += span) {
                        int rw = Math.min(span, w - x);
                        int rh = Math.min(span, h - y);
                        int tw = (rw + s - 1) / s;
                        int th = Fixtures.reduced(y + rh, d) - Fixtures.reduced(y, d);
                        // a whole level the request starts decoding beside it (one band: levels here are small)
                        // is an investment, not the tile's decode
                        assertTrue(http.server().vellum().engine().awaitInvestments(30, TimeUnit.SECONDS));
                        long levelsBefore = http.server().vellum().engine().stats().levels().decoded();
                        long before = http.server().vellum().engine().pool().stats().borrowed();
                        BufferedImage t = image("3/" + file + "/" + x + "," + y + "," + rw + "," + rh + "/" + tw + ","
                                + th + "/0/default.png");
                        assertTrue(http.server().vellum().engine().awaitInvestments(30, TimeUnit.SECONDS));
                        long decodes = http.server().vellum().engine().pool().stats().borrowed() - before
                                - (http.server().vellum().engine().stats().levels().decoded() - levelsBefore);
                        assertTrue(decodes <= 1, decodes + " decodes for tile " + x + "," + y + " at 1/" + s
                                + " (none when its whole level is already in LEVEL_CACHE_SIZE)");
                        BufferedImage ref = reference(images.resolve(file), x, y, rw, rh, d);
                        assertSize(ref.getWidth(), ref.getHeight(), t);
                        assertArrayEquals(ref.getRGB(0, 0, tw, th, null, 0, tw), t.getRGB(0, 0, tw, th, null, 0, tw),
                                file + " tile " + x + "," + y + " at 1/" + s);
                        BufferedImage v2 = image("2/" + file + "/" + x + "," + y + "," + rw + "," + rh + "/" + tw
                                + ",/0/default.png");
                        assertArrayEquals(ref.getRGB(0, 0, tw, th, null, 0, tw), v2.getRGB(0, 0, tw, th, null, 0, tw));
                    }
                }
            }
        }
    }
}
