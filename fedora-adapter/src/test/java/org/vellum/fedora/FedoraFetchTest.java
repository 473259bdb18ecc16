package org.vellum.fedora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vellum.fedora.FedoraEndToEndTest.iiif;
import static org.vellum.testing.Http.text;

import java.awt.image.BufferedImage;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vellum.api.ResolverException;
import org.vellum.config.Settings;
import org.vellum.testing.Fixtures;
import org.vellum.testing.Http;

/**
 * Without Fedora's storage root on this machine (ocfl-s3, another host): binaries fetched through Fedora's REST API
 * ({@link FedoraJwtServer}: Islandora's JWT valve, ETags, byte ranges, If-Range) in range requests into a bounded
 * folder, kept per version, served through IIIF and IIP with their pixels.
 */
class FedoraFetchTest {
    static final int CHUNK = 4096;
    static final String PAGE = "objects/page1.jp2";
    static final String OTHER = "objects/page2.jp2";
    static final String SECRET = "private/secret.jp2";
    static final String TEXT = "objects/readme.txt";

    @TempDir
    Path tmp;
    FedoraJwtServer fedora;
    byte[] page;
    byte[] other;
    String reader;

    @BeforeEach
    void setUp() throws Exception {
        fedora = new FedoraJwtServer();
        page = FedoraFixture.jp2(700, 500, tmp.resolve("scratch"));
        other = FedoraFixture.jp2(300, 200, tmp.resolve("scratch"));
        fedora.resource(PAGE, "*");
        fedora.content(PAGE, page);
        fedora.resource(OTHER, "*");
        fedora.content(OTHER, other);
        fedora.resource(SECRET, "librarian");
        fedora.content(SECRET, FedoraFixture.jp2(200, 150, tmp.resolve("scratch")));
        fedora.resource(TEXT, "*");
        fedora.content(TEXT, "not an image ".repeat(8000).getBytes(StandardCharsets.UTF_8));
        reader = "Bearer " + fedora.token("librarian", List.of("authenticated"), 600);
    }

    @AfterEach
    void tearDown() {
        fedora.close();
    }

    private FedoraSettings settings(FedoraSettings.Access access, long bound, String authorization) {
        return new FedoraSettings(null, fedora.restUrl(), FedoraSettings.prefixesOf(List.of("/_flysystem/fedora/=")),
                access, true, null, Duration.ofSeconds(1), 100, tmp.resolve("fetched"), bound, authorization);
    }

    private long gets(String path) {
        return fedora.log.stream().filter(l -> l.startsWith("GET " + path)).count();
    }

    private static void assertPixels(HttpResponse<byte[]> r, int w, int h) {
        assertEquals(200, r.statusCode(), text(r));
        BufferedImage tile = Fixtures.decode(r.body());
        BufferedImage expected = Fixtures.colourGrid(w, h).getSubimage(64, 32, tile.getWidth(), tile.getHeight());
        assertTrue(Fixtures.meanError(expected, tile) < 3);
    }

    @Test
    void aBinaryIsFetchedOnceInRangeRequestsAndServedWithItsPixels() throws Exception {
        try (FedoraResolver resolver = FedoraResolver.create(settings(FedoraSettings.Access.FORWARD, 1L << 30, ""),
                CHUNK); Http http = new Http(Settings.defaults(), resolver)) {
            HttpResponse<byte[]> info = http.get("/iiif/3/" + iiif(fedora.restUrl() + "/" + PAGE) + "/info.json",
                    "Authorization", reader);
            assertEquals(200, info.statusCode(), text(info));
            assertTrue(text(info).replace(" ", "").contains("\"width\":700"));
            assertTrue(Http.header(info, "Cache-Control").startsWith("private"));
            int ranges = (page.length + CHUNK - 1) / CHUNK;
            assertTrue(ranges > 1, "the file spans several ranges");
            assertEquals(ranges, gets(PAGE), fedora.log.toString());
            assertTrue(fedora.log.stream().filter(l -> l.startsWith("GET ")).allMatch(l -> l.contains(" bytes=")),
                    "every GET asks for a range");
            assertPixels(http.get("/iiif/2/" + iiif(PAGE) + "/64,32,128,96/full/0/default.jpg", "Authorization",
                    reader), 700, 500);
            Thread.sleep(1100);                     // Fedora's answer expired: asked again, the file is still good
            assertPixels(http.get("/iiif/3/" + iiif(PAGE) + "/64,32,128,96/max/0/default.png", "Authorization",
                    reader), 700, 500);
            HttpResponse<byte[]> iip = http.get("/iip?FIF=" + iiif(PAGE) + "&obj=Max-size", "Authorization", reader);
            assertTrue(text(iip).contains("Max-size:700 500"), text(iip));
            assertEquals(ranges, gets(PAGE), "not fetched again");
            assertEquals(page.length, resolver.fetchedBytes());
        }
    }

    @Test
    void aNewVersionIsFetchedAgainAndTheOldOneIsNotServed() throws Exception {
        try (FedoraResolver resolver = FedoraResolver.create(settings(FedoraSettings.Access.FORWARD, 1L << 30, ""),
                CHUNK); Http http = new Http(Settings.defaults(), resolver)) {
            assertTrue(text(http.get("/iiif/3/" + iiif(PAGE) + "/info.json", "Authorization", reader))
                    .replace(" ", "").contains("\"width\":700"));
            fedora.content(PAGE, FedoraFixture.jp2(333, 222, tmp.resolve("scratch")));
            Thread.sleep(1100);
            HttpResponse<byte[]> info = http.get("/iiif/3/" + iiif(PAGE) + "/info.json", "Authorization", reader);
            assertTrue(text(info).replace(" ", "").contains("\"width\":333"), text(info));
            assertPixels(http.get("/iiif/2/" + iiif(PAGE) + "/64,32,128,96/full/0/default.jpg", "Authorization",
                    reader), 333, 222);
        }
    }

    @Test
    void whatIsNotAJpeg2000IsNotFetchedPastItsFirstRange() throws Exception {
        try (FedoraResolver resolver = FedoraResolver.create(settings(FedoraSettings.Access.FORWARD, 1L << 30, ""),
                CHUNK); Http http = new Http(Settings.defaults(), resolver)) {
            assertEquals(404, http.get("/iiif/3/" + iiif(TEXT) + "/info.json", "Authorization", reader).statusCode());
            assertEquals(404, http.get("/iip?FIF=" + iiif(TEXT) + "&obj=Max-size", "Authorization", reader)
                    .statusCode());
            assertEquals(2, gets(TEXT), "one range each time, of a 104000-byte file");
            assertEquals(0, resolver.fetchedBytes());
            try (var files = Files.list(tmp.resolve("fetched"))) {
                assertEquals(0, files.count(), "no part file left");
            }
        }
    }

    @Test
    void fedorasRefusalsReachTheCallerAndNothingIsFetchedForThem() throws Exception {
        try (FedoraResolver resolver = FedoraResolver.create(settings(FedoraSettings.Access.FORWARD, 1L << 30, ""),
                CHUNK); Http http = new Http(Settings.defaults(), resolver)) {
            String path = "/iiif/3/" + iiif(SECRET) + "/info.json";
            assertEquals(401, http.get(path).statusCode());
            assertEquals(403, http.get(path, "Authorization", "Bearer " + fedora.token("visitor",
                    List.of("authenticated"), 600)).statusCode());
            assertEquals(401, http.get(path, "Authorization", "Bearer " + FedoraJwtServer.forged("librarian",
                    List.of("fedoraAdmin"))).statusCode());
            assertEquals(0, gets(SECRET));
            assertEquals(404, http.get("/iiif/3/" + iiif("objects/none.jp2") + "/info.json", "Authorization", reader)
                    .statusCode());
            assertEquals(200, http.get(path, "Authorization", reader).statusCode());
        }
    }

    @Test
    void theFolderStaysWithinItsBoundLeastRecentlyUsedOutFirst() throws Exception {
        long bound = page.length + other.length - 1;
        try (FedoraResolver resolver = FedoraResolver.create(settings(FedoraSettings.Access.FORWARD, bound, ""),
                CHUNK)) {
            var caller = new org.vellum.api.Caller("GET", n -> n.equalsIgnoreCase("Authorization") ? reader : null,
                    "", "");
            Path first = resolver.resolve(PAGE, caller).path();
            resolver.resolve(OTHER, caller);
            assertTrue(resolver.fetchedBytes() <= bound, resolver.fetchedBytes() + " > " + bound);
            assertFalse(Files.exists(first), "the older file made room");
            assertEquals(other.length, resolver.fetchedBytes());
        }
        try (FedoraResolver small = FedoraResolver.create(settings(FedoraSettings.Access.FORWARD, page.length - 1, ""),
                CHUNK)) {
            var caller = new org.vellum.api.Caller("GET", n -> n.equalsIgnoreCase("Authorization") ? reader : null,
                    "", "");
            ResolverException e = assertThrows(ResolverException.class, () -> small.resolve(PAGE, caller));
            assertEquals(503, e.status(), "larger than the whole folder: not fetched");
        }
    }

    @Test
    void trustSendsVellumsOwnCredentialsAndAnswersPrivately() throws Exception {
        String admin = "Bearer " + fedora.token("vellum", List.of("fedoraAdmin"), 600);
        try (FedoraResolver resolver = FedoraResolver.create(settings(FedoraSettings.Access.TRUST, 1L << 30, admin),
                CHUNK); Http http = new Http(Settings.defaults(), resolver)) {
            HttpResponse<byte[]> r = http.get("/iiif/2/" + iiif(SECRET) + "/64,32,128,96/full/0/default.jpg");
            assertPixels(r, 200, 150);
            assertTrue(Http.header(r, "Cache-Control").startsWith("private"));
            assertTrue(fedora.authorizations.contains(admin));
        }
    }

    @Test
    void webAcWithoutAStorageRootAsksFedoraAsThePublic() throws Exception {
        fedora.anonymousGet = true;
        try (FedoraResolver resolver = FedoraResolver.create(settings(FedoraSettings.Access.WEBAC, 1L << 30, ""),
                CHUNK); Http http = new Http(Settings.defaults(), resolver)) {
            HttpResponse<byte[]> r = http.get("/iiif/3/" + iiif(PAGE) + "/info.json", "Authorization", reader);
            assertEquals(200, r.statusCode(), text(r));
            assertFalse(Http.header(r, "Cache-Control").contains("private"));
            assertFalse(fedora.authorizations.contains(reader), "the caller's credentials are not used");
            assertEquals(403, http.get("/iiif/3/" + iiif(SECRET) + "/info.json").statusCode());
        }
    }
}
