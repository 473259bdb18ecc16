package org.vellum.dspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vellum.testing.Http.text;

import java.awt.image.BufferedImage;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.vellum.config.Settings;
import org.vellum.testing.Fixtures;
import org.vellum.testing.Http;

/** The URLs a DSpace IIIF manifest holds, answered by the full server with the DSpace resolver behind it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DspaceEndToEndTest {
    static final int W = 700;
    static final int H = 500;

    DspaceFixture db;
    FakeDspaceRest rest;
    DspaceResolver resolver;
    Http http;
    Path file;
    UUID page;
    UUID restricted;
    /** readable with the session below only, and asked for by no other test, so DSpace's answers are not reused */
    UUID privateToIip;
    UUID librarian;
    UUID other;

    @BeforeAll
    void setUp(@TempDir Path tmp) throws Exception {
        db = new DspaceFixture();
        rest = new FakeDspaceRest();
        Path store = Files.createDirectories(tmp.resolve("assetstore"));
        UUID original = db.bundle(db.item("123456789/100", false, true, true), "ORIGINAL");
        DspaceFixture.Page open = db.page(original, 0, store, W, H, DspaceFixture.ANONYMOUS);
        page = open.uuid();
        file = open.file();
        librarian = db.eperson("librarian@example.org", "salt-of-the-librarians-session-0", DspaceFixture.LIBRARIANS);
        other = db.eperson("other@example.org", "salt-of-another-readers-session-");
        rest.sessions.put(librarian, "salt-of-the-librarians-session-0");
        rest.sessions.put(other, "salt-of-another-readers-session-");
        restricted = db.page(original, 1, store, 300, 200, DspaceFixture.LIBRARIANS).uuid();
        rest.contents.put(restricted, new FakeDspaceRest.Content(new byte[] {0}, "r", java.util.Set.of(librarian)));
        privateToIip = db.page(original, 2, store, 300, 200, DspaceFixture.LIBRARIANS).uuid();
        rest.contents.put(privateToIip, new FakeDspaceRest.Content(new byte[] {0}, "p", java.util.Set.of(librarian)));
        resolver = DspaceResolver.create(db.settings(Map.of(0, store), rest.serverUrl(), tmp.resolve("cache"), 1L << 20,
                DspaceSettings.Auth.FORWARD));
        http = new Http(Settings.defaults(), resolver);
    }

    @AfterAll
    void tearDown() throws Exception {
        if (http != null) http.close();
        if (resolver != null) resolver.close();
        rest.close();
        db.close();
    }

    @Test
    void infoJsonForABitstreamUuidGivesItsSizeAndId() {
        HttpResponse<byte[]> r = http.get("/iiif/2/" + page + "/info.json");
        assertEquals(200, r.statusCode(), text(r));
        String json = text(r);
        assertTrue(json.contains("\"width\":" + W) || json.contains("\"width\": " + W), json);
        assertTrue(json.contains("\"height\":" + H) || json.contains("\"height\": " + H), json);
        assertTrue(json.contains("/iiif/2/" + page + "\""), json);
        assertEquals(200, http.get("/iiif/3/" + page.toString().toUpperCase() + "/info.json").statusCode());
    }

    @Test
    void aTileForABitstreamUuidHasTheFilesPixels() {
        HttpResponse<byte[]> r = http.get("/iiif/2/" + page + "/256,0,256,256/256,/0/default.jpg");
        assertEquals(200, r.statusCode(), text(r));
        BufferedImage tile = Fixtures.decode(r.body());
        assertEquals(256, tile.getWidth());
        assertEquals(256, tile.getHeight());
        BufferedImage ref = Fixtures.reference(file, 256, 0, 256, 256, 0);
        assertTrue(Fixtures.meanError(ref, tile) < 3, "mean error " + Fixtures.meanError(ref, tile));
    }

    @Test
    void theThumbnailDspaceManifestsAskForIsServed() {
        HttpResponse<byte[]> r = http.get("/iiif/2/" + page + "/full/90,/0/default.jpg");
        assertEquals(200, r.statusCode(), text(r));
        assertEquals(90, Fixtures.decode(r.body()).getWidth());
    }

    @Test
    void aHandleIdentifierWorksWithEncodedOrRawSlashes() {
        assertEquals(200, http.get("/iiif/3/handle%2F123456789%2F100/info.json").statusCode());
        assertEquals(200, http.get("/iiif/3/handle/123456789/100/1/full/max/0/default.jpg").statusCode());
    }

    @Test
    void statusCodesSayWhyNothingIsServed() {
        assertEquals(404, http.get("/iiif/2/" + UUID.randomUUID() + "/info.json").statusCode());
        assertEquals(400, http.get("/iiif/2/not-a-dspace-id/info.json").statusCode());
        assertEquals(400, http.get("/iiif/2/handle%2F1'%20OR%20'1'='1/info.json").statusCode());
        assertEquals(401, http.get("/iiif/2/" + restricted + "/info.json").statusCode());
        assertEquals(403, http.get("/iiif/2/" + restricted + "/info.json", "Authorization", "Bearer "
                + rest.login(other, FakeDspaceRest.UI, 1800), "Origin", FakeDspaceRest.UI).statusCode());
        assertEquals(401, http.get("/iiif/2/" + restricted + "/info.json", "Authorization", "Bearer not-a-token")
                .statusCode());
    }

    @Test
    void theCallersCredentialsReachDspace() {
        HttpResponse<byte[]> r = http.get("/iiif/2/" + restricted + "/0,0,100,100/100,/0/default.jpg",
                "Authorization", "Bearer " + rest.login(librarian, FakeDspaceRest.UI, 1800),
                "Origin", FakeDspaceRest.UI);
        assertEquals(200, r.statusCode(), text(r));
        assertTrue(Http.header(r, "Cache-Control").startsWith("private"), Http.header(r, "Cache-Control"));
    }

    @Test
    void theShortLivedTokenOfADspaceDownloadLinkWorksOnIiifUrls() {
        String token = rest.shortLived(librarian, FakeDspaceRest.UI, 120);
        HttpResponse<byte[]> r = http.get("/iiif/2/" + restricted + "/info.json?authentication-token=" + token,
                "Referer", FakeDspaceRest.UI + "/items/x");
        assertEquals(200, r.statusCode(), text(r));
        assertTrue(text(r).contains("\"width\""), text(r));
    }

    @Test
    void iipZoomifyAndDeepZoomCarryTheCallersCredentialsToDspace() {
        String cookie = "JSESSIONID=ui-session; Authorization-cookie=" + rest.login(librarian, FakeDspaceRest.UI, 1800);
        String bearer = "Bearer " + rest.login(librarian, FakeDspaceRest.UI, 1800);
        String origin = FakeDspaceRest.UI;
        HttpResponse<byte[]> tile = http.get("/iip?FIF=" + privateToIip + "&JTL=0,0", "Cookie", cookie,
                "Referer", origin + "/items/x");
        assertEquals(200, tile.statusCode(), text(tile));
        assertEquals(150, Fixtures.decode(tile.body()).getWidth(), "IIP's smallest level of 300 x 200");
        assertTrue(Http.header(tile, "Cache-Control").startsWith("private"), Http.header(tile, "Cache-Control"));

        HttpResponse<byte[]> zoomify = http.get("/zoomify/" + privateToIip + "/ImageProperties.xml",
                "Authorization", bearer, "Origin", origin);
        assertEquals(200, zoomify.statusCode(), text(zoomify));
        assertTrue(Http.header(zoomify, "Cache-Control").startsWith("private"));
        assertEquals(200, http.get("/deepzoom/" + privateToIip + ".dzi", "Authorization", bearer, "Origin", origin)
                .statusCode());
        assertEquals(200, http.get("/deepzoom/" + privateToIip + "_files/8/0_0.jpg?authentication-token="
                + rest.shortLived(librarian, origin, 120), "Referer", origin + "/").statusCode());
        assertTrue(rest.credentials.stream().filter(c -> c.startsWith(privateToIip.toString()))
                .allMatch(c -> c.endsWith(" null")), "no browser cookie reaches DSpace: " + rest.credentials);

        HttpResponse<byte[]> anonymous = http.get("/iip?FIF=" + privateToIip + "&JTL=0,0");
        assertEquals(401, anonymous.statusCode());
        assertEquals("Bearer", Http.header(anonymous, "WWW-Authenticate"));
        assertEquals(401, http.get("/zoomify/" + privateToIip + "/ImageProperties.xml").statusCode());
        assertEquals(401, http.get("/deepzoom/" + privateToIip + ".dzi").statusCode());
        assertEquals(403, http.get("/iip?FIF=" + privateToIip + "&obj=Max-size", "Authorization", "Bearer "
                + rest.login(other, origin, 1800), "Origin", origin).statusCode());
    }

    @Test
    void publicImagesMayBeCachedByAnyoneAndA401SaysHowToAuthenticate() {
        HttpResponse<byte[]> r = http.get("/iiif/2/" + page + "/info.json");
        assertTrue(!Http.header(r, "Cache-Control").contains("private"));
        assertEquals("Bearer", Http.header(http.get("/iiif/2/" + restricted + "/info.json"), "WWW-Authenticate"));
    }
}
