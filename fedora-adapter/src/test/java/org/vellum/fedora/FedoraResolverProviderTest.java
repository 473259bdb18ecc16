package org.vellum.fedora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vellum.api.ImageResolver;
import org.vellum.api.ResolverProvider;
import org.vellum.api.settings.SettingSource;

/** The adapter as the WAR and the embedded launcher find it: by ServiceLoader, switched on by its own settings. */
class FedoraResolverProviderTest {
    private static ResolverProvider provider() {
        return ServiceLoader.load(ResolverProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("fedora")).findFirst().orElseThrow();
    }

    @Test
    void withoutAStorageRootOrARestUrlTheAdapterIsNotAsked() throws Exception {
        assertTrue(provider().create(SettingSource.variables(Map.of("FILESYSTEM_PREFIX", "/images",
                "FEDORA_OCFL_ROOT", " "))).isEmpty());
    }

    @Test
    void givenAStorageRootItResolvesFedoraIdentifiers(@TempDir Path tmp) throws Exception {
        try (FedoraFixture fedora = FedoraSample.write(tmp)) {
            ImageResolver resolver = provider().create(SettingSource.variables(Map.of(
                    "FEDORA_OCFL_ROOT", fedora.ocflRoot().toString()))).orElseThrow();
            try {
                assertTrue(resolver.resolve(FedoraSample.PAGE.path()).size() > 0);
            } finally {
                ((AutoCloseable) resolver).close();
            }
        }
    }

    @Test
    void unreadableSettingsStopTheStart() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> provider().create(
                SettingSource.variables(Map.of("FEDORA_OCFL_ROOT", "/x", "FEDORA_ACCESS", "forward"))));
        assertTrue(e.getMessage().contains("FEDORA_REST_URL"), e.getMessage());
        assertEquals("fedora", provider().name());
    }
}
