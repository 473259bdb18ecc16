package org.vellum.protocol.iiif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vellum.config.Settings;
import org.vellum.testing.Fixtures;
import org.vellum.testing.Http;

/**
 * The JP2 {@code res } box (capture resolution {@code resc}, default display resolution {@code resd}, each
 * N / D * 10^E pixels per metre, vertical first) as IIP's {@code obj=dpi} (iipsrv 1.2+: pixels per centimetre) and
 * IIIF's Physical Dimensions service. The boxes are written by hand into JP2s of our encoder.
 */
class ResolutionBoxTest {
    @TempDir
    static Path tmp;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        Path images = Files.createDirectories(tmp.resolve("images"));
        Path plain = Fixtures.write(images, "plain.jp2", Fixtures.colourGrid(300, 200), Fixtures.lossless(2, 0));
        // 2834 px/m (72 dpi) captured, as the file
        withRes(plain, images.resolve("capture.jp2"), box("resc", 2834, 1, 2834, 1, 0, 0));
        // captured at 11811 px/m across (300 dpi) and 59055 / 100 * 10^1 = 5905.5 down (150 dpi); resd says 2835
        withRes(plain, images.resolve("both.jp2"), box("resd", 7200, 254, 7200, 254, 2, 2),
                box("resc", 59055, 100, 11811, 1, 1, 0));
        withRes(plain, images.resolve("display.jp2"), box("resd", 3937, 1, 3937, 1, 0, 0));
        withRes(plain, images.resolve("zero.jp2"), box("resc", 0, 1, 2834, 1, 0, 0));
        http = new Http(Settings.fromEnvironment(Map.of("FILESYSTEM_PREFIX", images.toString())));
    }

    @AfterAll
    static void stop() throws Exception {
        if (http != null) http.close();
    }

    private static byte[] box(String type, int vn, int vd, int hn, int hd, int ve, int he) {
        ByteBuffer b = ByteBuffer.allocate(18);
        b.putInt(18).put(type.getBytes(StandardCharsets.US_ASCII));
        b.putShort((short) vn).putShort((short) vd).putShort((short) hn).putShort((short) hd);
        b.put((byte) ve).put((byte) he);
        return b.array();
    }

    /** A copy of {@code jp2} whose jp2h box ends with a res superbox of {@code children}. */
    private static void withRes(Path jp2, Path out, byte[]... children) throws Exception {
        byte[] b = Files.readAllBytes(jp2);
        int type = new String(b, StandardCharsets.ISO_8859_1).indexOf("jp2h");
        int start = type - 4;
        int len = ByteBuffer.wrap(b, start, 4).getInt();
        ByteArrayOutputStream res = new ByteArrayOutputStream();
        int resLen = 8;
        for (byte[] c : children) resLen += c.length;
        res.write(ByteBuffer.allocate(8).putInt(resLen).put("res ".getBytes(StandardCharsets.US_ASCII)).array());
        for (byte[] c : children) res.write(c);
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        copy.write(b, 0, start);
        copy.write(ByteBuffer.allocate(4).putInt(len + resLen).array());
        copy.write(b, start + 4, len - 4);
        copy.write(res.toByteArray());
        copy.write(b, start + len, b.length - start - len);
        Files.write(out, copy.toByteArray());
    }

    private static String iip(String query) {
        return new String(http.ok("/iip?" + query), StandardCharsets.US_ASCII);
    }

    @Test
    void dpiIsTheCaptureResolutionInPixelsPerCentimetreAsIipsrvPrintsIt() {
        assertEquals("IIP:1.0\r\nDPI:28.340000 28.340000\r\n", iip("FIF=capture.jp2&obj=IIP,1.0&obj=dpi"));
    }

    @Test
    void theCaptureResolutionWinsOverTheDisplayResolutionAndVerticalComesFirstInTheBox() {
        assertEquals("IIP:1.0\r\nDPI:118.110000 59.055000\r\n", iip("FIF=both.jp2&obj=IIP,1.0&obj=dpi"));
    }

    @Test
    void aDisplayResolutionAloneIsTheResolution() {
        assertEquals("IIP:1.0\r\nDPI:39.370000 39.370000\r\n", iip("FIF=display.jp2&obj=IIP,1.0&obj=dpi"));
    }

    @Test
    void aFileWithoutAUsableResolutionAnswersNoDpiLine() {
        assertEquals("IIP:1.0\r\n", iip("FIF=plain.jp2&obj=IIP,1.0&obj=dpi"));
        assertEquals("IIP:1.0\r\n", iip("FIF=zero.jp2&obj=IIP,1.0&obj=dpi"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void infoJsonOffersThePhysicalDimensionsServiceInCentimetresPerPixel() {
        Map<String, Object> v3 = MiniJson.parse(new String(http.ok("/iiif/3/both.jp2/info.json"), StandardCharsets.UTF_8));
        Map<String, Object> s3 = ((List<Map<String, Object>>) v3.get("service")).get(0);
        assertEquals("http://iiif.io/api/annex/services/physdim", s3.get("profile"));
        assertEquals("http://iiif.io/api/annex/services/physdim/1/context.json", s3.get("@context"));
        assertEquals("cm", s3.get("physicalUnits"));
        assertEquals(1 / 118.11, ((Number) s3.get("physicalScale")).doubleValue(), 1e-12);
        Map<String, Object> v2 = MiniJson.parse(new String(http.ok("/iiif/2/capture.jp2/info.json"), StandardCharsets.UTF_8));
        Map<String, Object> s2 = (Map<String, Object>) v2.get("service");
        assertEquals(1 / 28.34, ((Number) s2.get("physicalScale")).doubleValue(), 1e-12);
        assertEquals("cm", s2.get("physicalUnits"));
        Map<String, Object> none = MiniJson.parse(new String(http.ok("/iiif/3/plain.jp2/info.json"), StandardCharsets.UTF_8));
        assertNull(none.get("service"));
        assertFalse(new String(http.ok("/iiif/2/zero.jp2/info.json"), StandardCharsets.UTF_8).contains("physdim"));
    }
}
