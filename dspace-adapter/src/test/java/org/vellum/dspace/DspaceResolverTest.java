package org.vellum.dspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    UUID endsToday;
    UUID endsTomorrow;
    UUID endedYesterday;
    UUID registered;
    String registeredPath;
    UUID registeredOutside;
    UUID registeredEscape;
    Path outside;
    UUID j2kUnknown;
    UUID jp2AfterJ2k;

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

        UUID withdrawnItem = db.item("123456789/2", false, true, true);
        withdrawn = pub(db.jp2(db.bundle(withdrawnItem, "ORIGINAL"), 0, write(store0, 60, 40), 0));
        db.withdraw(withdrawnItem);

        endsToday = db.jp2(original, 11, write(store0, 40, 40), 0);
        db.policy(endsToday, DspaceFixture.ANONYMOUS, null, LocalDate.now());
        endsTomorrow = db.jp2(original, 12, write(store0, 40, 40), 0);
        db.policy(endsTomorrow, DspaceFixture.ANONYMOUS, null, LocalDate.now().plusDays(1));
        endedYesterday = db.jp2(original, 13, write(store0, 40, 40), 0);
        db.policy(endedYesterday, DspaceFixture.ANONYMOUS, null, LocalDate.now().minusDays(1));

        // registered bitstreams (ItemImport -r, BitstreamStorageServiceImpl.register): "-R" + a path in the store
        registeredPath = "registered/scans/page-1.jp2";
        Path made = DspaceFixture.writeJp2(tmp.resolve("made"), DspaceFixture.internalId(), 90, 60);
        Files.createDirectories(store0.resolve("registered/scans"));
        Files.copy(made, store0.resolve(registeredPath));
        registered = pub(db.jp2(original, 14, "-R" + registeredPath, 0));
        outside = Files.createDirectories(tmp.resolve("digitised"));
        Files.copy(made, outside.resolve("page-2.jp2"));
        registeredOutside = pub(db.jp2(original, 15, "-R../digitised/page-2.jp2", 0));
        Files.writeString(tmp.resolve("secret.jp2"), "not for anyone");
        registeredEscape = pub(db.jp2(original, 16, "-R../secret.jp2", 0));

        // a .j2k upload: DSpace's registry files it as "Unknown"; its first bytes say JPEG 2000
        UUID j2kItem = db.item("123456789/5", false, true, true);
        UUID j2kBundle = db.bundle(j2kItem, "ORIGINAL");
        pub(db.bitstream(j2kBundle, 0, text(store0, "%PDF-1.4 an unknown document"), 0,
                DspaceFixture.UNKNOWN_FORMAT, false));
        String j2kId = DspaceFixture.internalId();
        Path j2kFile = DspaceFixture.layout(store0, j2kId);
        Files.createDirectories(j2kFile.getParent());
        Path j2kTmp = Files.createTempDirectory(tmp, "j2k");
        Files.move(org.vellum.testing.Fixtures.write(j2kTmp, "scan.j2k", org.vellum.testing.Fixtures.colourGrid(70, 50),
                new org.vellum.codec.openjpeg.Jp2EncodeOptions(3, 1, 0, true, false)), j2kFile);
        j2kUnknown = pub(db.bitstream(j2kBundle, 1, j2kId, 0, DspaceFixture.UNKNOWN_FORMAT, false));
        jp2AfterJ2k = pub(db.jp2(j2kBundle, 2, write(store0, 50, 50), 0));
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
    void aWithdrawnItemsBitstreamsAreForbiddenAsDspaceSwitchesTheirReadPoliciesToWithdrawnRead() {
        assertEquals(403, status(withdrawn.toString()));
        assertEquals(403, status("handle/123456789/2"));
    }

    @Test
    void aNonDiscoverableItemsPublicBitstreamIsServedAsDspacesDownloadServesIt() throws Exception {
        assertEquals(200, status(privateItem.toString()));
        assertFalse(resolver.resolve(privateItem.toString()).personal());
        assertEquals(200, status("handle/123456789/3"));
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
    void onlyTheBitstreamsReadPolicyCountsNotTheItems() {
        assertEquals(200, status(restrictedItem.toString()));
    }

    @Test
    void onDspace7And8APolicysEndDateIsItsFirstDayOutOfForce() {
        assertEquals(403, status(endsToday.toString()));
        assertEquals(200, status(endsTomorrow.toString()));
        assertEquals(403, status(endedYesterday.toString()));
    }

    @Test
    void onDspace9APolicysEndDateIsItsLastDayInForce() throws Exception {
        try (DspaceResolver nine = DspaceResolver.create(resolver9())) {
            assertEquals(200, DspaceFixture.status(nine, endsToday.toString(), null));
            assertEquals(200, DspaceFixture.status(nine, endsTomorrow.toString(), null));
            assertEquals(403, DspaceFixture.status(nine, endedYesterday.toString(), null));
        }
    }

    private DspaceSettings resolver9() {
        return db.settings(Map.of(0, store0, 2, store2), "", tmp.resolve("cache"), false)
                .withVersion(9, java.time.ZoneId.systemDefault());
    }

    @Test
    void policyDatesAreDaysInDspacesTimeZone() throws Exception {
        UUID bs = db.jp2(db.bundle(db.item("123456789/60", false, true, true), "ORIGINAL"), 0,
                write(store0, 40, 40), 0);
        db.policy(bs, DspaceFixture.ANONYMOUS, null, LocalDate.of(2026, 3, 11));
        // 23:30 on 10 March in London is already 11 March in Tokyo: the end date's day there, out of force on 8
        java.time.Instant moment = java.time.Instant.parse("2026-03-10T23:30:00Z");
        for (String zone : new String[] {"Europe/London", "Asia/Tokyo"}) {
            java.time.ZoneId z = java.time.ZoneId.of(zone);
            DspaceSettings s = db.settings(Map.of(0, store0), "", tmp.resolve("cache"), false).withVersion(8, z);
            try (DspaceResolver r = new DspaceResolver(s, DspaceDatabase.connect(s), System::nanoTime,
                    java.time.Clock.fixed(moment, z))) {
                assertEquals(zone.equals("Europe/London") ? 200 : 403, DspaceFixture.status(r, bs.toString(), null),
                        zone);
            }
        }
    }

    @Test
    void theVersionIsReadFromDspacesFlywayHistoryWhenNotSet() throws Exception {
        DspaceSettings auto = db.settings(Map.of(0, store0), "", tmp.resolve("cache"), false)
                .withVersion(0, java.time.ZoneId.systemDefault());
        try (DspaceResolver r = DspaceResolver.create(auto)) {
            assertEquals(403, DspaceFixture.status(r, endsToday.toString(), null), "no history: the stricter rule");
        }
        db.exec("CREATE TABLE schema_version (installed_rank int, version varchar(50), success boolean)");
        try {
            db.exec("INSERT INTO schema_version VALUES (1, '1.1', true), (2, '8.0.2024.02.14', true)");
            try (DspaceResolver r = DspaceResolver.create(auto)) {
                assertEquals(403, DspaceFixture.status(r, endsToday.toString(), null), "8.0's migrations: DSpace 8");
            }
            db.exec("INSERT INTO schema_version VALUES (3, '9.0.2025.03.01', true), (4, '10.0.2026.01.01', false)");
            try (DspaceResolver r = DspaceResolver.create(auto)) {
                assertEquals(200, DspaceFixture.status(r, endsToday.toString(), null), "9.0's migrations: DSpace 9");
            }
        } finally {
            db.exec("DROP TABLE schema_version");
        }
    }

    @Test
    void aRegisteredBitstreamIsItsPathInTheStore() throws Exception {
        assertEquals(store0.resolve(registeredPath).toRealPath(), resolver.resolve(registered.toString()).path());
    }

    @Test
    void aRegisteredBitstreamOutsideTheStoreIsServedOnlyUnderAnAllowedRoot() throws Exception {
        assertEquals(404, status(registeredOutside.toString()));
        DspaceSettings s = db.settings(Map.of(0, store0), "", tmp.resolve("cache"), false)
                .withAllowedRoots(java.util.List.of(outside));
        try (DspaceResolver r = DspaceResolver.create(s)) {
            assertEquals(outside.resolve("page-2.jp2").toRealPath(), r.resolve(registeredOutside.toString()).path());
            assertEquals(404, DspaceFixture.status(r, registeredEscape.toString(), null), "outside every root");
        }
    }

    @Test
    void registeredPathsNeverLeaveTheStoreAndTheAllowedRoots() throws Exception {
        Path base = store0.toRealPath();
        java.util.List<Path> roots = java.util.List.of(outside.toRealPath());
        assertEquals(null, DspaceResolver.assetstorePath(base, "-R../secret.jp2", roots));
        assertEquals(null, DspaceResolver.assetstorePath(base, "-R../digitised/../secret.jp2", roots));
        assertEquals(null, DspaceResolver.assetstorePath(base, "-R..", roots));
        assertEquals(null, DspaceResolver.assetstorePath(base, "-R", roots));
        assertEquals(base.resolve("a/b.jp2"), DspaceResolver.assetstorePath(base, "-R/a/b.jp2", roots),
                "an absolute path is taken under the store, as DSpace's string concatenation does");
        Path link = base.resolve("registered/link.jp2");
        Files.createSymbolicLink(link, tmp.resolve("secret.jp2"));
        assertEquals(null, DspaceResolver.assetstorePath(base, "-Rregistered/link.jp2", roots),
                "a symbolic link out of the store and the roots");
    }

    @Test
    void aJ2kUploadOfDspacesUnknownFormatCountsByItsSignature() throws Exception {
        assertEquals(resolver.resolve(j2kUnknown.toString()).path(), resolver.resolve("handle/123456789/5").path());
        assertEquals(resolver.resolve(jp2AfterJ2k.toString()).path(), resolver.resolve("handle/123456789/5/2").path());
        assertEquals(404, status("handle/123456789/5/3"), "the unknown document is no JPEG 2000");
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
                java.time.Duration.ofSeconds(1), Map.of(0, store0), "", tmp.resolve("c2"), 1 << 20,
                DspaceSettings.Auth.ANONYMOUS, "Anonymous", java.time.Duration.ofSeconds(60), 100,
                java.time.Duration.ofSeconds(60), 0, java.time.ZoneId.systemDefault(), java.util.List.of(), "", "",
                true);
        try (DspaceResolver r = DspaceResolver.create(down)) {
            ResolverException e = assertThrows(ResolverException.class, () -> r.resolve(publicPage1.toString()));
            assertEquals(503, e.status());
        }
    }
}
