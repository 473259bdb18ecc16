package org.vellum.fedora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vellum.fedora.FedoraFixture.ACL;
import static org.vellum.fedora.FedoraFixture.authorization;
import static org.vellum.fedora.FedoraFixture.publicRead;
import static org.vellum.testing.Http.text;

import java.awt.image.BufferedImage;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.fcrepo.storage.ocfl.CommitType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.vellum.config.Settings;
import org.vellum.testing.Fixtures;
import org.vellum.testing.Http;
import org.vellum.testing.IiifSchema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Fedora containers as IIIF books over real HTTP, from a storage root written by Fedora's own storage library: an
 * Archival Group's member binaries, a plain container's JPEG 2000 children, only the pages the caller may read, in
 * natural order, labelled from the container's triples; each manifest valid against the Presentation 3.0 schema the
 * folder manifests are checked with, and each canvas's image service answering with the page's own pixels.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FedoraBooksTest {
    static final String REST = "http://localhost:8080/fcrepo/rest";
    static final ObjectMapper JSON = new ObjectMapper();
    static final String DCTERMS_TITLE = "http://purl.org/dc/terms/title";
    static final String DC_TITLE = "http://purl.org/dc/elements/1.1/title";
    static final String RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label";

    /** A page: its path below the REST root and its size. */
    record Page(String path, int width, int height) {
        String id() {
            return FedoraFixture.ROOT + "/" + path;
        }
    }

    /** An Archival Group, its pages in a container of the group, written out of order. */
    static final List<Page> LEDGER = List.of(new Page("ledger/pages/p1.jp2", 300, 200),
            new Page("ledger/pages/p2.jp2", 280, 210), new Page("ledger/pages/p10.jp2", 260, 220));
    /** A plain container's binaries, besides a text file and a sub-container with a page of its own. */
    static final List<Page> LETTERS = List.of(new Page("letters/letter-1.jp2", 240, 180),
            new Page("letters/letter-2.jp2", 250, 170), new Page("letters/letter-10.jp2", 230, 190));
    static final Page ENVELOPE = new Page("letters/envelopes/e1.jp2", 200, 140);
    static final Page DAY1 = new Page("diary/day1.jp2", 210, 160);
    static final Page DAY2_PRIVATE = new Page("diary/day2.jp2", 220, 150);
    static final Page DAY3 = new Page("diary/day3.jp2", 215, 165);
    static final Page SEALED = new Page("sealed/only.jp2", 200, 150);

    Path tmp;
    FedoraFixture fedora;
    FedoraResolver webac;
    FedoraResolver trust;
    Http http;
    Http trusting;
    FedoraJwtServer islandora;
    FedoraResolver forward;
    Http forwarding;

    @BeforeAll
    void setUp(@TempDir Path tmp) throws Exception {
        this.tmp = tmp;
        fedora = new FedoraFixture(tmp);
        String root = FedoraFixture.ROOT;
        fedora.repositoryRoot();
        fedora.acl(root, root, publicRead(root, true));

        String ledger = id("ledger");
        fedora.archivalGroup(ledger, root, title(ledger, DCTERMS_TITLE, "The Ledger"));
        fedora.memberContainer(ledger, id("ledger/pages"), ledger);
        for (Page p : List.of(LEDGER.get(2), LEDGER.get(0), LEDGER.get(1))) {
            fedora.member(ledger, p.id(), id("ledger/pages"), jp2(p));
        }

        String letters = id("letters");
        fedora.container(letters, root, title(letters, DC_TITLE, "Letters of 1848"));
        for (Page p : List.of(LETTERS.get(2), LETTERS.get(1), LETTERS.get(0))) fedora.binary(p.id(), letters, jp2(p));
        fedora.binary(id("letters/notes.txt"), letters, "not an image".getBytes(StandardCharsets.UTF_8), "text/plain",
                CommitType.NEW_VERSION);
        fedora.container(id("letters/envelopes"), letters, "");
        fedora.binary(ENVELOPE.id(), id("letters/envelopes"), jp2(ENVELOPE));

        String diary = id("diary");
        fedora.container(diary, root, title(diary, RDFS_LABEL, "Diary"));
        for (Page p : List.of(DAY1, DAY2_PRIVATE, DAY3)) fedora.binary(p.id(), diary, jp2(p));
        fedora.acl(DAY2_PRIVATE.id(), DAY2_PRIVATE.id(), authorization(DAY2_PRIVATE.id() + "/fcr:acl", "staff",
                DAY2_PRIVATE.id(), null, ACL + "AuthenticatedAgent", "Read", null));

        String sealed = id("sealed");
        fedora.container(sealed, root, "");
        fedora.binary(SEALED.id(), sealed, jp2(SEALED));
        fedora.acl(SEALED.id(), SEALED.id(), authorization(SEALED.id() + "/fcr:acl", "staff", SEALED.id(), null,
                ACL + "AuthenticatedAgent", "Read", null));

        fedora.container(id("empty"), root);

        webac = FedoraResolver.create(FedoraSettings.fromEnvironment(Map.of(
                "FEDORA_OCFL_ROOT", fedora.ocflRoot().toString(), "FEDORA_REST_URL", REST)));
        trust = FedoraResolver.create(FedoraSettings.fromEnvironment(Map.of(
                "FEDORA_OCFL_ROOT", fedora.ocflRoot().toString(), "FEDORA_ACCESS", "trust")));
        http = new Http(Settings.defaults(), webac);
        trusting = new Http(Settings.defaults(), trust);
        // Fedora behind Islandora's JWT valve: the diary and two of its pages for any reader, the third for a librarian
        islandora = new FedoraJwtServer();
        islandora.resource("diary", "*");
        islandora.resource(DAY1.path(), "*");
        islandora.resource(DAY2_PRIVATE.path(), "librarian");
        islandora.resource(DAY3.path(), "*");
        forward = FedoraResolver.create(FedoraSettings.fromEnvironment(Map.of(
                "FEDORA_OCFL_ROOT", fedora.ocflRoot().toString(), "FEDORA_REST_URL", islandora.restUrl(),
                "FEDORA_ACCESS", "forward")));
        forwarding = new Http(Settings.defaults(), forward);
    }

    @AfterAll
    void tearDown() throws Exception {
        if (http != null) http.close();
        if (trusting != null) trusting.close();
        if (forwarding != null) forwarding.close();
        if (forward != null) forward.close();
        if (islandora != null) islandora.close();
        if (webac != null) webac.close();
        if (trust != null) trust.close();
        if (fedora != null) fedora.close();
    }

    private byte[] jp2(Page p) {
        return FedoraFixture.jp2(p.width(), p.height(), tmp.resolve("scratch"));
    }

    static String id(String path) {
        return FedoraFixture.ROOT + "/" + path;
    }

    static String title(String id, String predicate, String text) {
        return "<" + id + "> <" + predicate + "> \"" + text + "\"@en .\n";
    }

    static String encoded(String identifier) {
        return URLEncoder.encode(identifier, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode manifest(Http server, String encodedIdentifier) throws Exception {
        HttpResponse<byte[]> r = server.get("/iiif/presentation/" + encodedIdentifier + "/manifest");
        assertEquals(200, r.statusCode(), encodedIdentifier + ": " + text(r));
        JsonNode doc = JSON.readTree(r.body());
        assertEquals(List.of(), IiifSchema.errors(doc), encodedIdentifier + " against the Presentation 3.0 schema");
        return doc;
    }

    /** Each canvas's size, in order, and its image service's path on this server. */
    private static List<String> canvases(JsonNode manifest) {
        List<String> out = new ArrayList<>();
        for (JsonNode c : manifest.get("items")) out.add(c.get("width").asInt() + "x" + c.get("height").asInt());
        return out;
    }

    private static List<String> sizes(List<Page> pages) {
        return pages.stream().map(p -> p.width() + "x" + p.height()).toList();
    }

    private static String label(JsonNode doc) {
        return doc.get("label").get("none").get(0).asText();
    }

    private static String servicePath(Http server, JsonNode canvas) {
        String service = canvas.get("items").get(0).get("items").get(0).get("body").get("service").get(0).get("id")
                .asText();
        String base = server.server().baseUrl();
        assertTrue(service.startsWith(base + "/iiif/3/"), service);
        return service.substring(base.length());
    }

    /** A 128 x 96 region at (64, 32) through the canvas's image service, against the lossless source's pixels. */
    private static void assertServiceAnswersThePagesPixels(Http server, JsonNode canvas, Page page) {
        String path = servicePath(server, canvas) + "/64,32,128,96/max/0/default.png";
        HttpResponse<byte[]> r = server.get(path);
        assertEquals(200, r.statusCode(), path + ": " + text(r));
        BufferedImage tile = Fixtures.decode(r.body());
        assertEquals(128, tile.getWidth(), path);
        assertEquals(96, tile.getHeight(), path);
        BufferedImage expected = Fixtures.colourGrid(page.width(), page.height()).getSubimage(64, 32, 128, 96);
        double error = Fixtures.meanError(expected, tile);
        assertTrue(error < 3, path + ": mean error " + error);
    }

    @Test
    void anArchivalGroupIsABookOfItsMemberBinariesInNaturalOrder() throws Exception {
        JsonNode m = manifest(http, "ledger");
        assertEquals("The Ledger", label(m));
        assertEquals(sizes(LEDGER), canvases(m));
        for (int i = 0; i < LEDGER.size(); i++) {
            assertTrue(servicePath(http, m.get("items").get(i)).endsWith(encoded(LEDGER.get(i).path())),
                    servicePath(http, m.get("items").get(i)));
            assertServiceAnswersThePagesPixels(http, m.get("items").get(i), LEDGER.get(i));
        }
    }

    @Test
    void aContainerInsideAnArchivalGroupIsABookOfItsOwnChildren() throws Exception {
        JsonNode m = manifest(http, "ledger/pages");
        assertEquals(sizes(LEDGER), canvases(m));
    }

    @Test
    void everyIdentifierFormTheAdapterTakesNamesTheSameBook() throws Exception {
        for (String form : List.of("ledger", encoded("info:fedora/ledger"), encoded(REST + "/ledger"),
                encoded("https://drupal.example.org/_flysystem/fedora/ledger"))) {
            JsonNode m = manifest(http, form);
            assertEquals(sizes(LEDGER), canvases(m), form);
            assertEquals("The Ledger", label(m), form);
        }
    }

    @Test
    void aPlainContainerListsItsJpeg2000ChildrenAndNothingElse() throws Exception {
        JsonNode m = manifest(http, "letters");
        assertEquals("Letters of 1848", label(m));
        assertEquals(sizes(LETTERS), canvases(m));      // no notes.txt, no page of the sub-container
        for (int i = 0; i < LETTERS.size(); i++) {
            assertServiceAnswersThePagesPixels(http, m.get("items").get(i), LETTERS.get(i));
        }
    }

    @Test
    void anUntitledContainerIsLabelledWithItsLastPathSegment() throws Exception {
        JsonNode m = manifest(http, "letters/envelopes");
        assertEquals("envelopes", label(m));
        assertEquals(sizes(List.of(ENVELOPE)), canvases(m));
    }

    @Test
    void aPagePrivateByWebAcIsAbsentFromThePublicManifest() throws Exception {
        HttpResponse<byte[]> r = http.get("/iiif/presentation/diary/manifest");
        assertEquals(200, r.statusCode(), text(r));
        assertFalse(String.valueOf(Http.header(r, "Cache-Control")).contains("private"),
                "a public manifest may be cached by anyone");
        JsonNode m = manifest(http, "diary");
        assertEquals("Diary", label(m));
        assertEquals(sizes(List.of(DAY1, DAY3)), canvases(m));
        assertServiceAnswersThePagesPixels(http, m.get("items").get(1), DAY3);
        assertEquals(403, http.get("/iiif/3/" + encoded(DAY2_PRIVATE.path()) + "/info.json").statusCode());
    }

    @Test
    void aContainerWhosePagesAreAllPrivateIsForbidden() {
        assertEquals(403, http.get("/iiif/presentation/sealed/manifest").statusCode());
    }

    @Test
    void trustedFrontEndsGetEveryPageInAPrivateAnswer() throws Exception {
        HttpResponse<byte[]> r = trusting.get("/iiif/presentation/diary/manifest");
        assertEquals(200, r.statusCode(), text(r));
        assertTrue(Http.header(r, "Cache-Control").contains("private"), Http.header(r, "Cache-Control"));
        JsonNode m = manifest(trusting, "diary");
        assertEquals(sizes(List.of(DAY1, DAY2_PRIVATE, DAY3)), canvases(m));
        assertServiceAnswersThePagesPixels(trusting, m.get("items").get(1), DAY2_PRIVATE);
    }

    @Test
    void forwardedCallersGetThePagesFedoraLetsThemRead() throws Exception {
        assertEquals(401, forwarding.get("/iiif/presentation/diary/manifest").statusCode(), "no token");
        String visitor = "Bearer " + islandora.token("visitor", List.of("authenticated"), 600);
        HttpResponse<byte[]> v = forwarding.get("/iiif/presentation/diary/manifest", "Authorization", visitor);
        assertEquals(200, v.statusCode(), text(v));
        assertTrue(Http.header(v, "Cache-Control").startsWith("private"), Http.header(v, "Cache-Control"));
        assertEquals(sizes(List.of(DAY1, DAY3)), canvases(JSON.readTree(v.body())));

        String librarian = "Bearer " + islandora.token("librarian", List.of("authenticated"), 600);
        HttpResponse<byte[]> r = forwarding.get("/iiif/presentation/diary/manifest", "Authorization", librarian);
        assertEquals(200, r.statusCode(), text(r));
        assertTrue(Http.header(r, "Cache-Control").startsWith("private"), Http.header(r, "Cache-Control"));
        JsonNode m = JSON.readTree(r.body());
        assertEquals(List.of(), IiifSchema.errors(m));
        assertEquals(sizes(List.of(DAY1, DAY2_PRIVATE, DAY3)), canvases(m));
        String tile = servicePath(forwarding, m.get("items").get(1)) + "/64,32,128,96/max/0/default.png";
        HttpResponse<byte[]> t = forwarding.get(tile, "Authorization", librarian);
        assertEquals(200, t.statusCode(), text(t));
        BufferedImage expected = Fixtures.colourGrid(DAY2_PRIVATE.width(), DAY2_PRIVATE.height())
                .getSubimage(64, 32, 128, 96);
        assertTrue(Fixtures.meanError(expected, Fixtures.decode(t.body())) < 3);
        assertEquals(404, forwarding.get("/iiif/presentation/letters/manifest", "Authorization", librarian)
                .statusCode(), "a container Fedora does not know");
    }

    @Test
    void anEmptyContainerABinaryAndAnUnknownIdHaveNoManifest() {
        for (String path : List.of("empty", "letters/letter-1.jp2", "nowhere", "letters/notes.txt")) {
            assertEquals(404, http.get("/iiif/presentation/" + path + "/manifest").statusCode(), path);
        }
        assertEquals(400, http.get("/iiif/presentation/" + encoded("letters/fcr:metadata") + "/manifest")
                .statusCode());
    }

    @Test
    void aNewChildShowsOnceTheContainmentWalkIsRenewed() throws Exception {
        Path dir = tmp.resolve("walk");
        try (FedoraFixture f = new FedoraFixture(dir)) {
            f.repositoryRoot();
            f.container(id("box"), FedoraFixture.ROOT);
            f.binary(id("box/a.jp2"), id("box"), FedoraFixture.jp2(64, 64, dir.resolve("scratch")));
            OcflStorage storage = new OcflStorage(f.ocflRoot(), 100);
            AtomicLong clock = new AtomicLong();
            FedoraContainment containment = new FedoraContainment(storage, clock::get);
            assertEquals(List.of(id("box/a.jp2")), containment.children(id("box")));
            f.binary(id("box/b.jp2"), id("box"), FedoraFixture.jp2(64, 64, dir.resolve("scratch")));
            assertEquals(1, containment.children(id("box")).size(), "the walk is reused for a while");
            clock.addAndGet(java.util.concurrent.TimeUnit.SECONDS.toNanos(FedoraContainment.RESCAN_SECONDS + 1));
            assertEquals(List.of(id("box/a.jp2"), id("box/b.jp2")), containment.children(id("box")).stream()
                    .sorted().toList());
        }
    }
}
