package org.vellum.dspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vellum.testing.Fixtures;

/**
 * The embedded launcher, {@code org.vellum.server.Main}, run as a deployer runs it (its own JVM, the adapter on its
 * class path, configured by the environment): it finds the DSpace adapter through its ResolverProvider, serves a
 * public bitstream by UUID, refuses a restricted one, still serves its image folder, and reports the database.
 */
class DspaceThroughTheLauncherTest {

    @Test
    void theLauncherServesDspaceBitstreamsBesideItsImageFolder(@TempDir Path tmp) throws Exception {
        try (DspaceFixture db = new DspaceFixture()) {
            Path store = Files.createDirectories(tmp.resolve("assetstore"));
            UUID bundle = db.bundle(db.item("123456789/7", false, true, true), "ORIGINAL");
            UUID open = db.page(bundle, 0, store, 640, 480, DspaceFixture.ANONYMOUS).uuid();
            UUID closed = db.page(bundle, 1, store, 320, 240, DspaceFixture.LIBRARIANS).uuid();
            Path images = Files.createDirectories(tmp.resolve("images"));
            Fixtures.write(images, "shelf.jp2", Fixtures.colourGrid(200, 100), Fixtures.lossless(3, 0));
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-cp", System.getProperty("java.class.path"), "org.vellum.server.Main",
                    "--host", "127.0.0.1", "--port", Integer.toString(port)));
            ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("DSPACE_") || k.startsWith("FEDORA_"));
            pb.environment().putAll(Map.of("DSPACE_DB_URL", db.jdbcUrl(), "DSPACE_DB_USER", "postgres",
                    "DSPACE_ASSETSTORES", "0=" + store, "FILESYSTEM_PREFIX", images.toString()));
            pb.redirectErrorStream(true).redirectOutput(tmp.resolve("launcher.log").toFile());
            Process p = pb.start();
            try {
                HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                String base = "http://127.0.0.1:" + port;
                int ready = waitFor(client, base + "/health/ready", p, tmp.resolve("launcher.log"));
                String health = get(client, base + "/health/ready").body();
                assertEquals(200, ready, health);
                assertTrue(health.contains("dspace-database"), health);
                HttpResponse<String> info = get(client, base + "/iiif/3/" + open + "/info.json");
                assertEquals(200, info.statusCode(), info.body());
                assertTrue(info.body().contains("\"width\": 640") || info.body().contains("\"width\":640"),
                        info.body());
                assertEquals(403, get(client, base + "/iiif/3/" + closed + "/info.json").statusCode());
                // identifiers the adapter does not know go on to the image folder
                HttpResponse<String> shelf = get(client, base + "/iiif/3/shelf.jp2/info.json");
                assertEquals(200, shelf.statusCode(), shelf.body());
            } finally {
                p.destroy();
                if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) p.destroyForcibly();
            }
        }
    }

    private static HttpResponse<String> get(HttpClient client, String url) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The status of {@code url} once the launcher answers it (at most two minutes), failing with its log if it died. */
    private static int waitFor(HttpClient client, String url, Process p, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) throw new AssertionError("the launcher ended: " + Files.readString(log));
            try {
                return get(client, url).statusCode();
            } catch (IOException notYet) {
                Thread.sleep(250);
            }
        }
        throw new AssertionError("the launcher did not answer within 2 minutes: " + Files.readString(log));
    }
}
