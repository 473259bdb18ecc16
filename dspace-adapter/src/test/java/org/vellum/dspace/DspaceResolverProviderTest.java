package org.vellum.dspace;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;
import org.vellum.api.ResolverProvider;
import org.vellum.api.settings.SettingSource;

/** The adapter as the WAR and the embedded launcher find it: by ServiceLoader, switched on by DSPACE_DB_URL. */
class DspaceResolverProviderTest {
    private static ResolverProvider provider() {
        return ServiceLoader.load(ResolverProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("dspace")).findFirst().orElseThrow();
    }

    @Test
    void withoutADatabaseUrlTheAdapterIsNotAsked() throws Exception {
        assertTrue(provider().create(SettingSource.variables(Map.of("FILESYSTEM_PREFIX", "/images",
                "DSPACE_ASSETSTORES", "0=/dspace/assetstore"))).isEmpty());
    }

    @Test
    void givenADatabaseUrlItsOtherSettingsAreChecked() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> provider().create(
                SettingSource.variables(Map.of("DSPACE_DB_URL", "jdbc:postgresql://127.0.0.1:1/dspace",
                        "DSPACE_AUTH", "forward"))));
        assertTrue(e.getMessage().contains("DSPACE_REST_URL"), e.getMessage());
    }
}
