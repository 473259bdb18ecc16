package org.vellum.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.vellum.dspace.DspaceFixture;
import org.vellum.testing.Fixtures;

/**
 * The DSpace adapter as an OSGi bundle beside Vellum's, in a real Felix, against a real PostgreSQL holding DSpace's
 * tables and an assetstore with a real JPEG 2000: installed with HikariCP's and the PostgreSQL driver's own bundles and
 * configured through ConfigAdmin (PID org.vellum.dspace), its ImageResolver service joins the core's resolver chain
 * and DSpace's bitstream UUIDs are served; uninstalled, they are gone and the image folder is still served.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DspaceInFelixTest {
    private static final int W = 700;
    private static final int H = 500;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private DspaceFixture db;
    private FelixRuntime felix;
    private Bundle adapter;
    private String base;
    private UUID page;
    private UUID restricted;

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        Path images = Files.createDirectories(tmp.resolve("images"));
        Fixtures.write(images, "grid.jp2", Fixtures.colourGrid(300, 200), Fixtures.lossless(3, 0));

        db = new DspaceFixture();
        Path store = Files.createDirectories(tmp.resolve("assetstore"));
        UUID original = db.bundle(db.item("123456789/7", false, true, true), "ORIGINAL");
        page = db.page(original, 0, store, W, H, DspaceFixture.ANONYMOUS).uuid();
        restricted = db.page(original, 1, store, 300, 200, DspaceFixture.LIBRARIANS).uuid();

        felix = FelixRuntime.start(tmp.resolve("felix-cache"));
        felix.configure("org.vellum", Map.of("filesystemPrefix", images.toString()));
        felix.configure("org.vellum.dspace", Map.of(
                "db.url", db.jdbcUrl(),
                "db.user", "postgres",
                "assetstores", new String[] {"0=" + store},
                "lookup.ttl.seconds", 1));
        // docs/dspace.md's order: the two libraries' bundles, Vellum, then the adapter
        List<Bundle> installed = felix.installAndStart(List.of("HikariCP", "postgresql", "vellum-bundle",
                "vellum-dspace-adapter"));
        adapter = installed.get(3);
        base = felix.endpoint();
        await("/iiif/2/" + page + "/info.json", r -> r.statusCode() == 200);
    }

    @AfterAll
    void stop() throws Exception {
        if (felix != null) felix.close();
        if (db != null) db.close();
    }

    @Test
    @Order(1)
    void theAdaptersResolverIsAServiceOfItsOwnBundleWiredToTheLibraryBundles() throws Exception {
        assertEquals(Bundle.ACTIVE, adapter.getState());
        // "all": the test class path has its own org.vellum.source, which is not the bundles' class
        var refs = felix.context.getAllServiceReferences("org.vellum.api.ImageResolver",
                "(vellum.resolver.prefix=dspace)");
        assertNotNull(refs, "the DSpace resolver is registered");
        assertEquals(adapter, refs[0].getBundle());
        for (Bundle b : felix.context.getBundles()) {
            if (b.getSymbolicName().equals("com.zaxxer.HikariCP") || b.getSymbolicName().equals("org.postgresql.jdbc")) {
                assertEquals(Bundle.ACTIVE, b.getState(), b.getSymbolicName());
            }
        }
    }

    @Test
    @Order(2)
    void infoJsonForABitstreamUuidGivesItsSize() throws Exception {
        HttpResponse<byte[]> r = get("/iiif/3/" + page + "/info.json");
        assertEquals(200, r.statusCode(), text(r));
        String json = text(r).replace(" ", "");
        assertTrue(json.contains("\"width\":" + W) && json.contains("\"height\":" + H), json);
        assertTrue(json.contains("/iiif/3/" + page + "\""), json);
    }

    @Test
    @Order(3)
    void aTileForABitstreamUuidHasTheAssetstoreFilesPixels() throws Exception {
        HttpResponse<byte[]> r = get("/iiif/2/" + page + "/256,128,256,256/256,/0/default.jpg");
        assertEquals(200, r.statusCode(), text(r));
        BufferedImage tile = ImageIO.read(new ByteArrayInputStream(r.body()));
        assertEquals(256, tile.getWidth());
        assertEquals(256, tile.getHeight());
        // the assetstore file is a lossless encoding of this grid: compare with the pixels it was made from
        BufferedImage source = Fixtures.colourGrid(W, H).getSubimage(256, 128, 256, 256);
        double error = Fixtures.meanError(source, tile);
        assertTrue(error < 3, "mean error " + error);
        assertEquals(200, get("/iip?FIF=" + page + "&JTL=0,0").statusCode(), "other protocols too");
    }

    @Test
    @Order(4)
    void aBitstreamAnonymousMayNotReadIsForbiddenAndAnUnknownOneIsNotFound() throws Exception {
        assertEquals(403, get("/iiif/2/" + restricted + "/info.json").statusCode());
        assertEquals(404, get("/iiif/2/" + UUID.randomUUID() + "/info.json").statusCode());
        assertEquals(200, get("/iiif/2/grid.jp2/info.json").statusCode(), "the image folder is still asked");
    }

    @Test
    @Order(5)
    void withoutTheAdapterTheUuidIsUnknownAndTheFolderIsStillServed() throws Exception {
        adapter.uninstall();
        felix.refresh(adapter);
        await("/iiif/2/" + page + "/info.json", r -> r.statusCode() == 404);
        assertEquals(404, get("/iiif/2/" + page + "/full/90,/0/default.jpg").statusCode());
        HttpResponse<byte[]> r = get("/iiif/2/grid.jp2/full/150,/0/default.jpg");
        assertEquals(200, r.statusCode(), text(r));
        assertEquals(150, ImageIO.read(new ByteArrayInputStream(r.body())).getWidth());
        assertEquals(200, get("/iip?FIF=grid.jp2&JTL=0,0").statusCode());
    }

    private void await(String path, Predicate<HttpResponse<byte[]>> ok) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        HttpResponse<byte[]> last = null;
        while (System.nanoTime() < end) {
            last = get(path);
            if (ok.test(last)) return;
            Thread.sleep(50);
        }
        throw new AssertionError(path + ": last answer " + (last == null ? null : last.statusCode() + " " + text(last)));
    }

    private HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String text(HttpResponse<byte[]> r) {
        return new String(r.body());
    }
}
