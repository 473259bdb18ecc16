package org.vellum.dspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The ConfigAdmin configuration means what the environment variables mean. */
class DspaceResolverComponentTest {

    /** The configuration as Declarative Services hands it over: the metatype's default for what is left out. */
    private static DspaceConfiguration config(Map<String, Object> values) {
        return (DspaceConfiguration) Proxy.newProxyInstance(DspaceResolverComponent.class.getClassLoader(),
                new Class<?>[] {DspaceConfiguration.class}, (proxy, method, args) -> {
                    Object v = values.get(method.getName());
                    return v != null ? v : method.getDefaultValue();
                });
    }

    @Test
    void configurationPropertiesMapOntoTheSettings() {
        DspaceSettings s = DspaceResolverComponent.settingsOf(config(Map.of(
                "db_url", "jdbc:postgresql://db/dspace",
                "assetstores", new String[] {"0=/dspace/assetstore", "2=/mnt/two"},
                "auth", "forward",
                "_db_password", "secret",
                "rest_url", "https://repo.example.org/server")));
        assertEquals("jdbc:postgresql://db/dspace", s.jdbcUrl());
        assertEquals("vellum", s.dbUser());
        assertEquals("secret", s.dbPassword());
        assertEquals(Map.of(0, Path.of("/dspace/assetstore"), 2, Path.of("/mnt/two")), s.assetstores());
        assertEquals(true, s.forwardAuth());
        assertEquals(10240L << 20, s.restCacheBytes());
    }

    @Test
    void aConfigurationWithoutTheDatabaseIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> DspaceResolverComponent.settingsOf(config(Map.of())));
    }
}
