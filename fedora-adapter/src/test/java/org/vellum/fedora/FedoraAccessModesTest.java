package org.vellum.fedora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vellum.fedora.FedoraEndToEndTest.iiif;
import static org.vellum.testing.Http.text;

import java.awt.image.BufferedImage;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.vellum.api.ResolverException;
import org.vellum.config.Settings;
import org.vellum.fedora.FedoraSample.Served;
import org.vellum.testing.Fixtures;
import org.vellum.testing.Http;

/**
 * FEDORA_ACCESS=forward against Fedora's REST API behind Islandora's JWT valve ({@link FedoraJwtServer}: RS256
 * signatures and expiry checked), FEDORA_ACCESS=trust, and the root authorization of FEDORA_ACCESS=webac.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FedoraAccessModesTest {
    Path tmp;
    FedoraFixture fedora;
    FedoraJwtServer islandora;
    FedoraResolver forward;
    FedoraResolver trust;
    Http forwardHttp;
    Http trustHttp;

    @BeforeAll
    void setUp(@TempDir Path tmp) throws Exception {
        this.tmp = tmp;
        fedora = FedoraSample.write(tmp);
        islandora = new FedoraJwtServer();
        islandora.resource(FedoraSample.SECRET.path(), "librarian");
        islandora.resource(FedoraSample.PAGE.path(), "*");
        islandora.resource(FedoraSample.AG_PAGE.path(), "librarian");
        forward = FedoraResolver.create(FedoraSettings.fromEnvironment(Map.of(
                "FEDORA_OCFL_ROOT", fedora.ocflRoot().toString(), "FEDORA_REST_URL", islandora.restUrl(),
                "FEDORA_ACCESS", "forward")));
        trust = FedoraResolver.create(FedoraSettings.fromEnvironment(Map.of(
                "FEDORA_OCFL_ROOT", fedora.ocflRoot().toString(), "FEDORA_ACCESS", "trust")));
        forwardHttp = new Http(Settings.defaults(), forward);
        trustHttp = new Http(Settings.defaults(), trust);
    }

    @AfterAll
    void tearDown() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {forwardHttp, trustHttp, forward, trust, islandora, fedora}) {
            if (c != null) c.close();
        }
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }

    private static void assertPixels(HttpResponse<byte[]> r, Served s, int x, int y) {
        assertEquals(200, r.statusCode(), text(r));
        BufferedImage tile = Fixtures.decode(r.body());
        BufferedImage expected = Fixtures.colourGrid(s.width(), s.height()).getSubimage(x, y, tile.getWidth(),
                tile.getHeight());
        assertTrue(Fixtures.meanError(expected, tile) < 3);
    }

    @Test
    void aValidTokenOfAReaderIsServedAsAPrivateAnswerThroughIiifAndIip() {
        Served s = FedoraSample.SECRET;
        String auth = bearer(islandora.token("librarian", List.of("authenticated"), 600));
        HttpResponse<byte[]> info = forwardHttp.get("/iiif/3/" + iiif(s.path()) + "/info.json", "Authorization", auth);
        assertEquals(200, info.statusCode(), text(info));
        assertTrue(Http.header(info, "Cache-Control").startsWith("private"), Http.header(info, "Cache-Control"));
        HttpResponse<byte[]> tile = forwardHttp.get("/iiif/2/" + iiif(s.path()) + "/64,32,128,96/full/0/default.jpg",
                "Authorization", auth);
        assertPixels(tile, s, 64, 32);
        assertTrue(Http.header(tile, "Cache-Control").startsWith("private"));
        String levels = text(forwardHttp.get("/iip?FIF=" + iiif(s.path()) + "&obj=Resolution-number",
                "Authorization", auth)).replaceAll("(?s).*Resolution-number:(\\d+).*", "$1");
        HttpResponse<byte[]> iip = forwardHttp.get("/iip?FIF=" + iiif(s.path()) + "&JTL="
                + (Integer.parseInt(levels) - 1) + ",0", "Authorization", auth);
        assertPixels(iip, s, 0, 0);
        assertTrue(Http.header(iip, "Cache-Control").startsWith("private"));
        assertTrue(islandora.authorizations.contains(auth), "the caller's header reached Fedora as it was");
    }

    @Test
    void fedorasRefusalsReachTheCaller() throws Exception {
        String path = "/iiif/3/" + iiif(FedoraSample.SECRET.path()) + "/info.json";
        assertEquals(401, forwardHttp.get(path).statusCode(), "no token");
        assertEquals(403, forwardHttp.get(path, "Authorization", bearer(islandora.token("visitor",
                List.of("authenticated"), 600))).statusCode(), "a reader Fedora does not let in");
        assertEquals(401, forwardHttp.get(path, "Authorization", bearer(islandora.token("librarian",
                List.of("authenticated"), -60))).statusCode(), "expired");
        assertEquals(401, forwardHttp.get(path, "Authorization", bearer(FedoraJwtServer.forged("librarian",
                List.of("fedoraAdmin")))).statusCode(), "signed by another key");
        String token = islandora.token("visitor", List.of("authenticated"), 600);
        String[] parts = token.split("\\.");
        String claims = new String(java.util.Base64.getUrlDecoder().decode(parts[1])).replace("visitor", "librarian");
        String tampered = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                claims.getBytes()) + "." + parts[2];
        assertEquals(401, forwardHttp.get(path, "Authorization", bearer(tampered)).statusCode(), "tampered");
        assertEquals(401, forwardHttp.get("/iip?FIF=" + iiif(FedoraSample.SECRET.path()) + "&obj=Max-size")
                .statusCode());
        assertEquals(200, forwardHttp.get(path, "Authorization", bearer(islandora.token("admin",
                List.of("fedoraAdmin"), 600))).statusCode(), "Islandora's admin role");
        assertEquals(404, forwardHttp.get("/iiif/3/" + iiif(FedoraSample.TOMBSTONE) + "/info.json",
                "Authorization", bearer(islandora.token("admin", List.of("fedoraAdmin"), 600))).statusCode());
    }

    @Test
    void fedorasAnswerIsReusedForAShortWhilePerCallerAndBinary() {
        Served s = FedoraSample.AG_PAGE;
        String auth = bearer(islandora.token("librarian", List.of("authenticated"), 600));
        for (int i = 0; i < 4; i++) {
            assertEquals(200, forwardHttp.get("/iiif/3/" + iiif(s.path()) + "/info.json", "Authorization", auth)
                    .statusCode());
        }
        assertEquals(1, islandora.requests.get(s.path()).get(), "one HEAD for four requests");
        assertEquals(403, forwardHttp.get("/iiif/3/" + iiif(s.path()) + "/info.json", "Authorization",
                bearer(islandora.token("visitor", List.of("authenticated"), 600))).statusCode(),
                "another caller is asked about on its own");
        assertEquals(2, islandora.requests.get(s.path()).get());
    }

    @Test
    void aPublicBinaryAskedForWithoutCredentialsMayBeCachedBySharedCaches() {
        islandora.anonymousGet = true;
        try {
            HttpResponse<byte[]> r = forwardHttp.get("/iiif/3/" + iiif(FedoraSample.PAGE.path()) + "/info.json");
            assertEquals(200, r.statusCode(), text(r));
            assertFalse(Http.header(r, "Cache-Control").contains("private"));
        } finally {
            islandora.anonymousGet = false;
        }
    }

    @Test
    void anUnreachableFedoraIsA503() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (FedoraResolver down = FedoraResolver.create(FedoraSettings.fromEnvironment(Map.of(
                "FEDORA_OCFL_ROOT", fedora.ocflRoot().toString(), "FEDORA_REST_URL",
                "http://127.0.0.1:" + port + "/fcrepo/rest", "FEDORA_ACCESS", "forward")))) {
            ResolverException e = org.junit.jupiter.api.Assertions.assertThrows(ResolverException.class,
                    () -> down.resolve(FedoraSample.PAGE.path()));
            assertEquals(503, e.status());
        }
    }

    @Test
    void trustServesWhatWebAcWouldRefuseButOnlyAsPrivateAnswers() {
        Served s = FedoraSample.SECRET;
        HttpResponse<byte[]> r = trustHttp.get("/iiif/2/" + iiif(s.path()) + "/64,32,128,96/full/0/default.jpg");
        assertPixels(r, s, 64, 32);
        assertTrue(Http.header(r, "Cache-Control").startsWith("private"), Http.header(r, "Cache-Control"));
        HttpResponse<byte[]> page = trustHttp.get("/iip?FIF=" + iiif(FedoraSample.PAGE.path()) + "&obj=Max-size");
        assertEquals(200, page.statusCode());
        assertTrue(Http.header(page, "Cache-Control").startsWith("private"));
        assertEquals(404, trustHttp.get("/iiif/3/" + iiif(FedoraSample.TOMBSTONE) + "/info.json").statusCode());
        assertEquals(404, trustHttp.get("/iiif/3/" + iiif(FedoraSample.EXTERNAL) + "/info.json").statusCode());
    }

    @Test
    void withoutAnyAclTheConfiguredRootAuthorizationDecides(@TempDir Path dir) throws Exception {
        try (FedoraFixture bare = new FedoraFixture(dir)) {
            bare.repositoryRoot();
            bare.container("info:fedora/c", "info:fedora");
            bare.binary("info:fedora/c/p.jp2", "info:fedora/c", FedoraFixture.jp2(120, 90, dir.resolve("s")));
            for (boolean rootPublic : new boolean[] {true, false}) {
                try (FedoraResolver r = FedoraResolver.create(FedoraSettings.fromEnvironment(Map.of(
                        "FEDORA_OCFL_ROOT", bare.ocflRoot().toString(),
                        "FEDORA_WEBAC_ROOT_PUBLIC", String.valueOf(rootPublic))))) {
                    if (rootPublic) {
                        assertFalse(r.resolve("c/p.jp2").personal());
                    } else {
                        ResolverException e = org.junit.jupiter.api.Assertions.assertThrows(ResolverException.class,
                                () -> r.resolve("c/p.jp2"));
                        assertEquals(403, e.status());
                    }
                }
            }
        }
    }
}
