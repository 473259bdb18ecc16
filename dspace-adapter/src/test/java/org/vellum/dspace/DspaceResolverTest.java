package org.vellum.dspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.vellum.api.ResolvedImage;
import org.vellum.api.ResolverException;

/** The resolver against a real PostgreSQL with DSpace's tables and a DSBitStore assetstore of real JPEG 2000 files. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DspaceResolverTest {
    Path tmp;

    DspaceFixture db;
    DspaceResolver resolver;
    Path store0;
    Path store2;

    UUID publicPage1;
    UUID publicPage2;
    String publicPage1Id;
    UUID inSecondStore;
    UUID deleted;
    UUID withdrawn;
    UUID privateItem;
    UUID embargoed;
    UUID embargoOver;
    UUID librariansOnly;
    UUID restrictedItem;
    UUID notJp2;
    UUID missingFile;
    UUID unmappedStore;

    @BeforeAll
    void setUp(@TempDir Path tmp) throws Exception {
        this.tmp = tmp;
        db = new DspaceFixture();
        store0 = Files.createDirectories(tmp.resolve("assetstore"));
        store2 = Files.createDirectories(tmp.resolve("assetstore2"));

        UUID item = db.item("123456789/1", false, true, true);
        UUID original = db.bundle(item, "ORIGINAL");
        UUID thumbs = db.bundle(item, "THUMBNAIL");
        db.policy(db.jp2(thumbs, 0, write(store0, 64, 48), 0), DspaceFixture.ANONYMOUS, null, null);
        UUID jpeg = db.bitstream(original, 0, write(store0, 40, 30), 0, 12, false);   // a JPEG-format row first
        db.policy(jpeg, DspaceFixture.ANONYMOUS, null, null);
        publicPage1Id = write(store0, 300, 200);
        publicPage1 = pub(db.jp2(original, 1, publicPage1Id, 0));
        publicPage2 = pub(db.jp2(original, 2, write(store0, 120, 90), 0));
        inSecondStore = pub(db.jp2(original, 3, write(store2, 100, 100), 2));
        deleted = pub(db.bitstream(original, 4, write(store0, 50, 50), 0, 20, true));
        notJp2 = pub(db.jp2(original, 5, text(store0, "not an image"), 0));
        missingFile = pub(db.jp2(original, 6, DspaceFixture.internalId(), 0));
        unmappedStore = pub(db.jp2(original, 7, DspaceFixture.internalId(), 1));

        embargoed = db.jp2(original, 8, write(store0, 80, 60), 0);
        db.policy(embargoed, DspaceFixture.ANONYMOUS, LocalDate.now().plusDays(30), null);
        embargoOver = db.jp2(original, 9, write(store0, 80, 60), 0);
        db.policy(embargoOver, DspaceFixture.ANONYMOUS, LocalDate.now().minusDays(1), null);
        librariansOnly = db.jp2(original, 10, write(store0, 80, 60), 0);
        db.policy(librariansOnly, DspaceFixture.LIBRARIANS, null, null);

        withdrawn = pub(db.jp2(db.bundle(db.item("123456789/2", true, true, true), "ORIGINAL"), 0,
                write(store0, 60, 40), 0));
        privateItem = pub(db.jp2(db.bundle(db.item("123456789/3", false, false, true), "ORIGINAL"), 0,
                write(store0, 60, 40), 0));
        restrictedItem = pub(db.jp2(db.bundle(db.item("123456789/4", false, true, false), "ORIGINAL"), 0,
                write(store0, 60, 40), 0));

        resolver = DspaceResolver.create(db.settings(Map.of(0, store0, 2, store2), "", tmp.resolve("cache"), false));
    }

    private UUID pub(UUID bitstream) throws Exception {
        db.policy(bitstream, DspaceFixture.ANONYMOUS, null, null);
        return bitstream;
    }

    private static String write(Path store, int w, int h) throws Exception {
        String id = DspaceFixture.internalId();
        DspaceFixture.writeJp2(store, id, w, h);
        return id;
    }

    private static String text(Path store, String content) throws Exception {
        String id = DspaceFixture.internalId();
        Path p = DspaceFixture.layout(store, id);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        return id;
    }

    @AfterAll
    void tearDown() throws Exception {
        resolver.close();
        db.close();
    }

    private int status(String identifier) {
        return DspaceFixture.status(resolver, identifier, null);
    }

    @Test
    void aBitstreamUuidResolvesToItsFileInTheAssetstoreLayout() throws Exception {
        ResolvedImage image = resolver.resolve(publicPage1.toString());
        assertEquals(DspaceFixture.layout(store0, publicPage1Id).toRealPath(), image.path());
        assertEquals(Files.size(image.path()), image.size());
        assertEquals(publicPage1.toString(), image.identifier());
    }

    @Test
    void uuidsAreCaseInsensitive() throws Exception {
        assertEquals(resolver.resolve(publicPage1.toString()).path(),
                resolver.resolve(publicPage1.toString().toUpperCase(Locale.ROOT)).path());
    }

    @Test
    void aHandleNamesTheFirstJpeg2000OfTheOriginalBundleInBitstreamOrder() throws Exception {
        assertEquals(resolver.resolve(publicPage1.toString()).path(), resolver.resolve("handle/123456789/1").path());
    }

    @Test
    void aHandleWithAnIndexNamesTheNthJpeg2000() throws Exception {
        assertEquals(resolver.resolve(publicPage1.toString()).path(), resolver.resolve("handle/123456789/1/1").path());
        assertEquals(resolver.resolve(publicPage2.toString()).path(), resolver.resolve("handle/123456789/1/2").path());
        assertEquals(resolver.resolve(inSecondStore.toString()).path(),
                resolver.resolve("handle/123456789/1/3").path());
        assertEquals(404, status("handle/123456789/1/99"));
    }

    @Test
    void eachStoreNumberMapsToItsOwnAssetstore() throws Exception {
        assertTrue(resolver.resolve(inSecondStore.toString()).path().startsWith(store2.toRealPath()));
    }

    @Test
    void unknownUuidsAndHandlesAreNotFound() {
        assertEquals(404, status(UUID.randomUUID().toString()));
        assertEquals(404, status("handle/123456789/999"));
    }

    @Test
    void deletedBitstreamsAreNotFound() {
        assertEquals(404, status(deleted.toString()));
    }

    @Test
    void withdrawnItemsAreNotFound() {
        assertEquals(404, status(withdrawn.toString()));
        assertEquals(404, status("handle/123456789/2"));
    }

    @Test
    void nonDiscoverableItemsAreNotFound() {
        assertEquals(404, status(privateItem.toString()));
    }

    @Test
    void aFileThatIsNotJpeg2000ByItsMagicBytesIsNotFound() {
        assertEquals(404, status(notJp2.toString()));
    }

    @Test
    void aMissingFileIsNotFound() {
        assertEquals(404, status(missingFile.toString()));
    }

    @Test
    void aStoreWithNoDirectoryAndNoRestApiIsNotFound() {
        assertEquals(404, status(unmappedStore.toString()));
    }

    @Test
    void anEmbargoedBitstreamIsForbiddenUntilItsStartDate() throws Exception {
        assertEquals(403, status(embargoed.toString()));
        resolver.resolve(embargoOver.toString());
    }

    @Test
    void aBitstreamReadableOnlyByAnotherGroupIsForbidden() {
        assertEquals(403, status(librariansOnly.toString()));
    }

    @Test
    void aPublicBitstreamOfAnItemAnonymousMayNotReadIsForbidden() {
        assertEquals(403, status(restrictedItem.toString()));
    }

    @Test
    void malformedIdentifiersAreBadRequests() {
        for (String id : new String[] {"", "demo.jp2", "handle/123456789", "handle/../etc/passwd",
                "handle/1/2/0", "handle/1/2/x", UUID.randomUUID() + "/x", "1-2-3-4-5",
                "0000000-0000-4000-8000-0000000000001", "handle/123456789/1 ", "../assetstore/12/34"}) {
            assertEquals(400, status(id), id);
        }
    }

    @Test
    void sqlInjectionInIdentifiersReachesNoQuery() throws Exception {
        long before = resolver.databaseQueries();
        for (String id : new String[] {"handle/1' OR '1'='1/1", "handle/123456789/1'; DROP TABLE bitstream; --",
                publicPage1 + "' OR 1=1 --", "handle/123456789/1/1 UNION SELECT uuid FROM bitstream",
                "handle/123456789/1;DELETE FROM handle"}) {
            assertEquals(400, status(id), id);
        }
        assertEquals(before, resolver.databaseQueries());
        assertTrue(db.count("bitstream") > 10);
        assertTrue(db.count("handle") >= 4);
    }

    @Test
    void wellFormedHandlesAreBoundParameters() throws Exception {
        // quotes cannot pass the syntax check; this one is legal syntax and still names nothing
        assertEquals(404, status("handle/1.2--/x_y"));
        assertTrue(db.count("handle") >= 4);
    }

    @Test
    void aRepeatedTileRequestCostsNoQuery() throws Exception {
        resolver.resolve(publicPage2.toString());
        resolver.resolve("handle/123456789/1/2");
        long before = resolver.databaseQueries();
        for (int i = 0; i < 50; i++) {
            resolver.resolve(publicPage2.toString());
            resolver.resolve("handle/123456789/1/2");
        }
        assertEquals(before, resolver.databaseQueries());
    }

    @Test
    void aChangedFileIsLookedUpAgain() throws Exception {
        UUID item = db.item("123456789/50", false, true, true);
        String id = write(store0, 64, 64);
        UUID bs = pub(db.jp2(db.bundle(item, "ORIGINAL"), 0, id, 0));
        ResolvedImage first = resolver.resolve(bs.toString());
        long before = resolver.databaseQueries();
        Path file = DspaceFixture.layout(store0, id);
        Files.delete(file);
        DspaceFixture.writeJp2(store0, id, 96, 64);
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(first.lastModified() + 5000));
        ResolvedImage second = resolver.resolve(bs.toString());
        assertTrue(!first.fingerprint().equals(second.fingerprint()));
        resolver.resolve(bs.toString());
        assertEquals(before + 1, resolver.databaseQueries());   // one new query after the change, then cached again
    }

    @Test
    void thePoolsSessionsCannotWriteEvenAsASuperuser() throws Exception {
        try (DspaceDatabase pool = DspaceDatabase.connect(db.settings(Map.of(), "", tmp, false))) {
            javax.sql.DataSource ds = pool.dataSource();
            try (var c = ds.getConnection(); var st = c.createStatement()) {
                assertThrows(java.sql.SQLException.class, () -> st.execute("DELETE FROM handle"));
            }
        }
        assertTrue(db.count("handle") >= 4);
    }

    @Test
    void anUnreachableDatabaseIsServiceUnavailableNotAnError() throws Exception {
        DspaceSettings down = new DspaceSettings("jdbc:postgresql://127.0.0.1:1/dspace", "x", "", 1,
                java.time.Duration.ofSeconds(1), Map.of(0, store0), "", tmp.resolve("c2"), 1 << 20, false, "Anonymous",
                java.time.Duration.ofSeconds(60), 100, java.time.Duration.ofSeconds(60));
        try (DspaceResolver r = DspaceResolver.create(down)) {
            ResolverException e = assertThrows(ResolverException.class, () -> r.resolve(publicPage1.toString()));
            assertEquals(503, e.status());
        }
    }
}
