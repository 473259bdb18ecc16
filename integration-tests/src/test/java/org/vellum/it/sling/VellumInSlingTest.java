package org.vellum.it.sling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.vellum.testing.Fixtures;

/**
 * Vellum in Apache Sling, started the way Sling is started: the Sling Feature Launcher (Sling's own distribution of
 * it) given Vellum's feature (bundle/src/main/sling), which takes Sling Starter 12 from Maven Central, swaps its
 * Jetty 9 for Felix HTTP Jetty 12 (Jakarta Servlet 6) and adds Vellum, its gate and the DSpace and Fedora adapters,
 * configured by the feature's {@code org.vellum} configuration. Its own process, home and port on loopback; this build's
 * Vellum jars are offered to the launcher in a Maven repository of the test's own, the rest comes from the local
 * repository or Maven Central. IIIF and IIP answer under Sling's HTTP service, and Sling keeps "/" and its console.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VellumInSlingTest {
    private static final int W = 1100;
    private static final int H = 800;
    private static final long START_SECONDS = Long.getLong("vellum.sling.startSeconds", 600);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Path image;
    private Process sling;
    private String base;

    @BeforeAll
    void startSling(@TempDir Path tmp) throws Exception {
        // only the "sling" profile's execution unpacks the launcher and names it (-Dtest reaches every execution)
        assumeTrue(System.getProperty("vellum.sling.launcher") != null, "run with -Psling (docs/sling.md)");
        Path images = Files.createDirectories(tmp.resolve("images"));
        image = Fixtures.write(images, "grid.jp2", Fixtures.colourGrid(W, H), Fixtures.lossless(4, 256));
        Path repo = vellumRepository(tmp.resolve("repo"), Path.of(System.getProperty("vellum.bundles", "target/bundles")));
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path launcher = Path.of(System.getProperty("vellum.sling.launcher"));
        String m2 = Path.of(System.getProperty("vellum.m2", System.getProperty("user.home") + "/.m2/repository"))
                .toUri().toString();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-cp", launcher.resolve("lib") + "/*", "org.apache.sling.feature.launcher.impl.Main",
                "-f", Path.of(System.getProperty("vellum.sling.feature")).toAbsolutePath().toString(),
                "-u", repo.toUri() + "," + m2 + ",https://repo.maven.apache.org/maven2",
                "-p", tmp.resolve("sling").toString(),
                "-c", System.getProperty("vellum.sling.cache", tmp.resolve("cache").toString()),
                "-D", "org.osgi.service.http.port=" + port,
                "-D", "org.apache.felix.http.host=127.0.0.1",
                "-V", "vellum.images=" + images));
        Path log = Path.of("target/sling.log");
        sling = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        base = "http://127.0.0.1:" + port;

        long t0 = System.nanoTime();
        long end = t0 + TimeUnit.SECONDS.toNanos(START_SECONDS);
        int last = -1;
        while (System.nanoTime() < end) {
            if (!sling.isAlive()) throw new AssertionError("Sling exited with " + sling.exitValue() + ", see " + log);
            try {
                last = get("/iiif/3/grid.jp2/info.json").statusCode();
                if (last == 200) break;
            } catch (IOException notYetListening) {
                // Jetty not listening yet
            }
            Thread.sleep(500);
        }
        assertEquals(200, last, "Vellum's IIIF route in Sling within " + START_SECONDS + " s, see " + log);
        System.out.printf("VellumInSlingTest: Sling served Vellum's first info.json %d s after launch%n",
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0));
    }

    @AfterAll
    void stopSling() throws Exception {
        if (sling == null) return;
        sling.destroy();                                   // SIGTERM: the launcher stops the framework
        if (!sling.waitFor(90, TimeUnit.SECONDS)) {
            sling.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("Sling did not stop within 90 s of SIGTERM");
        }
    }

    @Test
    void iiifInfoJsonGivesTheSizeAndAnIdUnderSlingsAddress() throws Exception {
        HttpResponse<byte[]> r = get("/iiif/3/grid.jp2/info.json");
        assertEquals(200, r.statusCode());
        String json = new String(r.body(), StandardCharsets.UTF_8).replace(" ", "");
        assertTrue(json.contains("\"width\":" + W) && json.contains("\"height\":" + H), json);
        assertTrue(json.contains("\"id\":\"" + base + "/iiif/3/grid.jp2\""), json);
    }

    @Test
    void anIiifTileHasTheImagesPixels() throws Exception {
        HttpResponse<byte[]> r = get("/iiif/3/grid.jp2/512,256,256,256/256,/0/default.png");
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        assertEquals("image/png", r.headers().firstValue("Content-Type").orElse(""));
        BufferedImage tile = Fixtures.decode(r.body());
        assertEquals(0.0, Fixtures.meanError(Fixtures.reference(image, 512, 256, 256, 256, 0), tile), 1e-9,
                "a lossless file, PNG out: the very pixels of a direct decode");
    }

    @Test
    void anIipTileIsTheRegionOfItsResolutionLevel() throws Exception {
        String obj = new String(get("/iip?FIF=grid.jp2&obj=Resolution-number").body(), StandardCharsets.UTF_8);
        Matcher n = Pattern.compile("Resolution-number:(\\d+)").matcher(obj);
        assertTrue(n.find(), obj);
        // JTL=r,n: r = Resolution-number - 1 is the full size; 256 px tiles, 5 across: tile 6 starts at (256, 256)
        HttpResponse<byte[]> r = get("/iip?FIF=grid.jp2&JTL=" + (Integer.parseInt(n.group(1)) - 1) + ",6");
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        assertEquals("image/jpeg", r.headers().firstValue("Content-Type").orElse(""));
        BufferedImage tile = Fixtures.decode(r.body());
        double error = Fixtures.meanError(Fixtures.reference(image, 256, 256, 256, 256, 0), tile);
        assertTrue(error < 4, "JPEG against a direct decode, mean error " + error);
    }

    @Test
    void iiif3sRawCaretReachesVellumThroughSlingsJetty() throws Exception {
        String answer = rawGet("/iiif/3/grid.jp2/full/^max/0/default.jpg");
        assertTrue(answer.startsWith("HTTP/1.1 200"), answer.lines().findFirst().orElse(answer));
        assertTrue(rawGet("/iiif/3/..%2F..%2Fetc%2Fpasswd/info.json").matches("(?s)HTTP/1\\.1 4\\d\\d.*"));
    }

    @Test
    void slingKeepsItsOwnRootAndConsoleBesideVellum() throws Exception {
        HttpResponse<byte[]> root = get("/");
        assertTrue(root.statusCode() != 200 || !new String(root.body(), StandardCharsets.UTF_8).contains("openseadragon"),
                "Vellum's viewer page must not take Sling's root");
        String bundles = consoleBundles();
        for (String bsn : List.of("org.vellum", "org.vellum.gate", "org.vellum.dspace", "org.vellum.fedora",
                "org.apache.felix.http.jetty12", "org.apache.sling.engine", "org.apache.aries.spifly.dynamic.bundle")) {
            Matcher m = Pattern.compile("\"state\":\"(\\w+)\"[^}]*\"symbolicName\":\"" + Pattern.quote(bsn) + "\"")
                    .matcher(bundles);
            assertTrue(m.find(), bsn + " is installed");
            assertEquals("Active", m.group(1), bsn);
        }
        assertEquals(200, get("/health/live").statusCode());
    }

    /** The swap of Jetty, SPI Fly and SLF4J leaves none of the starter's bundles behind. */
    @Test
    void everyBundleOfTheAssembledFeatureIsActive() throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);   // the framework is still raising start levels
        List<String> idle;
        do {
            idle = new ArrayList<>();
            Matcher m = Pattern.compile("\\{[^{}]*\"state\":\"(\\w+)\"[^{}]*\"symbolicName\":\"([^\"]+)\"[^{}]*}")
                    .matcher(consoleBundles());
            while (m.find()) {
                if (!m.group(1).equals("Active") && !m.group(1).equals("Fragment")) idle.add(m.group(2) + " " + m.group(1));
            }
            if (idle.isEmpty()) return;
            Thread.sleep(1000);
        } while (System.nanoTime() < end);
        throw new AssertionError("bundles not active: " + idle);
    }

    private String consoleBundles() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/system/console/bundles.json"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("admin:admin".getBytes()))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        return r.body();
    }

    /** This build's Vellum jars in a Maven repository layout, at the coordinates the feature names. */
    private static Path vellumRepository(Path repo, Path bundles) throws IOException {
        String version = System.getProperty("vellum.version", "0.1.0-SNAPSHOT");
        String[][] jars = {{"vellum-bundle", ""}, {"vellum-bundle", "gate"}, {"vellum-dspace-adapter", ""},
                {"vellum-fedora-adapter", ""}};
        for (String[] jar : jars) {
            String classifier = jar[1].isEmpty() ? "" : "-" + jar[1];
            Path dir = Files.createDirectories(repo.resolve("org/vellum/" + jar[0] + "/" + version));
            Files.copy(bundles.resolve(jar[0] + classifier + ".jar"), dir.resolve(jar[0] + "-" + version + classifier + ".jar"));
        }
        return repo;
    }

    private HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /** A GET sent as the bytes given (java.net.URI refuses a raw ^), its answer as text. */
    private String rawGet(String target) throws IOException {
        URI b = URI.create(base);
        try (Socket s = new Socket(b.getHost(), b.getPort())) {
            s.setSoTimeout(60_000);
            s.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: " + b.getHost()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
