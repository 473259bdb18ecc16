package org.vellum.fedora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vellum.config.Settings;
import org.vellum.testing.Http;

/**
 * /health/ready names the Fedora storage: ready while the OCFL storage root is there, 503 naming {@code fedora-storage}
 * when it disappears (a share unmounted), ready again when it is back. Over a repository written by Fedora's own
 * storage library.
 */
class FedoraReadinessTest {
    @Test
    void readinessFollowsTheStorageRoot(@TempDir Path tmp) throws Exception {
        try (FedoraFixture fedora = FedoraSample.write(tmp);
             FedoraResolver resolver = FedoraResolver.create(FedoraSettings.fromEnvironment(Map.of(
                     "FEDORA_OCFL_ROOT", fedora.ocflRoot().toString())));
             Http http = new Http(Settings.defaults(), resolver)) {
            HttpResponse<byte[]> ready = http.get("/health/ready");
            String body = new String(ready.body(), StandardCharsets.UTF_8);
            assertEquals(200, ready.statusCode(), body);
            assertTrue(body.contains("fedora-storage"), body);

            Path away = tmp.resolve("unmounted");
            Files.move(fedora.ocflRoot(), away);
            HttpResponse<byte[]> gone = http.get("/health/ready");
            body = new String(gone.body(), StandardCharsets.UTF_8);
            assertEquals(503, gone.statusCode(), body);
            assertTrue(body.contains("fedora-storage"), body);

            Files.move(away, fedora.ocflRoot());
            assertEquals(200, http.get("/health/ready").statusCode());
        }
    }
}
