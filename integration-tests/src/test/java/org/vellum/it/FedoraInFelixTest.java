package org.vellum.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
import org.osgi.framework.wiring.BundleWiring;
import org.vellum.fedora.FedoraFixture;
import org.vellum.fedora.FedoraSample;
import org.vellum.testing.Fixtures;

/**
 * The Fedora adapter as an OSGi bundle beside Vellum's, in a real Felix, with Jackson's own bundles: configured
 * through ConfigAdmin (PID org.vellum.fedora) over an OCFL storage root Fedora's storage library wrote, its
 * ImageResolver joins the core's chain and Fedora's binaries are served with WebAC's answer; uninstalled, they are
 * gone, the image folder is still served, and the adapter's class loader is collected.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FedoraInFelixTest {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private FedoraFixture fedora;
    private FelixRuntime felix;
    private Bundle adapter;
    private String base;

    private static String iiif(String identifier) {
        return URLEncoder.encode(identifier, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        Path images = Files.createDirectories(tmp.resolve("images"));
        Fixtures.write(images, "grid.jp2", Fixtures.colourGrid(300, 200), Fixtures.lossless(3, 0));
        fedora = FedoraSample.write(tmp.resolve("fedora"));

        felix = FelixRuntime.start(tmp.resolve("felix-cache"));
        felix.configure("org.vellum", Map.of("filesystemPrefix", images.toString()));
        felix.configure("org.vellum.fedora", Map.of(
                "ocfl.root", fedora.ocflRoot().toString(),
                "rest.url", "http://localhost:8080/fcrepo/rest"));
        // docs/fedora.md's order: Jackson's bundles, Vellum, then the adapter
        List<Bundle> installed = felix.installAndStart(List.of("jackson-core", "jackson-annotations",
                "jackson-databind", "vellum-bundle", "vellum-fedora-adapter"));
        adapter = installed.get(4);
        base = felix.endpoint();
        await("/iiif/3/" + iiif(FedoraSample.PAGE.path()) + "/info.json", r -> r.statusCode() == 200);
    }

    @AfterAll
    void stop() throws Exception {
        if (felix != null) felix.close();
        if (fedora != null) fedora.close();
    }

    @Test
    @Order(1)
    void theAdaptersResolverIsAServiceOfItsOwnBundleWiredToJackson() throws Exception {
        assertEquals(Bundle.ACTIVE, adapter.getState());
        var refs = felix.context.getAllServiceReferences("org.vellum.api.ImageResolver",
                "(vellum.resolver.prefix=fedora)");
        assertNotNull(refs, "the Fedora resolver is registered");
        assertEquals(adapter, refs[0].getBundle());
        boolean wired = adapter.adapt(BundleWiring.class).getRequiredWires("osgi.wiring.package").stream()
                .anyMatch(w -> w.getProvider().getBundle().getSymbolicName().equals(
                        "com.fasterxml.jackson.core.jackson-databind"));
        assertTrue(wired, "Jackson comes from its bundle");
    }

    @Test
    @Order(2)
    void fedorasBinariesAreServedWithTheirPixelsInEachIdentifierForm() throws Exception {
        var page = FedoraSample.PAGE;
        for (String id : List.of(page.path(), page.id(), "http://localhost:8080/fcrepo/rest/" + page.path(),
                "https://drupal.example.org/_flysystem/fedora/" + page.path())) {
            HttpResponse<byte[]> r = get("/iiif/3/" + iiif(id) + "/info.json");
            assertEquals(200, r.statusCode(), id + ": " + text(r));
            String json = text(r).replace(" ", "");
            assertTrue(json.contains("\"width\":700") && json.contains("\"height\":500"), json);
        }
        HttpResponse<byte[]> r = get("/iiif/2/" + iiif(FedoraSample.AG_PAGE.path()) + "/64,32,128,96/full/0/default.jpg");
        assertEquals(200, r.statusCode(), text(r));
        BufferedImage tile = ImageIO.read(new ByteArrayInputStream(r.body()));
        BufferedImage source = Fixtures.colourGrid(400, 300).getSubimage(64, 32, 128, 96);
        assertTrue(Fixtures.meanError(source, tile) < 3);
        assertEquals(200, get("/iip?FIF=" + iiif(FedoraSample.DRAFT.path()) + "&JTL=0,0").statusCode(),
                "IIP, a mutable head");
    }

    @Test
    @Order(3)
    void webAcRefusalsAndMissingBinariesKeepTheirStatus() throws Exception {
        assertEquals(403, get("/iiif/2/" + iiif(FedoraSample.SECRET.path()) + "/info.json").statusCode());
        assertEquals(404, get("/iiif/2/" + iiif(FedoraSample.TOMBSTONE) + "/info.json").statusCode());
        assertEquals(200, get("/iiif/2/grid.jp2/info.json").statusCode(), "the image folder is still asked");
        assertFalse(get("/iiif/2/" + iiif(FedoraSample.PAGE.path()) + "/info.json").headers()
                .firstValue("Cache-Control").orElse("").contains("private"));
    }

    @Test
    @Order(4)
    void uninstalledTheAdapterLeavesNoResolverAndNoClassLoaderBehind() throws Exception {
        WeakReference<ClassLoader> loader = new WeakReference<>(adapter.adapt(BundleWiring.class).getClassLoader());
        adapter.uninstall();
        felix.refresh(adapter);
        adapter = null;
        await("/iiif/3/" + iiif(FedoraSample.PAGE.path()) + "/info.json", r -> r.statusCode() == 404);
        HttpResponse<byte[]> r = get("/iiif/2/grid.jp2/full/150,/0/default.jpg");
        assertEquals(200, r.statusCode(), text(r));
        assertEquals(150, ImageIO.read(new ByteArrayInputStream(r.body())).getWidth());
        assertNull(felix.context.getAllServiceReferences("org.vellum.api.ImageResolver",
                "(vellum.resolver.prefix=fedora)"));
        for (int i = 0; i < 40 && loader.get() != null; i++) {
            System.gc();
            Thread.sleep(250);
        }
        assertNull(loader.get(), "the uninstalled adapter's class loader is collected");
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
        return new String(r.body(), StandardCharsets.UTF_8);
    }
}
