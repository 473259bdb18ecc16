package org.vellum.dspace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.vellum.api.Caller;
import org.vellum.api.ResolvedImage;

/**
 * Bitstreams not on local disk come through DSpace's REST API once, into a bounded cache; restricted bitstreams are
 * served when DSpace, asked with the caller's credentials, lets the caller read them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DspaceRestTest {
    static final int S3_STORE = 1;

    Path tmp;
    DspaceFixture db;
    FakeDspaceRest rest;
    Path store0;
    UUID item;
    UUID original;
    int order;
    UUID librarian;
    UUID reader;

    @BeforeAll
    void setUp(@TempDir Path tmp) throws Exception {
        this.tmp = tmp;
        db = new DspaceFixture();
        rest = new FakeDspaceRest();
        store0 = Files.createDirectories(tmp.resolve("assetstore"));
        item = db.item("123456789/7", false, true, true);
        original = db.bundle(item, "ORIGINAL");
        librarian = db.eperson("librarian@example.org", "salt-of-the-librarians-session-0", DspaceFixture.LIBRARIANS);
        reader = db.eperson("reader@example.org", "salt-of-the-readers-session-0000");
        rest.sessions.put(librarian, "salt-of-the-librarians-session-0");
        rest.sessions.put(reader, "salt-of-the-readers-session-0000");
    }

    @AfterAll
    void tearDown() throws Exception {
        rest.close();
        db.close();
    }

    private DspaceResolver resolver(boolean forward, long cacheBytes, String cacheName) throws Exception {
        return new DspaceResolver(db.settings(Map.of(0, store0), rest.serverUrl(), tmp.resolve(cacheName), cacheBytes,
                forward ? DspaceSettings.Auth.FORWARD : DspaceSettings.Auth.ANONYMOUS),
                DspaceDatabase.connect(db.settings(Map.of(), "", tmp, false)), System::nanoTime);
    }

    /** A JPEG 2000 bitstream in the S3 store, known to the fake REST API; no readers: public. */
    private UUID remoteJp2(int w, int h, UUID... readers) throws Exception {
        Path made = DspaceFixture.writeJp2(tmp.resolve("made"), DspaceFixture.internalId(), w, h);
        UUID bs = db.jp2(original, order++, DspaceFixture.internalId(), S3_STORE);
        if (readers.length == 0) db.policy(bs, DspaceFixture.ANONYMOUS, null, null);
        rest.contents.put(bs, new FakeDspaceRest.Content(Files.readAllBytes(made), "c" + bs.hashCode(),
                readers.length == 0 ? null : Set.of(readers)));
        return bs;
    }

    /** A bitstream on local disk that only the librarian may read, in DSpace's database and its REST API. */
    private UUID localRestricted() throws Exception {
        String id = DspaceFixture.internalId();
        DspaceFixture.writeJp2(store0, id, 70, 50);
        UUID bs = db.jp2(original, order++, id, 0);
        db.policy(bs, DspaceFixture.LIBRARIANS, null, null);
        rest.contents.put(bs, new FakeDspaceRest.Content(new byte[] {1, 2, 3}, "x", Set.of(librarian)));
        return bs;
    }

    private String librarianToken() {
        return rest.login(librarian, FakeDspaceRest.UI, 1800);
    }

    private static Caller caller(String... headers) {
        return callerAt("/iiif/2/x/info.json", headers);
    }

    private static Caller callerAt(String requestUri, String... headers) {
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i + 1 < headers.length; i += 2) h.put(headers[i], headers[i + 1]);
        return new Caller("GET", h::get, "http://127.0.0.1", requestUri);
    }

    private static int status(DspaceResolver r, String id, Caller ctx) {
        return DspaceFixture.status(r, id, ctx);
    }

    @Test
    void aBitstreamInAStoreWithoutADirectoryIsFetchedOnceThenServedFromTheCache() throws Exception {
        UUID bs = remoteJp2(90, 70);
        try (DspaceResolver r = resolver(false, 64L << 20, "cache-once")) {
            ResolvedImage first = r.resolve(bs.toString());
            ResolvedImage again = r.resolve(bs.toString());
            assertEquals(first.path(), again.path());
            assertArrayEquals(rest.contents.get(bs).bytes(), Files.readAllBytes(first.path()));
            assertEquals(1, rest.requests.stream().filter(q -> q.equals("GET " + bs + " range")).count());
        }
    }

    @Test
    void concurrentFirstRequestsShareOneDownload() throws Exception {
        UUID bs = remoteJp2(400, 300);
        try (DspaceResolver r = resolver(false, 64L << 20, "cache-concurrent")) {
            var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
            try {
                var futures = new java.util.ArrayList<java.util.concurrent.Future<ResolvedImage>>();
                for (int i = 0; i < 8; i++) futures.add(pool.submit(() -> r.resolve(bs.toString())));
                Path first = futures.get(0).get().path();
                for (var f : futures) assertEquals(first, f.get().path());
            } finally {
                pool.shutdown();
            }
        }
        assertEquals(1, rest.requests.stream().filter(q -> q.equals("GET " + bs + " range")).count());
    }

    @Test
    void fillingTheCacheIsARangedRequestSoDspaceCountsNoDownload() throws Exception {
        UUID bs = remoteJp2(120, 80);
        try (DspaceResolver r = resolver(false, 64L << 20, "cache-ranged")) {
            assertArrayEquals(rest.contents.get(bs).bytes(), Files.readAllBytes(r.resolve(bs.toString()).path()));
        }
        assertEquals(List.of("GET " + bs + " range"),
                rest.requests.stream().filter(q -> q.contains(bs.toString())).toList());
    }

    @Test
    void aBitstreamDspaceRestDoesNotKnowIsNotFound() throws Exception {
        UUID bs = remoteJp2(40, 40);
        rest.contents.remove(bs);
        try (DspaceResolver r = resolver(false, 64L << 20, "cache-404")) {
            assertEquals(404, status(r, bs.toString(), null));
        }
    }

    @Test
    void fetchedContentThatIsNotJpeg2000IsNotFound() throws Exception {
        UUID bs = remoteJp2(40, 40);
        rest.contents.put(bs, new FakeDspaceRest.Content("<html>".getBytes(), "h", null));
        try (DspaceResolver r = resolver(false, 64L << 20, "cache-html")) {
            assertEquals(404, status(r, bs.toString(), null));
        }
    }

    @Test
    void theCacheStaysWithinItsBoundLeastRecentlyUsedOutFirst() throws Exception {
        UUID a = remoteJp2(200, 150);
        UUID b = remoteJp2(210, 150);
        long bound = rest.contents.get(a).bytes().length + rest.contents.get(b).bytes().length / 2;
        try (DspaceResolver r = resolver(false, bound, "cache-bounded")) {
            Path pa = r.resolve(a.toString()).path();
            Path pb = r.resolve(b.toString()).path();
            assertTrue(Files.exists(pb));
            assertTrue(!Files.exists(pa), "the older copy is evicted");
            try (var files = Files.list(tmp.resolve("cache-bounded"))) {
                assertEquals(1, files.count());
            }
            r.resolve(a.toString());                 // fetched again
            assertEquals(2, rest.requests.stream().filter(q -> q.equals("GET " + a + " range")).count());
        }
    }

    @Test
    void aBitstreamLargerThanTheWholeCacheIsRefusedAndNothingIsKept() throws Exception {
        UUID bs = remoteJp2(200, 150);
        long size = rest.contents.get(bs).bytes().length;
        try (DspaceResolver r = resolver(false, size - 1, "cache-too-small")) {
            assertEquals(503, status(r, bs.toString(), null), "refused by the Content-Length DSpace sends");
            try (var files = Files.list(tmp.resolve("cache-too-small"))) {
                assertEquals(0, files.count(), "no copy and no partial file beyond the bound");
            }
        }
        db.update("UPDATE bitstream SET size_bytes = ? WHERE uuid = ?", size, bs);
        long asked = rest.requests.stream().filter(q -> q.equals("GET " + bs + " range")).count();
        try (DspaceResolver r = resolver(false, size - 1, "cache-too-small-known")) {
            assertEquals(503, status(r, bs.toString(), null));
        }
        assertEquals(asked, rest.requests.stream().filter(q -> q.equals("GET " + bs + " range")).count(),
                "with DSpace's size_bytes known to be too large, nothing is downloaded");
        try (DspaceResolver r = resolver(false, size, "cache-just-enough")) {
            assertEquals(200, status(r, bs.toString(), null), "a file exactly the bound is kept");
        }
    }

    @Test
    void withoutForwardingARestrictedBitstreamIsForbiddenWhateverTheCallerSends() throws Exception {
        UUID bs = localRestricted();
        try (DspaceResolver r = resolver(false, 64L << 20, "cache-anon")) {
            assertEquals(403, status(r, bs.toString(), caller("Authorization", "Bearer " + librarianToken(),
                    "Origin", FakeDspaceRest.UI)));
        }
        assertEquals(0, rest.requests.stream().filter(q -> q.contains(bs.toString())).count());
    }

    @Test
    void forwardingWithoutCredentialsAsksForThem() throws Exception {
        UUID bs = localRestricted();
        try (DspaceResolver r = resolver(true, 64L << 20, "cache-fwd1")) {
            assertEquals(401, status(r, bs.toString(), caller()));
            assertEquals(401, status(r, bs.toString(), null));
            assertEquals(401, status(r, bs.toString(), caller("Cookie", "JSESSIONID=abc; dsAuthorization=x")),
                    "cookies other than DSpace's Authorization-cookie are no credentials");
        }
    }

    @Test
    void forwardingServesWhatDspaceLetsTheCallerReadWithTheTokenWhereverDspaceReadsIt() throws Exception {
        UUID bs = localRestricted();
        try (DspaceResolver r = resolver(true, 64L << 20, "cache-fwd2")) {
            assertEquals(200, status(r, bs.toString(), caller("Authorization", "Bearer " + librarianToken(),
                    "Origin", FakeDspaceRest.UI)));
            assertEquals(200, status(r, bs.toString(), caller("Cookie", "Authorization-cookie=" + librarianToken(),
                    "Referer", FakeDspaceRest.UI + "/items/1")));
            assertEquals(200, status(r, bs.toString(), callerAt("/iiif/2/" + bs + "/info.json?authentication-token="
                    + rest.shortLived(librarian, FakeDspaceRest.UI, 120), "X-DSpace-UI", FakeDspaceRest.UI)));
            assertEquals(403, status(r, bs.toString(), caller("Authorization", "Bearer "
                    + rest.login(reader, FakeDspaceRest.UI, 1800), "Origin", FakeDspaceRest.UI)),
                    "a login DSpace accepts, of someone it does not let read the bitstream");
        }
    }

    @Test
    void aTokenDspaceWouldNotAcceptIsNoLogin() throws Exception {
        UUID bs = localRestricted();
        String origin = FakeDspaceRest.UI;
        String[] refused = {
            FakeDspaceRest.sign("another-dspaces-secret" + "salt-of-the-librarians-session-0" + origin, librarian,
                    1800),                                              // wrongly signed
            rest.login(librarian, origin, -120),                        // expired
            unsigned(librarian),                                        // alg none
            rest.login(librarian, "https://elsewhere.example", 1800),   // signed for another origin
            rest.shortLived(librarian, origin, 120),                    // a short-lived token as a login
        };
        try (DspaceResolver r = resolver(true, 64L << 20, "cache-fwd-refused")) {
            for (int i = 0; i < refused.length; i++) {
                assertEquals(401, status(r, bs.toString(), caller("Authorization", "Bearer " + refused[i],
                        "Origin", origin)), "token " + i);
            }
        }
    }

    static String unsigned(UUID eperson) {
        var b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"none\"}".getBytes()) + "." + b64.encodeToString(("{\"eid\":\""
                + eperson + "\",\"exp\":" + (System.currentTimeMillis() / 1000 + 600) + "}").getBytes()) + ".";
    }

    @Test
    void theBrowsersCookiesAreNotForwardedOnlyDspacesToken() throws Exception {
        UUID bs = localRestricted();
        String token = librarianToken();
        try (DspaceResolver r = resolver(true, 64L << 20, "cache-fwd-cookie")) {
            assertEquals(200, status(r, bs.toString(), caller("Cookie", "JSESSIONID=secret-session; "
                    + "Authorization-cookie=" + token + "; _ga=tracking", "Origin", FakeDspaceRest.UI)));
        }
        assertEquals(List.of(bs + " bearer null"),
                rest.credentials.stream().filter(c -> c.startsWith(bs.toString())).toList());
    }

    @Test
    void dspacesAnswerIsCachedPerCaller() throws Exception {
        UUID bs = localRestricted();
        String librarians = librarianToken();
        String readers = rest.login(reader, FakeDspaceRest.UI, 1800);
        try (DspaceResolver r = resolver(true, 64L << 20, "cache-fwd3")) {
            for (int i = 0; i < 5; i++) {
                assertEquals(200, status(r, bs.toString(), caller("Authorization", "Bearer " + librarians,
                        "Origin", FakeDspaceRest.UI)));
                assertEquals(403, status(r, bs.toString(), caller("Authorization", "Bearer " + readers,
                        "Origin", FakeDspaceRest.UI)));
            }
        }
        // one ranged check per caller: a ranged GET is not counted as a download by DSpace
        assertEquals(2, rest.requests.stream().filter(q -> q.equals("GET " + bs + " range")).count());
        assertEquals(0, rest.requests.stream().filter(q -> q.equals("GET " + bs + " full")).count());
    }

    @Test
    void aPublicBitstreamNeedsNoQuestionToDspace() throws Exception {
        String id = DspaceFixture.internalId();
        DspaceFixture.writeJp2(store0, id, 30, 30);
        UUID bs = db.jp2(original, order++, id, 0);
        db.policy(bs, DspaceFixture.ANONYMOUS, null, null);
        try (DspaceResolver r = resolver(true, 64L << 20, "cache-fwd4")) {
            assertEquals(200, status(r, bs.toString(), caller("Authorization", "Bearer whoever")));
        }
        assertEquals(0, rest.requests.stream().filter(q -> q.contains(bs.toString())).count());
    }

    @Test
    void aRestrictedRemoteBitstreamIsFetchedWithTheCallersToken() throws Exception {
        UUID bs = remoteJp2(60, 40, librarian);
        db.policy(bs, DspaceFixture.LIBRARIANS, null, null);
        try (DspaceResolver r = resolver(true, 64L << 20, "cache-fwd5")) {
            assertEquals(403, status(r, bs.toString(), caller("Authorization", "Bearer "
                    + rest.login(reader, FakeDspaceRest.UI, 1800), "Origin", FakeDspaceRest.UI)));
            assertEquals(200, status(r, bs.toString(), caller("Authorization", "Bearer " + librarianToken(),
                    "Origin", FakeDspaceRest.UI)));
        }
        assertEquals(0, rest.requests.stream().filter(q -> q.equals("GET " + bs + " full")).count());
    }

    @Test
    void aWorkspaceItemIsAskedAboutSoItsSubmitterMayReadIt() throws Exception {
        UUID ws = db.bundle(db.workspaceItem("123456789/70"), "ORIGINAL");
        String id = DspaceFixture.internalId();
        DspaceFixture.writeJp2(store0, id, 50, 30);
        UUID bs = db.jp2(ws, 0, id, 0);
        db.policy(bs, DspaceFixture.READ, "TYPE_SUBMISSION", null, reader, null, null);
        rest.contents.put(bs, new FakeDspaceRest.Content(new byte[] {1}, "w", Set.of(reader)));
        try (DspaceResolver r = resolver(true, 64L << 20, "cache-fwd-ws")) {
            assertEquals(401, status(r, bs.toString(), null));
            assertEquals(200, status(r, bs.toString(), caller("Authorization", "Bearer "
                    + rest.login(reader, FakeDspaceRest.UI, 1800), "Origin", FakeDspaceRest.UI)));
        }
    }
}
