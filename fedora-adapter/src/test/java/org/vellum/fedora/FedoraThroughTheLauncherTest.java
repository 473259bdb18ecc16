package org.vellum.fedora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vellum.testing.Fixtures;

/**
 * The embedded launcher, {@code org.vellum.server.Main}, run as docs/fedora.md tells a deployer to run it (its own JVM,
 * the adapter on its class path, configured by the environment): it finds the Fedora adapter through its
 * ResolverProvider, serves a public binary, refuses a private one, still serves its image folder and reports the
 * storage; an unparsable root authorization file stops it at start, naming the file.
 */
class FedoraThroughTheLauncherTest {
    private static final FedoraSample.Served PAGE = FedoraSample.PAGE;
    private static final FedoraSample.Served SECRET = FedoraSample.SECRET;

    private static Process launch(Path dir, int port, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), "org.vellum.server.Main",
                "--host", "127.0.0.1", "--port", Integer.toString(port)).directory(dir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("DSPACE_") || k.startsWith("FEDORA_"));
        pb.environment().putAll(env);
        pb.redirectErrorStream(true).redirectOutput(dir.resolve("launcher.log").toFile());
        return pb.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void theLauncherServesFedoraBinariesBesideItsImageFolder(@TempDir Path tmp) throws Exception {
        try (FedoraFixture fedora = new FedoraFixture(tmp.resolve("fedora"))) {
            Path scratch = tmp.resolve("scratch");
            fedora.repositoryRoot();                 // no root ACL: Fedora's built-in root authorization, public
            fedora.container(FedoraSample.id("objects"), FedoraFixture.ROOT);
            fedora.binary(PAGE.id(), FedoraSample.id("objects"), FedoraFixture.jp2(PAGE.width(), PAGE.height(),
                    scratch));
            String priv = FedoraSample.id("private");
            fedora.container(priv, FedoraFixture.ROOT);
            fedora.acl(priv, priv, FedoraFixture.authorization(priv + "/fcr:acl", "staff", priv, null,
                    FedoraSample.AUTHENTICATED, "Read", priv));
            fedora.binary(SECRET.id(), priv, FedoraFixture.jp2(SECRET.width(), SECRET.height(), scratch));
            Path images = Files.createDirectories(tmp.resolve("images"));
            Fixtures.write(images, "shelf.jp2", Fixtures.colourGrid(200, 100), Fixtures.lossless(3, 0));
            int port = freePort();
            Process p = launch(tmp, port, Map.of("FEDORA_OCFL_ROOT", fedora.ocflRoot().toString(),
                    "FILESYSTEM_PREFIX", images.toString()));
            try {
                HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                String base = "http://127.0.0.1:" + port;
                int ready = waitFor(client, base + "/health/ready", p, tmp.resolve("launcher.log"));
                String health = get(client, base + "/health/ready").body();
                assertEquals(200, ready, health);
                assertTrue(health.contains("fedora-storage"), health);
                HttpResponse<String> info = get(client, base + "/iiif/3/"
                        + FedoraEndToEndTest.iiif(PAGE.path()) + "/info.json");
                assertEquals(200, info.statusCode(), info.body());
                assertTrue(info.body().replace(" ", "").contains("\"width\":" + PAGE.width()),
                        info.body());
                assertEquals(403, get(client, base + "/iiif/3/" + FedoraEndToEndTest.iiif(
                        SECRET.path()) + "/info.json").statusCode());
                // identifiers the adapter does not know go on to the image folder
                HttpResponse<String> shelf = get(client, base + "/iiif/3/shelf.jp2/info.json");
                assertEquals(200, shelf.statusCode(), shelf.body());
            } finally {
                p.destroy();
                if (!p.waitFor(20, TimeUnit.SECONDS)) p.destroyForcibly();
            }
        }
    }

    @Test
    void anUnparsableRootAuthorizationFileStopsTheLauncherNamingIt(@TempDir Path tmp) throws Exception {
        Path root = Files.createDirectories(tmp.resolve("ocfl-root"));
        Files.writeString(root.resolve("ocfl_layout.json"), "{\"extension\": \"0004-hashed-n-tuple-storage-layout\"}");
        Path broken = Files.writeString(tmp.resolve("root-acl.ttl"), "<#a> <http://www.w3.org/ns/auth/acl#mode> .\n");
        Process p = launch(tmp, freePort(), Map.of("FEDORA_OCFL_ROOT", root.toString(),
                "FEDORA_WEBAC_AUTHORIZATION", broken.toString(),
                "FILESYSTEM_PREFIX", Files.createDirectories(tmp.resolve("images")).toString()));
        try {
            assertTrue(p.waitFor(2, TimeUnit.MINUTES), "the launcher should have stopped");
            String log = Files.readString(tmp.resolve("launcher.log"));
            assertFalse(p.exitValue() == 0, log);
            assertTrue(log.contains("FEDORA_WEBAC_AUTHORIZATION " + broken + " is not valid Turtle: line 1"), log);
            for (String line : List.of(log.split("\n"))) {
                assertFalse(line.contains("Started ServerConnector"), "it must not serve: " + line);
            }
        } finally {
            p.destroyForcibly();
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
