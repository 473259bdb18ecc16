package org.vellum.protocol.iip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vellum.testing.Http.header;
import static org.vellum.testing.Http.text;

import java.awt.image.BufferedImage;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.function.IntUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vellum.config.Settings;
import org.vellum.testing.Fixtures;
import org.vellum.testing.Http;

/**
 * IIP's pixel operations and its less common outputs, checked on exact pixels: PTL tiles are PNG, so every sample
 * of the lossless colour grid can be compared with the operation applied to the grid's known colour.
 */
class IipPixelOperationsTest {
    @TempDir
    static Path tmp;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        Path images = Files.createDirectories(tmp.resolve("images"));
        Fixtures.write(images, "grid.jp2", Fixtures.colourGrid(1000, 700), Fixtures.lossless(5, 0));
        Fixtures.write(images, "grey.jp2", Fixtures.greyGrid(999, 701), Fixtures.lossless(4, 0));
        http = new Http(Settings.fromEnvironment(Map.of("FILESYSTEM_PREFIX", images.toString())));
    }

    @AfterAll
    static void stop() throws Exception {
        if (http != null) http.close();
    }

    /** Full-resolution tile 0 (the top-left 256x256) of grid.jp2 as PNG, after the given commands. */
    private static BufferedImage tile(String commands) {
        HttpResponse<byte[]> r = http.get("/iip?FIF=grid.jp2&" + commands + (commands.isEmpty() ? "" : "&") + "PTL=2,0");
        assertEquals(200, r.statusCode(), text(r));
        assertEquals("image/png", header(r, "Content-Type"));
        return Fixtures.decode(r.body());
    }

    /** Every 64x64 cell centre of the tile equals the grid colour with {@code op} applied to each of R, G and B. */
    private static void assertCells(BufferedImage t, IntUnaryOperator r, IntUnaryOperator g, IntUnaryOperator b) {
        for (int y = 32; y < 256; y += 64) {
            for (int x = 32; x < 256; x += 64) {
                int c = Fixtures.gridColour(x, y);
                int expected = clamp(r.applyAsInt(c >> 16 & 0xFF)) << 16 | clamp(g.applyAsInt(c >> 8 & 0xFF)) << 8
                        | clamp(b.applyAsInt(c & 0xFF));
                int actual = t.getRGB(x, y) & 0xFFFFFF;
                for (int s = 0; s <= 16; s += 8) {
                    assertTrue(Math.abs((expected >> s & 0xFF) - (actual >> s & 0xFF)) <= 1,
                            String.format("(%d,%d): expected %06x, got %06x", x, y, expected, actual));
                }
            }
        }
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    @Test
    void ptlTilesArePngWithTheExactPixels() {
        assertCells(tile(""), v -> v, v -> v, v -> v);
    }

    @Test
    void gammaRaisesEachNormalisedSampleToThePower() {
        IntUnaryOperator gamma = v -> (int) Math.round(255 * Math.pow(v / 255.0, 2.0));
        assertCells(tile("GAM=2"), gamma, gamma, gamma);
    }

    @Test
    void contrastMultipliesEachSample() {
        assertCells(tile("CNT=1.5"), v -> (int) Math.round(v * 1.5), v -> (int) Math.round(v * 1.5),
                v -> (int) Math.round(v * 1.5));
    }

    @Test
    void minMaxStretchesTheGivenRangeOfOneChannel() {
        assertCells(tile("MINMAX=0:50,150"), v -> (int) Math.round((v - 50) * 255 / 100.0), v -> v, v -> v);
        IntUnaryOperator all = v -> (int) Math.round((v - 100) * 255 / 100.0);
        assertCells(tile("MINMAX=-:100,200"), all, all, all);
    }

    @Test
    void colourTwistMultipliesByTheMatrix() {
        BufferedImage swapped = tile("CTW=%5B0,0,1;0,1,0;1,0,0%5D");
        for (int y = 32; y < 256; y += 64) {
            for (int x = 32; x < 256; x += 64) {
                int c = Fixtures.gridColour(x, y);
                int expected = (c & 0xFF) << 16 | c & 0xFF00 | c >> 16 & 0xFF;
                assertEquals(expected, swapped.getRGB(x, y) & 0xFFFFFF);
            }
        }
    }

    @Test
    void invertThenGammaRunInIipsrvsOrderWhateverTheRequestOrder() {
        BufferedImage a = tile("INV&GAM=2");
        BufferedImage b = tile("GAM=2&INV");
        assertArrayEquals(a.getRGB(0, 0, 256, 256, null, 0, 256), b.getRGB(0, 0, 256, 256, null, 0, 256));
        IntUnaryOperator gammaThenInvert = v -> 255 - (int) Math.round(255 * Math.pow(v / 255.0, 2.0));
        assertCells(a, gammaThenInvert, gammaThenInvert, gammaThenInvert);
    }

    @Test
    void colourMapsTurnTheFirstChannelIntoColours() {
        BufferedImage red = tile("CMP=red");
        assertCells(red, v -> v, v -> 0, v -> 0);
        BufferedImage hot = tile("CMP=hot");
        int c = Fixtures.gridColour(32, 32) >> 16 & 0xFF;
        double t = c / 255.0;
        int expected = (int) Math.round(Math.min(1, 3 * t) * 255);
        assertTrue(Math.abs(expected - (hot.getRGB(32, 32) >> 16 & 0xFF)) <= 1);
    }

    @Test
    void hillShadingLightsAFlatAreaFromAboveFully() {
        BufferedImage shaded = tile("SHD=0,90");
        // inside a cell the height map is flat, so a light at 90 degrees elevation gives full brightness
        assertEquals(0xFFFFFF, shaded.getRGB(32, 32) & 0xFFFFFF);
        // at a cell edge the heights change and the shade drops
        boolean darker = false;
        for (int x = 60; x < 70; x++) darker |= (shaded.getRGB(x, 32) & 0xFF) < 255;
        assertTrue(darker);
    }

    @Test
    void spectraGivesEachBandsValueAtAPixelOfATile() {
        HttpResponse<byte[]> r = http.get("/iip?FIF=grid.jp2&SPECTRA=2,0,100,40");
        assertEquals(200, r.statusCode());
        assertEquals("application/xml", header(r, "Content-Type"));
        String xml = new String(r.body(), StandardCharsets.UTF_8);
        int c = Fixtures.gridColour(100, 40);
        Matcher m = Pattern.compile("<reflectance>([0-9.]+)</reflectance>").matcher(xml);
        int[] expected = {c >> 16 & 0xFF, c >> 8 & 0xFF, c & 0xFF};
        for (int band = 0; band < 3; band++) {
            assertTrue(m.find(), xml);
            assertEquals(expected[band] / 255.0, Double.parseDouble(m.group(1)), 1e-4, xml);
        }
    }

    @Test
    void profileListsTheSamplesAlongALine() {
        HttpResponse<byte[]> r = http.get("/iip?FIF=grey.jp2&PFL=2:0,10-199,10");
        assertEquals(200, r.statusCode());
        assertEquals("application/json", header(r, "Content-Type"));
        String json = new String(r.body(), StandardCharsets.UTF_8);
        assertTrue(json.startsWith("{\n\t\"profile\": ["), json);
        int[] values = Arrays.stream(json.replaceAll("[^0-9,]", "").split(",")).mapToInt(Integer::parseInt).toArray();
        assertEquals(200, values.length);
        for (int x = 0; x < 200; x++) assertEquals(Fixtures.greyOf(x, 10), values[x], "x=" + x);
    }

    @Test
    void jtlsIsJtlWithSequenceAngles() {
        assertArrayEquals(http.get("/iip?FIF=grid.jp2&JTL=1,2").body(), http.get("/iip?FIF=grid.jp2&JTLS=0,1,2,90").body());
    }

    @Test
    void tilIsTheLegacyMultipartNetfpxFraming() {
        HttpResponse<byte[]> r = http.get("/iip?FIF=grid.jp2&TIL=1,0-1");
        assertEquals(200, r.statusCode());
        assertEquals("application/vnd.netfpx", header(r, "Content-Type"));
        byte[] body = r.body();
        int offset = 0;
        for (int t = 0; t <= 1; t++) {
            byte[] jpeg = http.get("/iip?FIF=grid.jp2&JTL=1," + t).body();
            String head = "Tile,1," + t + ",0/" + (jpeg.length + 8) + ":";
            assertEquals(head, new String(body, offset, head.length(), StandardCharsets.US_ASCII));
            offset += head.length();
            assertArrayEquals(new byte[] {2, 0, 0, 0, 0, 0x11, 0, 0}, Arrays.copyOfRange(body, offset, offset + 8));
            offset += 8;
            assertArrayEquals(jpeg, Arrays.copyOfRange(body, offset, offset + jpeg.length));
            offset += jpeg.length;
            assertEquals("\r\n", new String(body, offset, 2, StandardCharsets.US_ASCII));
            offset += 2;
        }
        assertEquals(body.length, offset);
    }
}
