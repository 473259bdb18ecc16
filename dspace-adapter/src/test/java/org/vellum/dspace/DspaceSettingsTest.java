package org.vellum.dspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

class DspaceSettingsTest {

    @Test
    void defaultsServeAnonymousReadableBitstreamsOnly() {
        DspaceSettings s = DspaceSettings.fromEnvironment(Map.of("DSPACE_DB_URL", "jdbc:postgresql://db/dspace"));
        assertFalse(s.forwardAuth());
        assertEquals("Anonymous", s.anonymousGroup());
        assertEquals(4, s.dbPoolSize());
        assertEquals(Duration.ofSeconds(5), s.dbTimeout());
        assertEquals(Duration.ofSeconds(60), s.lookupTtl());
        assertEquals("", s.restUrl());
        assertTrue(s.assetstores().isEmpty());
    }

    @Test
    void assetstoresMapStoreNumbersToDirectories() {
        DspaceSettings s = DspaceSettings.fromEnvironment(Map.of("DSPACE_DB_URL", "jdbc:postgresql://db/dspace",
                "DSPACE_ASSETSTORES", "0=/dspace/assetstore, 2=/mnt/store2", "DSPACE_REST_URL",
                "https://repo.example.org/server/", "DSPACE_AUTH", "forward"));
        assertEquals(Map.of(0, Path.of("/dspace/assetstore"), 2, Path.of("/mnt/store2")), s.assetstores());
        assertEquals("https://repo.example.org/server", s.restUrl());
        assertTrue(s.forwardAuth());
    }

    @Test
    void badValuesAreRefusedAtStartUp() {
        assertThrows(IllegalArgumentException.class, () -> DspaceSettings.fromEnvironment(Map.of()));
        assertThrows(IllegalArgumentException.class, () -> DspaceSettings.fromEnvironment(Map.of(
                "DSPACE_DB_URL", "jdbc:postgresql://db/dspace", "DSPACE_AUTH", "yes")));
        assertThrows(IllegalArgumentException.class, () -> DspaceSettings.fromEnvironment(Map.of(
                "DSPACE_DB_URL", "jdbc:postgresql://db/dspace", "DSPACE_ASSETSTORES", "/dspace/assetstore")));
        assertThrows(IllegalArgumentException.class, () -> DspaceSettings.fromEnvironment(Map.of(
                "DSPACE_DB_URL", "jdbc:postgresql://db/dspace", "DSPACE_AUTH", "forward")));
    }

    @Test
    void databaseModeNeedsDspacesLoginSecret() {
        Map<String, String> env = new java.util.HashMap<>(Map.of("DSPACE_DB_URL", "jdbc:postgresql://db/dspace",
                "DSPACE_AUTH", "database"));
        assertThrows(IllegalArgumentException.class, () -> DspaceSettings.fromEnvironment(env));
        env.put("DSPACE_JWT_SECRET", "s3cret");
        DspaceSettings s = DspaceSettings.fromEnvironment(env);
        assertEquals(DspaceSettings.Auth.DATABASE, s.auth());
        assertEquals("s3cret", s.jwtSecret());
        assertTrue(s.jwtIncludeOrigin());
    }

    @Test
    void theVersionTimeZoneAndAllowedRootsAreReadAndChecked() {
        DspaceSettings auto = DspaceSettings.fromEnvironment(Map.of("DSPACE_DB_URL", "jdbc:postgresql://db/dspace"));
        assertEquals(0, auto.dspaceVersion(), "auto: detected from schema_version");
        assertEquals(java.time.ZoneId.systemDefault(), auto.timeZone());
        DspaceSettings s = DspaceSettings.fromEnvironment(Map.of("DSPACE_DB_URL", "jdbc:postgresql://db/dspace",
                "DSPACE_VERSION", "9", "DSPACE_TIME_ZONE", "Europe/Berlin",
                "DSPACE_ALLOWED_ROOTS", "/mnt/scans, /data/../data/images"));
        assertEquals(9, s.dspaceVersion());
        assertEquals(java.time.ZoneId.of("Europe/Berlin"), s.timeZone());
        assertEquals(java.util.List.of(Path.of("/mnt/scans"), Path.of("/data/images")), s.allowedRoots());
        for (String[] bad : new String[][] {{"DSPACE_VERSION", "6"}, {"DSPACE_VERSION", "latest"},
                {"DSPACE_TIME_ZONE", "Mars/Olympus"}}) {
            assertThrows(IllegalArgumentException.class, () -> DspaceSettings.fromEnvironment(Map.of(
                    "DSPACE_DB_URL", "jdbc:postgresql://db/dspace", bad[0], bad[1])), bad[0] + "=" + bad[1]);
        }
    }
}
