package org.vellum.protocol.iiif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vellum.testing.Http.header;
import static org.vellum.testing.Http.text;

import java.awt.image.BufferedImage;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vellum.codec.avif.Avif;
import org.vellum.codec.webp.WebP;
import org.vellum.config.Settings;
import org.vellum.testing.ExternalDecoders;
import org.vellum.testing.Fixtures;
import org.vellum.testing.Http;

/**
 * WebP and AVIF through the running server: advertised in info.json only while their library is there, served as
 * {@code default.webp} / {@code default.avif} in IIIF and {@code CVT=webp} / {@code CVT=avif} in IIP, decoded by
 * Debian's dwebp and avifdec and compared with our own decode of the same region: at the default settings each is
 * within 25 % of the error the JPEG of the same tile has at JPEG_QUALITY 75 (a textured grid, mean error 3-4 levels). Without the library (switched off
 * here by the bindings' system property, as TurboJPEG's tests do) IIIF answers 501 and IIP falls back to JPEG as an
 * iipsrv built without the library does.
 */
class WebpAndAvifOutputTest {
    @TempDir
    static Path tmp;
    static Path grid;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        Path images = Files.createDirectories(tmp.resolve("images"));
        grid = Fixtures.write(images, "grid.jp2", Fixtures.texturedGrid(1000, 700), Fixtures.lossless(5, 256));
        http = new Http(Settings.fromEnvironment(Map.of("FILESYSTEM_PREFIX", images.toString())));
    }

    @AfterAll
    static void stop() throws Exception {
        if (http != null) http.close();
    }

    @AfterEach
    void librariesBackOn() {
        System.clearProperty(WebP.ENABLED_PROPERTY);
        System.clearProperty(Avif.ENABLED_PROPERTY);
    }

    private static Map<String, Object> info(String version) {
        HttpResponse<byte[]> r = http.get("/iiif/" + version + "/grid.jp2/info.json");
        assertEquals(200, r.statusCode(), text(r));
        return MiniJson.parse(text(r));
    }

    private static List<?> v2Formats() {
        return (List<?>) ((Map<?, ?>) ((List<?>) info("2").get("profile")).get(1)).get("formats");
    }

    /** The mean error of the same tile as JPEG at JPEG_QUALITY 75, the yardstick of the lossy formats. */
    private static double jpegError(String version) {
        byte[] jpeg = http.ok("/iiif/" + version + "/grid.jp2/256,256,256,256/256,/0/default.jpg");
        return Fixtures.meanError(Fixtures.reference(grid, 256, 256, 256, 256, 0), Fixtures.decode(jpeg));
    }

    @Test
    void webpAndAvifAreAdvertisedWhenTheirLibrariesLoad() {
        assertEquals(List.of("tif", "gif", "webp", "avif"), info("3").get("extraFormats"));
        assertEquals(List.of("jpg", "png", "tif", "gif", "webp", "avif"), v2Formats());
    }

    @Test
    void withoutTheLibraryTheFormatIsNeitherAdvertisedNorServed() {
        System.setProperty(WebP.ENABLED_PROPERTY, "false");
        assertEquals(List.of("tif", "gif", "avif"), info("3").get("extraFormats"));
        assertEquals(List.of("jpg", "png", "tif", "gif", "avif"), v2Formats());
        HttpResponse<byte[]> r = http.get("/iiif/3/grid.jp2/full/256,/0/default.webp");
        assertEquals(501, r.statusCode());
        assertTrue(text(r).contains("webp is not offered by this server"), text(r));

        System.setProperty(Avif.ENABLED_PROPERTY, "false");
        assertEquals(List.of("tif", "gif"), info("3").get("extraFormats"));
        assertEquals(501, http.get("/iiif/2/grid.jp2/full/256,/0/default.avif").statusCode());
    }

    @Test
    void aWebpTileIsAboutAsCloseToTheRegionAsTheJpeg() {
        HttpResponse<byte[]> r = http.get("/iiif/3/grid.jp2/256,256,256,256/256,/0/default.webp");
        assertEquals(200, r.statusCode(), text(r));
        assertEquals("image/webp", header(r, "Content-Type"));
        BufferedImage back = ExternalDecoders.dwebp(tmp, r.body());
        double e = Fixtures.meanError(Fixtures.reference(grid, 256, 256, 256, 256, 0), back);
        double jpeg = jpegError("3");
        assertTrue(e < 5.0 && e < 1.25 * jpeg, "mean error at WEBP_QUALITY 75: " + e + ", JPEG's at 75: " + jpeg);
    }

    @Test
    void anAvifTileIsAboutAsCloseToTheRegionAsTheJpeg() {
        HttpResponse<byte[]> r = http.get("/iiif/2/grid.jp2/256,256,256,256/256,/0/default.avif");
        assertEquals(200, r.statusCode(), text(r));
        assertEquals("image/avif", header(r, "Content-Type"));
        BufferedImage back = ExternalDecoders.avifdec(tmp, r.body());
        double e = Fixtures.meanError(Fixtures.reference(grid, 256, 256, 256, 256, 0), back);
        double jpeg = jpegError("2");
        assertTrue(e < 5.0 && e < 1.25 * jpeg, "mean error at AVIF_QUALITY 60: " + e + ", JPEG's at 75: " + jpeg);
    }

    @Test
    void iipCvtWritesWebpAndAvifAndJpegWithoutTheLibrary() {
        HttpResponse<byte[]> webp = http.get("/iip?FIF=grid.jp2&WID=300&CVT=webp");
        assertEquals("image/webp", header(webp, "Content-Type"));
        assertTrue(header(webp, "Content-Disposition").contains("grid.webp"), header(webp, "Content-Disposition"));
        BufferedImage img = ExternalDecoders.dwebp(tmp, webp.body());
        assertEquals("300x210", img.getWidth() + "x" + img.getHeight());

        HttpResponse<byte[]> avif = http.get("/iip?FIF=grid.jp2&WID=300&CVT=avif");
        assertEquals("image/avif", header(avif, "Content-Type"));
        img = ExternalDecoders.avifdec(tmp, avif.body());
        assertEquals("300x210", img.getWidth() + "x" + img.getHeight());

        System.setProperty(WebP.ENABLED_PROPERTY, "false");
        HttpResponse<byte[]> fallback = http.get("/iip?FIF=grid.jp2&WID=300&CVT=webp");
        assertEquals("image/jpeg", header(fallback, "Content-Type"));
        assertEquals(300, Fixtures.decode(fallback.body()).getWidth());
    }

    @Test
    void theQualitySettingsDecideTheBytes() throws Exception {
        String tile = "/iiif/3/grid.jp2/0,0,512,512/512,/0/default.";
        byte[] webp = http.ok(tile + "webp");
        byte[] avif = http.ok(tile + "avif");
        Path images = grid.getParent();
        try (Http low = new Http(Settings.fromEnvironment(Map.of("FILESYSTEM_PREFIX", images.toString(),
                "WEBP_QUALITY", "20", "AVIF_QUALITY", "20", "AVIF_SPEED", "10")))) {
            byte[] lowWebp = low.ok(tile + "webp");
            byte[] lowAvif = low.ok(tile + "avif");
            assertTrue(lowWebp.length < webp.length * 0.8, lowWebp.length + " vs " + webp.length);
            assertTrue(lowAvif.length < avif.length * 0.8, lowAvif.length + " vs " + avif.length);
        }
    }
}
