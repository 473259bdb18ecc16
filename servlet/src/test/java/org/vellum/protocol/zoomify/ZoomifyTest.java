package org.vellum.protocol.zoomify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vellum.config.Settings;
import org.vellum.testing.Fixtures;
import org.vellum.testing.Http;

/** Zoomify on IIP's tiles, through the IIP query command and the /zoomify/ path alike. */
class ZoomifyTest {
    @TempDir
    static Path tmp;
    static Path images;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        images = Files.createDirectories(tmp.resolve("images"));
        Fixtures.write(images, "grid.jp2", Fixtures.colourGrid(1000, 700), Fixtures.lossless(5, 0));
        Fixtures.write(images, "odd.jp2", Fixtures.colourGrid(999, 701), Fixtures.lossless(5, 256));
        http = new Http(Settings.fromEnvironment(Map.of("FILESYSTEM_PREFIX", images.toString())));
    }

    @AfterAll
    static void stop() throws Exception {
        if (http != null) http.close();
    }

    /** The same Zoomify request through both entry points; they must agree byte for byte. */
    private static HttpResponse<byte[]> zoomify(String path) {
        HttpResponse<byte[]> viaPath = http.get("/zoomify/" + path);
        HttpResponse<byte[]> viaQuery = http.get("/iip?Zoomify=" + path);
        assertEquals(viaQuery.statusCode(), viaPath.statusCode(), path);
        assertArrayEquals(viaQuery.body(), viaPath.body(), path);
        return viaPath;
    }

    private static byte[] jtl(String file, int r, int k) {
        HttpResponse<byte[]> resp = http.get("/iip?FIF=" + file + "&JTL=" + r + "," + k);
        assertEquals(200, resp.statusCode());
        return resp.body();
    }

    @Test
    void imagePropertiesAttributesComeInIipsrvOrder() {
        HttpResponse<byte[]> r = zoomify("grid.jp2/ImageProperties.xml");
        assertEquals(200, r.statusCode());
        assertEquals("application/xml", header(r, "Content-Type"));
        // NUMTILES counts the tiles of every level (12 + 4 + 1), deliberately unlike 1.1
        assertEquals("<IMAGE_PROPERTIES WIDTH=\"1000\" HEIGHT=\"700\" NUMTILES=\"17\" NUMIMAGES=\"1\" VERSION=\"1.8\""
                + " TILESIZE=\"256\" />", text(r));
        assertEquals("<IMAGE_PROPERTIES WIDTH=\"999\" HEIGHT=\"701\" NUMTILES=\"17\" NUMIMAGES=\"1\" VERSION=\"1.8\""
                + " TILESIZE=\"256\" />", text(zoomify("odd.jp2/ImageProperties.xml")));
    }

    @Test
    void zoomifyTileEqualsTheJtlOfTheMatchingIipResolutionByteForByte() {
        for (String file : List.of("grid.jp2", "odd.jp2")) {
            int[][] grids = {{1, 1}, {2, 2}, {4, 3}};   // columns, rows of IIP resolutions 0, 1, 2
            for (int r = 0; r < 3; r++) {
                for (int y = 0; y < grids[r][1]; y++) {
                    for (int x = 0; x < grids[r][0]; x++) {
                        HttpResponse<byte[]> z = zoomify(file + "/TileGroup0/" + r + "-" + x + "-" + y + ".jpg");
                        assertEquals(200, z.statusCode(), file + " " + r + "-" + x + "-" + y);
                        assertEquals("image/jpeg", header(z, "Content-Type"));
                        assertArrayEquals(jtl(file, r, y * grids[r][0] + x), z.body(),
                                file + " " + r + "-" + x + "-" + y);
                    }
                }
            }
        }
    }

    @Test
    void zoomifyLevelZeroIsTheWholeImageInOneTile() {
        BufferedImage t = decode(zoomify("grid.jp2/TileGroup0/0-0-0.jpg").body());
        assertEquals("250x175", t.getWidth() + "x" + t.getHeight());
        assertTrue(meanError(reference(images.resolve("grid.jp2"), 0, 0, 1000, 700, 2), t) < 5);
    }

    @Test
    void edgeTilesAreCropped() {
        BufferedImage t = decode(zoomify("grid.jp2/TileGroup0/2-3-2.jpg").body());
        assertEquals("232x188", t.getWidth() + "x" + t.getHeight());
        assertTrue(meanError(reference(images.resolve("grid.jp2"), 768, 512, 232, 188, 0), t) < 5);
    }

    @Test
    void theTileGroupIsIgnored() {
        assertArrayEquals(zoomify("grid.jp2/TileGroup0/2-1-1.jpg").body(),
                zoomify("grid.jp2/TileGroup9/2-1-1.jpg").body());
    }

    @Test
    void aTileOutsideTheGridOrLevelsIs404() {
        assertEquals(404, zoomify("grid.jp2/TileGroup0/2-4-2.jpg").statusCode());
        assertEquals(404, zoomify("grid.jp2/TileGroup0/2-0-3.jpg").statusCode());
        assertEquals(404, zoomify("grid.jp2/TileGroup0/3-0-0.jpg").statusCode());
        assertEquals(4, zoomify("grid.jp2/TileGroup0/-1-0-0.jpg").statusCode() / 100);
        assertEquals(404, zoomify("nothere.jp2/ImageProperties.xml").statusCode());
        assertEquals(404, zoomify("nothere.jp2/TileGroup0/0-0-0.jpg").statusCode());
    }
}
