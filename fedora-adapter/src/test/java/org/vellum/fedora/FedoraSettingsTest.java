package org.vellum.fedora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class FedoraSettingsTest {

    @Test
    void defaultsDecideByWebAcAndMapIslandorasFileUrls() {
        FedoraSettings s = FedoraSettings.fromEnvironment(Map.of("FEDORA_OCFL_ROOT", "/data/home/data/ocfl-root"));
        assertEquals(Path.of("/data/home/data/ocfl-root"), s.ocflRoot());
        assertEquals(FedoraSettings.Access.WEBAC, s.access());
        assertTrue(s.rootPublic());
        assertEquals("", s.restUrl());
        assertEquals(List.of(new FedoraSettings.Prefix("/_flysystem/fedora/", "")), s.prefixes());
        assertEquals(Duration.ofSeconds(30), s.forwardTtl());
    }

    @Test
    void prefixesAreTriedLongestFirstAndTheirPathsEndInASlash() {
        FedoraSettings s = FedoraSettings.fromEnvironment(Map.of("FEDORA_OCFL_ROOT", "/ocfl",
                "FEDORA_PREFIXES", "/files/=imported, /files/fedora/=/islandora"));
        assertEquals(List.of(new FedoraSettings.Prefix("/files/fedora/", "islandora/"),
                new FedoraSettings.Prefix("/files/", "imported/")), s.prefixes());
    }

    @Test
    void badValuesAreRefusedAtStartUp() {
        for (Map<String, String> bad : List.of(Map.<String, String>of(),
                Map.of("FEDORA_OCFL_ROOT", "/ocfl", "FEDORA_ACCESS", "open"),
                Map.of("FEDORA_OCFL_ROOT", "/ocfl", "FEDORA_ACCESS", "forward"),
                Map.of("FEDORA_OCFL_ROOT", "/ocfl", "FEDORA_REST_URL", "ftp://fedora/rest"),
                Map.of("FEDORA_OCFL_ROOT", "/ocfl", "FEDORA_PREFIXES", "no-equals-sign"),
                Map.of("FEDORA_OCFL_ROOT", "/ocfl", "FEDORA_CACHE_SIZE", "many"))) {
            assertThrows(IllegalArgumentException.class, () -> FedoraSettings.fromEnvironment(bad), bad.toString());
        }
    }

    /** The configuration as Declarative Services hands it over: the metatype's default for what is left out. */
    private static FedoraConfiguration config(Map<String, Object> values) {
        return (FedoraConfiguration) Proxy.newProxyInstance(FedoraResolverComponent.class.getClassLoader(),
                new Class<?>[] {FedoraConfiguration.class}, (proxy, method, args) -> {
                    Object v = values.get(method.getName());
                    return v != null ? v : method.getDefaultValue();
                });
    }

    @Test
    void theConfigAdminConfigurationMeansWhatTheEnvironmentMeans() {
        FedoraSettings s = FedoraResolverComponent.settingsOf(config(Map.of(
                "ocfl_root", "/ocfl", "access", "forward", "rest_url", "https://repo.example.org/fcrepo/rest/",
                "prefixes", new String[] {"/_flysystem/fedora/=", "hyrax:=prod/"})));
        assertEquals(FedoraSettings.Access.FORWARD, s.access());
        assertEquals("https://repo.example.org/fcrepo/rest", s.restUrl());
        assertEquals(2, s.prefixes().size());
        assertThrows(IllegalArgumentException.class, () -> FedoraResolverComponent.settingsOf(config(Map.of())));
    }

    @Test
    void inOsgiAConfigurationThatCannotBeServedIsA503AndNotReadyNamingTheProblem(
            @org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        FedoraResolverComponent component = new FedoraResolverComponent();
        java.nio.file.Files.writeString(tmp.resolve("ocfl_layout.json"),
                "{\"extension\": \"0004-hashed-n-tuple-storage-layout\"}");
        Path missing = tmp.resolve("root-acl.ttl");
        component.activate(config(Map.of("ocfl_root", tmp.toString(), "webac_authorization", missing.toString())));
        Exception notReady = assertThrows(Exception.class, component::check);
        assertTrue(notReady.getMessage().contains("cannot start") && notReady.getMessage().contains(
                missing.toString()), notReady.getMessage());
        org.vellum.api.ResolverException e = assertThrows(org.vellum.api.ResolverException.class,
                () -> component.resolve("objects/page1.jp2"));
        assertEquals(503, e.status());
        assertEquals("fedora-storage", component.name());
        component.deactivate();
    }
}
