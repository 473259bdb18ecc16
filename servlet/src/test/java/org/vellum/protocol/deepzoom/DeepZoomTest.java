package org.vellum.protocol.deepzoom;

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
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vellum.config.Settings;
import org.vellum.testing.Fixtures;
import org.vellum.testing.Http;

/** Deep Zoom on IIP's tiles, through the IIP query command and the /deepzoom/ path alike. */
class DeepZoomTest {
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

    private static HttpResponse<byte[]> deepZoom(String path) {
        HttpResponse<byte[]> viaPath = http.get("/deepzoom/" + path);
        HttpResponse<byte[]> viaQuery = http.get("/iip?DeepZoom=" + path);
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
    void dziDescribesTheFullSizeWithTileSize256AndNoOverlap() {
        HttpResponse<byte[]> r = deepZoom("grid.jp2.dzi");
        assertEquals(200, r.statusCode());
        assertEquals("application/xml", header(r, "Content-Type"));
        assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n"
                + "<Image xmlns=\"http://schemas.microsoft.com/deepzoom/2008\"\r\n"
                + "TileSize=\"256\" Overlap=\"0\" Format=\"jpg\"><Size Width=\"1000\" Height=\"700\"/></Image>", text(r));
    }

    @Test
    void theTopLevelIsTheFullSizeAndEqualsJtlAtTheFullResolution() {
        // D = ceil(log2(1000)) = 10
        for (String file : new String[] {"grid.jp2", "odd.jp2"}) {
            for (int y = 0; y < 3; y++) {
                for (int x = 0; x < 4; x++) {
                    HttpResponse<byte[]> t = deepZoom(file.replace(".jp2", ".jp2_files/10/") + x + "_" + y + ".jpg");
                    assertEquals(200, t.statusCode());
                    assertEquals("image/jpeg", header(t, "Content-Type"));
                    assertArrayEquals(jtl(file, 2, y * 4 + x), t.body(), file + " " + x + "_" + y);
                }
            }
        }
        BufferedImage edge = decode(deepZoom("grid.jp2_files/10/3_2.jpg").body());
        assertEquals("232x188", edge.getWidth() + "x" + edge.getHeight());
        assertTrue(meanError(reference(images.resolve("grid.jp2"), 768, 512, 232, 188, 0), edge) < 5);
    }

    @Test
    void eachLevelBelowIsHalfTheOneAboveLikeIipResolutions() {
        assertArrayEquals(jtl("grid.jp2", 1, 3), deepZoom("grid.jp2_files/9/1_1.jpg").body());
        assertArrayEquals(jtl("grid.jp2", 0, 0), deepZoom("grid.jp2_files/8/0_0.jpg").body());
        assertArrayEquals(jtl("odd.jp2", 0, 0), deepZoom("odd.jp2_files/8/0_0.jpg").body());
    }

    @Test
    void levelsBelowTheSmallestIipLevelHaveTheirTrueSize() {
        BufferedImage full = reference(images.resolve("grid.jp2"), 0, 0, 1000, 700, 0);
        int[][] expected = {{7, 125, 88}, {6, 63, 44}, {4, 16, 11}, {2, 4, 3}, {1, 2, 2}, {0, 1, 1}};
        for (int[] e : expected) {
            BufferedImage t = decode(deepZoom("grid.jp2_files/" + e[0] + "/0_0.jpg").body());
            assertEquals(e[1] + "x" + e[2], t.getWidth() + "x" + t.getHeight(), "level " + e[0]);
            // Roughly the image: each pixel near the average of the area it stands for (luma, so JPEG's chroma
            // subsampling of these tiny images does not count).
            double err = Fixtures.meanLumaError(Fixtures.level(full, 10 - e[0]), t);
            assertTrue(err < 6, "level " + e[0] + " mean error " + err);
        }
        BufferedImage odd = decode(deepZoom("odd.jp2_files/7/0_0.jpg").body());
        assertEquals("125x88", odd.getWidth() + "x" + odd.getHeight());
    }

    @Test
    void virtualLevelPixelsStandForTheirTrueBlocks() {
        BufferedImage full = reference(images.resolve("grid.jp2"), 0, 0, 1000, 700, 0);
        for (int level = 0; level <= 7; level++) {
            BufferedImage t = decode(deepZoom("grid.jp2_files/" + level + "/0_0.jpg").body());
            // the stored levels are wavelet low-passes, not box averages: a few grey levels apart at the grid's edges
            double err = Fixtures.meanLumaError(Fixtures.level(full, 10 - level), t);
            assertTrue(err < 6, "level " + level + " mean error " + err);
        }
    }

    @Test
    void aLevelAboveTheTopIsClampedToTheFullSize() {
        assertArrayEquals(jtl("grid.jp2", 2, 5), deepZoom("grid.jp2_files/11/1_1.jpg").body());
    }

    @Test
    void aTileOutsideTheLevelIs404() {
        assertEquals(404, deepZoom("grid.jp2_files/10/4_0.jpg").statusCode());
        assertEquals(404, deepZoom("grid.jp2_files/7/1_0.jpg").statusCode());
        assertEquals(404, deepZoom("grid.jp2_files/-1/0_0.jpg").statusCode());
        assertEquals(404, deepZoom("nothere.jp2.dzi").statusCode());
    }
}
