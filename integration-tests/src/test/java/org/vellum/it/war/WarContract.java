package org.vellum.it.war;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.vellum.codec.openjpeg.Jp2EncodeOptions;
import org.vellum.codec.openjpeg.Jp2Writer;

/**
 * What the WAR the servlet module builds must do in any Servlet 6.0 container: deployed unchanged except for context
 * parameters added to its web.xml ({@link #war()}), at /vellum, and asked over HTTP. The surefire executions set the
 * environment variables JPEG_QUALITY=20 and MAX_CVT=300; web.xml sets JPEG_QUALITY=90, which must win. A subclass per
 * container gives the Arquillian deployment ({@code @Deployment} calling {@link #war()}) and the container's admin
 * setting for encoded slashes.
 */
public abstract class WarContract {
    private static final int WIDTH = 700;
    private static final int HEIGHT = 500;
    private static final int CELL = 64;
    private static Path images;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @ArquillianResource
    protected URL base;

    /** The servlet module's WAR with FILESYSTEM_PREFIX (fixture images made here) and JPEG_QUALITY=90 added. */
    public static WebArchive war() throws Exception {
        images = Files.createTempDirectory("vellum-war-images");
        BufferedImage grid = colourGrid(WIDTH, HEIGHT);
        Jp2EncodeOptions lossless = new Jp2EncodeOptions(3, 1, 256, true, true);
        Jp2Writer.write(images.resolve("grid.jp2"), grid, lossless);
        Files.createDirectories(images.resolve("sub"));
        Jp2Writer.write(images.resolve("sub/page.jp2"), colourGrid(300, 200), lossless);

        File file = new File(System.getProperty("vellum.war", "../servlet/target/vellum-webapp.war"));
        assertTrue(file.isFile(), "the WAR is built by the servlet module: " + file);
        WebArchive built = ShrinkWrap.createFromZipFile(WebArchive.class, file);
        String webXml;
        try (InputStream in = built.get("WEB-INF/web.xml").getAsset().openStream()) {
            webXml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        // context parameters as an admin would add them; the listener declaration stays the WAR's own
        webXml = webXml.replace("</web-app>", param("FILESYSTEM_PREFIX", images.toString())
                + param("JPEG_QUALITY", "90") + "</web-app>");
        return ShrinkWrap.create(WebArchive.class, "vellum.war").merge(built)
                .setWebXML(new StringAsset(webXml));
    }

    @AfterAll
    static void deleteImages() throws IOException {
        if (images == null) return;
        try (Stream<Path> files = Files.walk(images)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void deployedAtTheArchiveName() {
        assertTrue(base.getPath().equals("/vellum/"), base.toString());
    }

    @Test
    void iipObjLinesDescribeTheImage() throws Exception {
        HttpResponse<String> r = getText("iip?FIF=grid.jp2&obj=IIP,1.0&obj=Max-size&obj=Tile-size"
                + "&obj=Resolution-number");
        assertEquals(200, r.statusCode());
        String body = r.body().replace("\r\n", "\n");
        assertTrue(body.contains("IIP:1.0\n"), body);
        assertTrue(body.contains("Max-size:700 500\n"), body);
        assertTrue(body.contains("Tile-size:256 256\n"), body);
        assertTrue(body.contains("Resolution-number:3\n"), body);
    }

    @Test
    void iipAnswersAtTheIipsrvPathsToo() throws Exception {
        assertEquals(200, getText("fcgi-bin/iipsrv.fcgi?FIF=grid.jp2&obj=IIP,1.0").statusCode());
        assertEquals(200, getText("iipsrv/iipsrv.fcgi?FIF=grid.jp2&obj=IIP,1.0").statusCode());
    }

    /**
     * Resolution 2 is the full size (the levels stop at the first that fits in a tile); its tile 5 is row 1, column 2:
     * x 512-699, y 256-499, cropped at the image's edges.
     */
    @Test
    void jtlTileIsTheRightEdgeTileWithTheGridsPixels() throws Exception {
        HttpResponse<byte[]> r = get("iip?FIF=grid.jp2&JTL=2,5");
        assertEquals(200, r.statusCode());
        assertEquals("image/jpeg", r.headers().firstValue("Content-Type").orElse(""));
        BufferedImage tile = decode(r.body());
        assertEquals(188, tile.getWidth());
        assertEquals(244, tile.getHeight());
        double error = 0;
        for (int y = 0; y < tile.getHeight(); y++) {
            for (int x = 0; x < tile.getWidth(); x++) {
                error += rgbDistance(tile.getRGB(x, y), gridColour(512 + x, 256 + y));
            }
        }
        error /= tile.getWidth() * tile.getHeight();
        assertTrue(error < 4, "mean error per sample " + error);
    }

    @Test
    void iiif3InfoJsonDescribesTheImageBelowTheContextPath() throws Exception {
        HttpResponse<String> r = getText("iiif/3/grid.jp2/info.json");
        assertEquals(200, r.statusCode());
        String json = r.body();
        assertEquals(base + "iiif/3/grid.jp2", jsonString(json, "id"));
        assertEquals("ImageService3", jsonString(json, "type"));
        assertEquals(700, jsonInt(json, "width"));
        assertEquals(500, jsonInt(json, "height"));
    }

    /** Region 64,128 256x128 at half size: 32-pixel cells, each the grid colour (PNG, so exact at cell centres). */
    @Test
    void iiif3RegionAndSizeGiveTheGridCells() throws Exception {
        HttpResponse<byte[]> r = get("iiif/3/grid.jp2/64,128,256,128/128,/0/default.png");
        assertEquals(200, r.statusCode());
        assertEquals("image/png", r.headers().firstValue("Content-Type").orElse(""));
        BufferedImage img = decode(r.body());
        assertEquals(128, img.getWidth());
        assertEquals(64, img.getHeight());
        for (int cy = 0; cy < 2; cy++) {
            for (int cx = 0; cx < 4; cx++) {
                int expected = cellColour(1 + cx, 2 + cy);
                int actual = img.getRGB(cx * 32 + 16, cy * 32 + 16) & 0xFFFFFF;
                assertEquals(Integer.toHexString(expected), Integer.toHexString(actual), "cell " + cx + "," + cy);
            }
        }
    }

    @Test
    void unknownImagesAre404() throws Exception {
        assertEquals(404, get("iip?FIF=missing.jp2&JTL=0,0").statusCode());
        assertEquals(404, get("iiif/3/missing.jp2/info.json").statusCode());
        assertEquals(404, get("deepzoom/missing.jp2.dzi").statusCode());
    }

    /** The environment says JPEG_QUALITY=20, web.xml says 90: the luminance DC quantiser is IJG's 16 scaled to 90. */
    @Test
    void contextParameterWinsOverTheEnvironment() throws Exception {
        HttpResponse<byte[]> r = get("iip?FIF=grid.jp2&JTL=0,0");
        assertEquals(200, r.statusCode());
        assertEquals(quantiserForQuality(90), firstLuminanceQuantiser(r.body()));
    }

    /** MAX_CVT=300 comes from the environment only (no context parameter): IIIF's maxWidth. */
    @Test
    void environmentVariableAppliesWithoutContextParameter() throws Exception {
        String json = getText("iiif/3/grid.jp2/info.json").body();
        assertEquals(300, jsonInt(json, "maxWidth"));
    }

    /**
     * What docs/deployment.md tells the container's admin to set so that an encoded slash reaches the servlet (the
     * containers' defaults answer 400); nothing if the deployment already has it.
     */
    protected abstract void allowEncodedSlashes() throws Exception;

    @Test
    void iiifIdentifierWithEncodedSlashReachesTheSubfolder() throws Exception {
        allowEncodedSlashes();
        HttpResponse<String> r = getText("iiif/3/sub%2Fpage.jp2/info.json");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(300, jsonInt(r.body(), "width"));
        assertEquals(base + "iiif/3/sub%2Fpage.jp2", jsonString(r.body(), "id"));
    }

    /** The operations paths below the context path too: health probes and the metrics of the requests made here. */
    @Test
    void healthAndMetricsAreServedBelowTheContextPath() throws Exception {
        assertEquals(200, get("health/live").statusCode());
        HttpResponse<byte[]> ready = get("health/ready");
        assertEquals(200, ready.statusCode(), new String(ready.body(), StandardCharsets.UTF_8));
        assertEquals(200, get("iip?FIF=grid.jp2&JTL=0,0").statusCode());
        HttpResponse<byte[]> metrics = get("metrics");
        assertEquals(200, metrics.statusCode(), "the test's client is on loopback");
        String text = new String(metrics.body(), StandardCharsets.UTF_8);
        assertTrue(text.contains("vellum_requests_seconds_count{kind=\"tile\",protocol=\"iip\",status=\"200\""),
                text);
        assertTrue(text.contains("vellum_decoders_open "), text);
    }

    @Test
    void viewerPageAndOpenSeadragonAreServed() throws Exception {
        HttpResponse<String> page = getText("");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("\"grid.jp2\""), "the first image of the folder is the default");
        HttpResponse<byte[]> js = get("webjars/openseadragon/2.4.2/build/openseadragon/openseadragon.min.js");
        assertEquals(200, js.statusCode());
        assertTrue(js.body().length > 100_000);
    }

    // ---- helpers

    private HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<String> getText(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String param(String name, String value) {
        return "  <context-param><param-name>" + name + "</param-name><param-value>" + value
                + "</param-value></context-param>\n";
    }

    private static int cellColour(int cx, int cy) {
        int r = 20 + (cx * 14) % 224;
        int g = 20 + (cy * 21) % 224;
        int b = 40 + ((cx * 5 + cy * 3) % 12) * 15;
        return r << 16 | g << 8 | b;
    }

    private static int gridColour(int x, int y) {
        return cellColour(x / CELL, y / CELL);
    }

    private static BufferedImage colourGrid(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) img.setRGB(x, y, gridColour(x, y));
        }
        return img;
    }

    private static BufferedImage decode(byte[] bytes) {
        try {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
            assertNotNull(img, "not an image");
            return img;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Mean absolute difference of the three samples. */
    private static double rgbDistance(int a, int b) {
        return (Math.abs((a >> 16 & 0xFF) - (b >> 16 & 0xFF)) + Math.abs((a >> 8 & 0xFF) - (b >> 8 & 0xFF))
                + Math.abs((a & 0xFF) - (b & 0xFF))) / 3.0;
    }

    /** IJG's scaling of the standard luminance table's DC entry (16), as Java's JPEG writer applies it. */
    private static int quantiserForQuality(int quality) {
        int scale = quality < 50 ? 5000 / quality : 200 - 2 * quality;
        return Math.max(1, Math.min(255, (16 * scale + 50) / 100));
    }

    /** The first entry of the first quantisation table (DQT, 0xFFDB) in a JPEG stream: the luminance DC step. */
    private static int firstLuminanceQuantiser(byte[] jpeg) {
        for (int i = 2; i + 5 < jpeg.length; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == 0xDB) {
                int pqTq = jpeg[i + 4] & 0xFF;
                return (pqTq >> 4) == 0 ? jpeg[i + 5] & 0xFF : (jpeg[i + 5] & 0xFF) << 8 | jpeg[i + 6] & 0xFF;
            }
        }
        throw new AssertionError("no DQT segment");
    }

    private static String jsonString(String json, String key) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        assertTrue(m.find(), key + " in " + json);
        return m.group(1);
    }

    private static int jsonInt(String json, String key) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*(\\d+)").matcher(json);
        assertTrue(m.find(), key + " in " + json);
        return Integer.parseInt(m.group(1));
    }
}
