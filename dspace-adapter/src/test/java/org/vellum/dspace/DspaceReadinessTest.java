package org.vellum.dspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vellum.config.Settings;
import org.vellum.testing.Http;

/**
 * /health/ready asks the adapter whether DSpace's database answers (the adapter's HealthCheck): 503 naming
 * dspace-database while the adapter's role cannot log in to a real PostgreSQL, 200 again once it can.
 */
class DspaceReadinessTest {
    @Test
    void readinessNamesDspacesDatabaseWhileItRefusesTheAdapterAndRecovers(@TempDir Path tmp) throws Exception {
        try (DspaceFixture db = new DspaceFixture()) {
            db.exec("CREATE ROLE vellum_probe LOGIN");
            DspaceSettings settings = new DspaceSettings(db.jdbcUrl(), "vellum_probe", "", 2, Duration.ofSeconds(1),
                    Map.of(0, Files.createDirectories(tmp.resolve("assetstore"))), "", tmp.resolve("cache"), 1L << 20,
                    DspaceSettings.Auth.ANONYMOUS, "Anonymous", Duration.ofSeconds(60), 1000, Duration.ofSeconds(60),
                    8, java.time.ZoneId.systemDefault(), List.of(), "", "", true);
            try (DspaceResolver resolver = DspaceResolver.create(settings);
                 Http http = new Http(Settings.fromEnvironment(Map.of("FILESYSTEM_PREFIX", tmp.toString())),
                         resolver)) {
                HttpResponse<byte[]> up = await(http, 200);
                assertTrue(text(up).contains("\"dspace-database\":{\"status\":\"up\"}"), text(up));

                db.exec("ALTER ROLE vellum_probe NOLOGIN");
                db.exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'vellum_probe'");
                HttpResponse<byte[]> down = await(http, 503);
                assertTrue(text(down).contains("\"dspace-database\":{\"status\":\"down\""), text(down));
                assertTrue(text(down).contains("\"image-folder\":{\"status\":\"up\"}"), "only the database is down");

                db.exec("ALTER ROLE vellum_probe LOGIN");
                assertEquals(200, await(http, 200).statusCode());
            }
        }
    }

    private static HttpResponse<byte[]> await(Http http, int status) throws InterruptedException {
        HttpResponse<byte[]> r = null;
        for (int i = 0; i < 60; i++) {
            r = http.get("/health/ready");
            if (r.statusCode() == status) return r;
            Thread.sleep(250);
        }
        throw new AssertionError("readiness stayed " + r.statusCode() + ": " + text(r));
    }

    private static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }
}
