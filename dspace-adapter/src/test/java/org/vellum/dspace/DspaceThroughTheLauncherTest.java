package org.vellum.dspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vellum.testing.Fixtures;
import org.vellum.testing.Launcher;

/**
 * The embedded launcher, {@code org.vellum.server.Main}, run as docs/dspace.md tells a deployer to run it (its own JVM,
 * the adapter on its class path, configured by the environment): it finds the DSpace adapter through its
 * ResolverProvider, serves a public bitstream by UUID, refuses a restricted one, still serves its image folder, and
 * reports the database.
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
            try (Launcher launcher = Launcher.start(tmp, Map.of("DSPACE_DB_URL", db.jdbcUrl(),
                    "DSPACE_DB_USER", "postgres", "DSPACE_ASSETSTORES", "0=" + store,
                    "FILESYSTEM_PREFIX", images.toString()))) {
                HttpResponse<String> ready = launcher.await("/health/ready");
                assertEquals(200, ready.statusCode(), ready.body());
                assertTrue(ready.body().contains("dspace-database"), ready.body());
                HttpResponse<String> info = launcher.get("/iiif/3/" + open + "/info.json");
                assertEquals(200, info.statusCode(), info.body());
                assertTrue(info.body().replace(" ", "").contains("\"width\":640"), info.body());
                assertEquals(403, launcher.get("/iiif/3/" + closed + "/info.json").statusCode());
                // identifiers the adapter does not know go on to the image folder
                HttpResponse<String> shelf = launcher.get("/iiif/3/shelf.jp2/info.json");
                assertEquals(200, shelf.statusCode(), shelf.body());
            }
        }
    }
}
