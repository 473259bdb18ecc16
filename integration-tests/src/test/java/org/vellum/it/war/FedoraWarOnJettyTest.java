package org.vellum.it.war;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vellum.fedora.FedoraFixture;
import org.vellum.fedora.FedoraSample;
import org.vellum.testing.Fixtures;

/**
 * The WAR the servlet module builds with the Fedora adapter added as docs/fedora.md says: its jar and Jackson's in
 * WEB-INF/lib, FEDORA_OCFL_ROOT and FEDORA_REST_URL as context parameters, over an OCFL storage root Fedora's storage
 * library wrote. Deployed on an embedded Jetty 12 at /fedora, it answers Fedora identifiers through IIIF and IIP with
 * WebAC's answer and still serves its image folder; undeployed, its class loader is collected.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FedoraWarOnJettyTest {
    private static final String DEPLOYMENT = "fedora";
    private static final String REST = "http://localhost:8080/fcrepo/rest";
    private static Path tmp;
    private static FedoraFixture fedora;
    private static String base;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @ArquillianResource
    private Deployer deployer;

    @Deployment(name = DEPLOYMENT, managed = false, testable = false)
    static WebArchive war() throws Exception {
        tmp = Files.createTempDirectory("vellum-war-fedora");
        Path images = Files.createDirectories(tmp.resolve("images"));
        Fixtures.write(images, "grid.jp2", Fixtures.colourGrid(300, 200), Fixtures.lossless(3, 0));
        fedora = FedoraSample.write(tmp.resolve("fedora"));

        File file = new File(System.getProperty("vellum.war", "../servlet/target/vellum-webapp.war"));
        assertTrue(file.isFile(), "the WAR is built by the servlet module: " + file);
        WebArchive built = ShrinkWrap.createFromZipFile(WebArchive.class, file);
        String webXml;
        try (InputStream in = built.get("WEB-INF/web.xml").getAsset().openStream()) {
            webXml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        webXml = webXml.replace("</web-app>", param("FILESYSTEM_PREFIX", images.toString())
                + param("FEDORA_OCFL_ROOT", fedora.ocflRoot().toString()) + param("FEDORA_REST_URL", REST)
                + "</web-app>");
        WebArchive war = ShrinkWrap.create(WebArchive.class, DEPLOYMENT + ".war").merge(built)
                .setWebXML(new StringAsset(webXml));
        File lib = new File(System.getProperty("vellum.war.fedora", "target/war-fedora-lib"));
        File[] jars = lib.listFiles((d, name) -> name.endsWith(".jar"));
        assertNotNull(jars, "the adapter's jars are copied by the build: " + lib);
        assertTrue(Stream.of(jars).anyMatch(j -> j.getName().startsWith("vellum-fedora-adapter")), lib.toString());
        return war.addAsLibraries(jars);
    }

    @AfterAll
    static void deleteFixtures() throws Exception {
        if (fedora != null) fedora.close();
        if (tmp == null) return;
        try (Stream<Path> files = Files.walk(tmp)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    @Order(1)
    void deploysWithTheAdapterInWebInfLib() {
        deployer.deploy(DEPLOYMENT);
    }

    @Test
    @Order(2)
    @OperateOnDeployment(DEPLOYMENT)
    void fedoraIdentifiersAreAnsweredInEachForm(@ArquillianResource URL url) throws Exception {
        base = url.toString();
        assertTrue(base.endsWith("/fedora/"), base);
        var page = FedoraSample.PAGE;
        for (String id : List.of(page.path(), page.id(), REST + "/" + page.path())) {
            HttpResponse<String> r = getText("iiif/3/" + iiif(id) + "/info.json");
            assertEquals(200, r.statusCode(), id + ": " + r.body());
            String json = r.body().replace(" ", "");
            assertTrue(json.contains("\"width\":700") && json.contains("\"height\":500"), json);
        }
    }

    /** A tile of a binary inside an Archival Group: its pixels are the grid the fixture encoded (lossless, PNG). */
    @Test
    @Order(3)
    void aTileByItsFedoraUriHasTheBinarysPixels() throws Exception {
        HttpResponse<byte[]> r = get("iiif/3/" + iiif(REST + "/" + FedoraSample.AG_PAGE.path())
                + "/64,32,128,96/max/0/default.png");
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        BufferedImage tile = Fixtures.decode(r.body());
        BufferedImage expected = Fixtures.colourGrid(400, 300).getSubimage(64, 32, 128, 96);
        assertEquals(128, tile.getWidth());
        assertEquals(96, tile.getHeight());
        assertTrue(Fixtures.meanError(expected, tile) < 0.5, "mean error " + Fixtures.meanError(expected, tile));
        assertEquals(200, get("iip?FIF=" + iiif(FedoraSample.DRAFT.path()) + "&JTL=0,0").statusCode(),
                "IIP, a mutable head");
    }

    @Test
    @Order(4)
    void webAcRefusalsAndTheImageFolderKeepTheirAnswers() throws Exception {
        assertEquals(403, get("iiif/2/" + iiif(FedoraSample.SECRET.path()) + "/info.json").statusCode());
        assertEquals(404, get("iiif/2/" + iiif(FedoraSample.TOMBSTONE) + "/info.json").statusCode());
        assertEquals(404, get("iiif/2/nothing.jp2/info.json").statusCode());
        HttpResponse<byte[]> grid = get("iiif/2/grid.jp2/full/150,/0/default.png");
        assertEquals(200, grid.statusCode(), "the image folder is asked after the adapter");
        assertEquals(150, Fixtures.decode(grid.body()).getWidth());
        assertFalse(get("iiif/2/" + iiif(FedoraSample.PAGE.path()) + "/info.json").headers()
                .firstValue("Cache-Control").orElse("").contains("private"), "public through WebAC");
    }

    @Test
    @Order(5)
    void undeployedItsClassLoaderIsCollected() throws Exception {
        WeakReference<ClassLoader> loader = DeployedClassLoaders.of("/" + DEPLOYMENT);
        assertNotNull(loader.get(), "the application's class loader was seen");
        deployer.undeploy(DEPLOYMENT);
        assertEquals(404, get("iiif/3/" + iiif(FedoraSample.PAGE.path()) + "/info.json").statusCode());
        for (int i = 0; i < 40 && loader.get() != null; i++) {
            System.gc();
            Thread.sleep(250);
        }
        assertNull(loader.get(), () -> "the undeployed application's class loader is collected; threads holding it: "
                + Thread.getAllStackTraces().keySet().stream().filter(t -> t.getContextClassLoader() == loader.get())
                        .map(Thread::getName).toList());
    }

    // ---- helpers

    private static String iiif(String identifier) {
        return URLEncoder.encode(identifier, StandardCharsets.UTF_8).replace("+", "%20");
    }

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
}
