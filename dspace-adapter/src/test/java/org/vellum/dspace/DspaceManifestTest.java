package org.vellum.dspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.vellum.config.Settings;
import org.vellum.testing.Http;

/**
 * An item's IIIF manifest from the DSpace adapter, over HTTP, against DSpace's tables in a real PostgreSQL: the
 * ORIGINAL bundle's JPEG 2000 bitstreams in bundle order, dc.title as the label, and only the pages the caller may
 * read (DSPACE_AUTH=database, the caller's DSpace token checked as for every image).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DspaceManifestTest {
    static final String SECRET = FakeDspaceRest.SECRET;
    static final String UI = FakeDspaceRest.UI;
    static final String LIBRARIAN_SALT = "salt-of-the-librarians-session-0";
    static final String READER_SALT = "salt-of-a-plain-readers-session-";

    DspaceFixture db;
    DspaceResolver resolver;
    Http http;
    UUID librarian;
    UUID reader;
    UUID cover;
    UUID restricted;
    UUID back;

    @BeforeAll
    void setUp(@TempDir Path tmp) throws Exception {
        db = new DspaceFixture();
        Path store = Files.createDirectories(tmp.resolve("assetstore"));
        librarian = db.eperson("librarian@example.org", LIBRARIAN_SALT, DspaceFixture.LIBRARIANS);
        reader = db.eperson("reader@example.org", READER_SALT);

        UUID item = db.item("123456789/7", false, true, true);
        db.title(item, "Book of Hours");
        UUID original = db.bundle(item, "ORIGINAL");
        UUID thumbnails = db.bundle(item, "THUMBNAIL");
        db.page(thumbnails, 0, store, 32, 24, DspaceFixture.ANONYMOUS);            // not a page of the book
        back = db.page(original, 3, store, 110, 150, DspaceFixture.ANONYMOUS).uuid();  // inserted first, ordered last
        cover = db.page(original, 0, store, 100, 140, DspaceFixture.ANONYMOUS).uuid();
        restricted = db.page(original, 1, store, 120, 160, DspaceFixture.LIBRARIANS).uuid();
        UUID jpeg = db.bitstream(original, 2, DspaceFixture.internalId(), 0, 12, false);   // a JPEG, not a page
        db.policy(jpeg, DspaceFixture.ANONYMOUS, null, null);

        UUID closed = db.bundle(db.item("123456789/8", false, true, true), "ORIGINAL");
        db.page(closed, 0, store, 60, 40, DspaceFixture.LIBRARIANS);
        db.bundle(db.item("123456789/9", false, true, true), "ORIGINAL");           // no bitstreams at all

        resolver = DspaceResolver.create(db.settings(Map.of(0, store), "", tmp.resolve("cache"), 1L << 20,
                DspaceSettings.Auth.DATABASE).withAuth(DspaceSettings.Auth.DATABASE, SECRET,
                FakeDspaceRest.SHORT_LIVED_SECRET));
        http = new Http(Settings.defaults(), resolver);
    }

    @AfterAll
    void tearDown() throws Exception {
        if (http != null) http.close();
        if (resolver != null) resolver.close();
        db.close();
    }

    static String[] login(UUID eperson, String salt) {
        return new String[] {"Authorization", "Bearer " + FakeDspaceRest.sign(SECRET + salt + UI, eperson, 1800),
                "Origin", UI};
    }

    /** The image service ids of the manifest's canvases, in order. */
    static List<String> services(String manifest) {
        List<String> ids = new ArrayList<>();
        Matcher m = Pattern.compile("\"type\": \"ImageService3\"").matcher(manifest);
        Matcher id = Pattern.compile("\"id\": \"([^\"]+)\",\\s*\"type\": \"ImageService3\"").matcher(manifest);
        while (id.find()) ids.add(id.group(1));
        assertTrue(m.find() || ids.isEmpty());
        return ids.stream().distinct().toList();
    }

    String service(UUID bitstream) {
        return http.server().baseUrl() + "/iiif/3/" + bitstream;
    }

    @Test
    void theManifestIsTheOriginalBundlesImagesInBundleOrderLabelledWithDcTitle() {
        HttpResponse<byte[]> r = http.get("/iiif/presentation/handle/123456789/7/manifest");
        assertEquals(200, r.statusCode(), Http.text(r));
        String manifest = Http.text(r);
        assertTrue(manifest.contains("\"label\": {\n    \"none\": [\"Book of Hours\"]"), manifest);
        assertEquals(List.of(service(cover), service(back)), services(manifest));
        assertTrue(manifest.contains("\"none\": [\"page-0.jp2\"]"), "canvas labels are the bitstreams' names");
        assertTrue(manifest.contains("\"width\": 100") && manifest.contains("\"height\": 150"), manifest);
        assertTrue(!Http.header(r, "Cache-Control").contains("private"), Http.header(r, "Cache-Control"));
    }

    @Test
    void aReaderWhoMayReadMoreSeesMorePagesInAPrivateAnswer() {
        HttpResponse<byte[]> r = http.get("/iiif/presentation/handle/123456789/7/manifest",
                login(librarian, LIBRARIAN_SALT));
        assertEquals(200, r.statusCode(), Http.text(r));
        assertEquals(List.of(service(cover), service(restricted), service(back)), services(Http.text(r)));
        assertTrue(Http.header(r, "Cache-Control").startsWith("private"), Http.header(r, "Cache-Control"));
        // the anonymous manifest is not the librarian's, whatever was asked before
        assertEquals(2, services(Http.text(http.get("/iiif/presentation/handle/123456789/7/manifest"))).size());
    }

    @Test
    void anItemWithNothingTheCallerMayReadIsRefusedAsItsImagesAre() {
        HttpResponse<byte[]> anonymous = http.get("/iiif/presentation/handle/123456789/8/manifest");
        assertEquals(401, anonymous.statusCode(), Http.text(anonymous));
        assertEquals("Bearer", Http.header(anonymous, "WWW-Authenticate"));
        assertEquals(403, http.get("/iiif/presentation/handle/123456789/8/manifest", login(reader, READER_SALT))
                .statusCode());
        assertEquals(200, http.get("/iiif/presentation/handle/123456789/8/manifest",
                login(librarian, LIBRARIAN_SALT)).statusCode());
    }

    @Test
    void whatIsNoItemIsNotFoundOrMalformed() {
        assertEquals(404, http.get("/iiif/presentation/handle/123456789/9/manifest").statusCode());   // no images
        assertEquals(404, http.get("/iiif/presentation/handle/123456789/404/manifest").statusCode());
        assertEquals(404, http.get("/iiif/presentation/handle/123456789/7/2/manifest").statusCode()); // one image
        assertEquals(404, http.get("/iiif/presentation/" + cover + "/manifest").statusCode());
        assertEquals(400, http.get("/iiif/presentation/handle/..%2F..%2Fetc/manifest").statusCode());
        assertEquals(404, http.get("/iiif/presentation/handle/123456789/7/collection").statusCode());
    }

    @Test
    void theCanvasesImagesAreServedToTheSameCaller() {
        HttpResponse<byte[]> info = http.get("/iiif/3/" + cover + "/info.json");
        assertEquals(200, info.statusCode());
        assertEquals(401, http.get("/iiif/3/" + restricted + "/info.json").statusCode());
        assertNull(Http.header(http.get("/iiif/3/" + restricted + "/info.json", login(librarian, LIBRARIAN_SALT)),
                "Access-Control-Allow-Credentials"));
    }
}
