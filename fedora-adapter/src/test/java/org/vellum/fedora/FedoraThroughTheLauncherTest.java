package org.vellum.fedora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vellum.testing.Fixtures;
import org.vellum.testing.Launcher;

/**
 * The embedded launcher, {@code org.vellum.server.Main}, run as docs/fedora.md tells a deployer to run it (its own JVM,
 * the adapter on its class path, configured by the environment): it finds the Fedora adapter through its
 * ResolverProvider, serves a public binary, refuses a private one, still serves its image folder and reports the
 * storage; an unparsable root authorization file stops it at start, naming the file.
 */
class FedoraThroughTheLauncherTest {
    private static final FedoraSample.Served PAGE = FedoraSample.PAGE;
    private static final FedoraSample.Served SECRET = FedoraSample.SECRET;

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
            try (Launcher launcher = Launcher.start(tmp, Map.of("FEDORA_OCFL_ROOT", fedora.ocflRoot().toString(),
                    "FILESYSTEM_PREFIX", images.toString()))) {
                HttpResponse<String> ready = launcher.await("/health/ready");
                assertEquals(200, ready.statusCode(), ready.body());
                assertTrue(ready.body().contains("fedora-storage"), ready.body());
                HttpResponse<String> info = launcher.get("/iiif/3/" + FedoraEndToEndTest.iiif(PAGE.path())
                        + "/info.json");
                assertEquals(200, info.statusCode(), info.body());
                assertTrue(info.body().replace(" ", "").contains("\"width\":" + PAGE.width()), info.body());
                assertEquals(403, launcher.get("/iiif/3/" + FedoraEndToEndTest.iiif(SECRET.path())
                        + "/info.json").statusCode());
                // identifiers the adapter does not know go on to the image folder
                HttpResponse<String> shelf = launcher.get("/iiif/3/shelf.jp2/info.json");
                assertEquals(200, shelf.statusCode(), shelf.body());
            }
        }
    }

    @Test
    void anUnparsableRootAuthorizationFileStopsTheLauncherNamingIt(@TempDir Path tmp) throws Exception {
        Path root = Files.createDirectories(tmp.resolve("ocfl-root"));
        Files.writeString(root.resolve("ocfl_layout.json"), "{\"extension\": \"0004-hashed-n-tuple-storage-layout\"}");
        Path broken = Files.writeString(tmp.resolve("root-acl.ttl"), "<#a> <http://www.w3.org/ns/auth/acl#mode> .\n");
        try (Launcher launcher = Launcher.start(tmp, Map.of("FEDORA_OCFL_ROOT", root.toString(),
                "FEDORA_WEBAC_AUTHORIZATION", broken.toString(),
                "FILESYSTEM_PREFIX", Files.createDirectories(tmp.resolve("images")).toString()))) {
            Process p = launcher.process();
            assertTrue(p.waitFor(2, TimeUnit.MINUTES), "the launcher should have stopped");
            String log = launcher.log();
            assertFalse(p.exitValue() == 0, log);
            assertTrue(log.contains("FEDORA_WEBAC_AUTHORIZATION " + broken + " is not valid Turtle: line 1"), log);
            for (String line : List.of(log.split("\n"))) {
                assertFalse(line.contains("Started ServerConnector"), "it must not serve: " + line);
            }
        }
    }
}
