package org.vellum.dspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.vellum.api.Caller;

/**
 * DSPACE_AUTH=database: the caller's DSpace token verified here as DSpace verifies it (tokens made by
 * nimbus-jose-jwt, DSpace's own library, the way DSpace's JWTTokenHandler makes them), and the e-person it names
 * decided about with DSpace's rules on DSpace's tables: groups through group2groupcache, special groups of the login,
 * e-person policies, administrators, submitters of workspace items.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DspaceLoginTest {
    static final String SECRET = FakeDspaceRest.SECRET;
    static final String SHORT = FakeDspaceRest.SHORT_LIVED_SECRET;
    static final String UI = FakeDspaceRest.UI;

    DspaceFixture db;
    DspaceResolver resolver;
    Path store;
    UUID librarian;
    UUID cataloguer;
    UUID reader;
    UUID admin;
    UUID collectionAdmin;
    UUID loggedOut;
    UUID librariansOnly;
    UUID readersOwn;
    UUID withdrawn;
    UUID inCollection;
    UUID workspaceBitstream;
    UUID customOnWorkspace;
    UUID submitter;

    @BeforeAll
    void setUp(@TempDir Path tmp) throws Exception {
        db = new DspaceFixture();
        store = Files.createDirectories(tmp.resolve("assetstore"));
        UUID cataloguers = db.group("Cataloguers", DspaceFixture.LIBRARIANS);
        librarian = db.eperson("librarian@example.org", salt("librarian"), DspaceFixture.LIBRARIANS);
        cataloguer = db.eperson("cataloguer@example.org", salt("cataloguer"), cataloguers);
        reader = db.eperson("reader@example.org", salt("reader"));
        admin = db.eperson("admin@example.org", salt("admin"), DspaceFixture.ADMINISTRATOR);
        collectionAdmin = db.eperson("curator@example.org", salt("curator"));
        loggedOut = db.eperson("gone@example.org", "");
        submitter = db.eperson("submitter@example.org", salt("submitter"));

        UUID collection = db.collection();
        db.policy(collection, DspaceFixture.ADMIN, null, null, collectionAdmin, null, null);
        UUID item = db.item("123456789/80", false, true, true);
        db.setOwningCollection(item, collection);
        UUID original = db.bundle(item, "ORIGINAL");
        librariansOnly = db.page(original, 0, store, 60, 40, DspaceFixture.LIBRARIANS).uuid();
        readersOwn = db.page(original, 1, store, 60, 40, DspaceFixture.LIBRARIANS).uuid();
        db.policy(readersOwn, DspaceFixture.READ, "TYPE_CUSTOM", null, reader, null, null);

        UUID withdrawnItem = db.item("123456789/81", false, true, true);
        withdrawn = db.page(db.bundle(withdrawnItem, "ORIGINAL"), 0, store, 60, 40, DspaceFixture.ANONYMOUS).uuid();
        db.withdraw(withdrawnItem);

        UUID other = db.item("123456789/82", false, true, true);
        db.setOwningCollection(other, collection);
        inCollection = db.page(db.bundle(other, "ORIGINAL"), 0, store, 60, 40, DspaceFixture.LIBRARIANS).uuid();

        // a submission in progress: DSpace gives the submitter READ (TYPE_SUBMISSION); a custom policy (an embargo
        // set in the submission form) does not count until the item is installed (DS-2614)
        UUID ws = db.bundle(db.workspaceItem("123456789/83"), "ORIGINAL");
        workspaceBitstream = db.page(ws, 0, store, 60, 40, DspaceFixture.LIBRARIANS).uuid();
        db.policy(workspaceBitstream, DspaceFixture.READ, "TYPE_SUBMISSION", null, submitter, null, null);
        customOnWorkspace = db.page(ws, 1, store, 60, 40, DspaceFixture.ANONYMOUS).uuid();

        resolver = DspaceResolver.create(db.settings(Map.of(0, store), "", tmp.resolve("cache"), 1L << 20,
                DspaceSettings.Auth.DATABASE).withAuth(DspaceSettings.Auth.DATABASE, SECRET, SHORT));
    }

    @AfterAll
    void tearDown() throws Exception {
        if (resolver != null) resolver.close();
        db.close();
    }

    /** A 32-character session salt, as DSpace's are. */
    private static String salt(String who) {
        return (who + "-session-salt-0123456789abcdef").substring(0, 32);
    }

    private static String login(UUID eperson, String salt) {
        return FakeDspaceRest.sign(SECRET + salt + UI, eperson, 1800);
    }

    private static Caller bearer(String token) {
        return caller("/iiif/2/x/info.json", "Authorization", "Bearer " + token, "Origin", UI);
    }

    private static Caller caller(String requestUri, String... headers) {
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i + 1 < headers.length; i += 2) h.put(headers[i], headers[i + 1]);
        return new Caller("GET", h::get, "http://127.0.0.1", requestUri);
    }

    private int status(UUID bs, Caller caller) {
        return DspaceFixture.status(resolver, bs.toString(), caller);
    }

    @Test
    void aTokenDspaceSignedNamesItsEPersonWhoseGroupsDecide() throws Exception {
        assertEquals(200, status(librariansOnly, bearer(login(librarian, salt("librarian")))));
        assertTrue(resolver.resolve(librariansOnly.toString(), bearer(login(librarian, salt("librarian"))))
                .personal(), "kept out of shared caches, answered Cache-Control: private");
        assertEquals(403, status(librariansOnly, bearer(login(reader, salt("reader")))));
        assertEquals(401, status(librariansOnly, null));
    }

    @Test
    void membershipThroughASubgroupCountsAsGroup2groupcacheSays() {
        assertEquals(200, status(librariansOnly, bearer(login(cataloguer, salt("cataloguer")))));
    }

    @Test
    void aPolicyForTheEPersonItselfCounts() {
        assertEquals(200, status(readersOwn, bearer(login(reader, salt("reader")))));
    }

    @Test
    void theSpecialGroupsOfTheLoginCount() {
        String token = FakeDspaceRest.sign(SECRET + salt("reader") + UI, reader, 1800,
                List.of(DspaceFixture.LIBRARIANS));
        assertEquals(200, status(librariansOnly, bearer(token)));
    }

    @Test
    void theTokenMayComeAsDspacesAuthorizationCookieOrAsTheShortLivedParameter() {
        assertEquals(200, status(librariansOnly, caller("/iiif/2/x/info.json", "Cookie",
                "JSESSIONID=1; Authorization-cookie=" + login(librarian, salt("librarian")), "Referer", UI + "/items")));
        String shortLived = FakeDspaceRest.sign(SHORT + salt("librarian") + UI, librarian, 120);
        assertEquals(200, status(librariansOnly, caller("/iiif/2/x/full/max/0/default.jpg?authentication-token="
                + shortLived, "X-DSpace-UI", UI)));
    }

    @Test
    void aTokenDspaceWouldNotAcceptIsNoLogin() {
        String good = salt("librarian");
        String[] refused = {
            FakeDspaceRest.sign("another-dspaces-secret" + good + UI, librarian, 1800),
            FakeDspaceRest.sign(SECRET + good + UI, librarian, -120),          // expired beyond the skew
            DspaceRestTest.unsigned(librarian),
            FakeDspaceRest.sign(SECRET + good + "https://elsewhere.example", librarian, 1800),
            FakeDspaceRest.sign(SHORT + good + UI, librarian, 120),             // a short-lived one as a login
            FakeDspaceRest.sign(SECRET + "" + UI, loggedOut, 1800),             // logged out: no session salt
            FakeDspaceRest.sign(SECRET + good + UI, UUID.randomUUID(), 1800),   // no such e-person
            "not-a-token",
        };
        for (int i = 0; i < refused.length; i++) {
            assertEquals(401, status(librariansOnly, bearer(refused[i])), "token " + i);
        }
        assertEquals(401, status(librariansOnly, caller("/iiif/2/x/info.json?authentication-token="
                + login(librarian, good), "Origin", UI)), "a login token where a short-lived one belongs");
    }

    @Test
    void administratorsReadWhatDspaceLetsThemIncludingWithdrawnItems() {
        assertEquals(403, status(withdrawn, bearer(login(librarian, salt("librarian")))));
        assertEquals(200, status(withdrawn, bearer(login(admin, salt("admin")))));
        assertEquals(200, status(librariansOnly, bearer(login(admin, salt("admin")))));
    }

    @Test
    void anAdminPolicyOnTheOwningCollectionLetsItsAdministratorRead() {
        assertEquals(200, status(inCollection, bearer(login(collectionAdmin, salt("curator")))));
        assertEquals(403, status(withdrawn, bearer(login(collectionAdmin, salt("curator")))),
                "the withdrawn item is not in that collection");
    }

    @Test
    void aSubmitterReadsTheirWorkspaceItemAndCustomPoliciesWaitForItsInstallation() {
        assertEquals(200, status(workspaceBitstream, bearer(login(submitter, salt("submitter")))));
        assertEquals(403, status(workspaceBitstream, bearer(login(reader, salt("reader")))));
        assertEquals(401, status(customOnWorkspace, null),
                "Anonymous's custom READ on a bitstream of an item not yet installed does not count");
    }

    @Test
    void aVerifiedTokenAndItsAnswerAreReusedWithoutAQuery() {
        Caller c = bearer(login(librarian, salt("librarian")));
        assertEquals(200, status(librariansOnly, c));
        long before = resolver.databaseQueries();
        for (int i = 0; i < 20; i++) assertEquals(200, status(librariansOnly, c));
        assertEquals(before, resolver.databaseQueries());
    }

    /** The read-only role of docs/dspace.md, word for word (but the database's name). */
    static final String ROLE = """
            CREATE ROLE vellum LOGIN PASSWORD 'change-me';
            GRANT CONNECT ON DATABASE postgres TO vellum;
            GRANT USAGE ON SCHEMA public TO vellum;
            GRANT SELECT ON bitstream, bitstreamformatregistry, bundle2bitstream, item, item2bundle, handle,
              metadatavalue, metadatafieldregistry, metadataschemaregistry, resourcepolicy, epersongroup,
              epersongroup2eperson, group2groupcache, workspaceitem, cwf_workflowitem, community2collection,
              community2community, schema_version
              TO vellum;
            GRANT SELECT (uuid, session_salt) ON eperson TO vellum;
            ALTER ROLE vellum SET default_transaction_read_only = on;
            """;

    @Test
    void theReadOnlyRoleOfTheDocumentationIsEnough() throws Exception {
        // Flyway's history, as DSpace's migrations leave it (DspaceMigrations does not record them)
        db.exec("CREATE TABLE schema_version (installed_rank int, version varchar(50), success boolean);"
                + "INSERT INTO schema_version VALUES (1, '1.1', true), (2, '8.0.2024.02.14', true)");
        db.exec(ROLE);
        DspaceSettings asRole = new DspaceSettings(db.jdbcUrl(), "vellum", "change-me", 1,
                java.time.Duration.ofSeconds(5), Map.of(0, store), "", store.resolveSibling("cache-role"), 1L << 20,
                DspaceSettings.Auth.DATABASE, "Anonymous", java.time.Duration.ofSeconds(60), 100,
                java.time.Duration.ofSeconds(60), 0, java.time.ZoneId.systemDefault(), List.of(), SECRET, SHORT, true);
        try (DspaceResolver r = DspaceResolver.create(asRole)) {
            assertEquals(200, DspaceFixture.status(r, librariansOnly.toString(),
                    bearer(login(cataloguer, salt("cataloguer")))));
            assertEquals(200, DspaceFixture.status(r, "handle/123456789/80/2", bearer(login(reader, salt("reader")))));
            assertEquals(200, DspaceFixture.status(r, inCollection.toString(),
                    bearer(login(collectionAdmin, salt("curator")))));
            assertEquals(401, DspaceFixture.status(r, workspaceBitstream.toString(), null));
        }
    }

    @Test
    void anEmbargoEndingTodayHoldsForALoggedInReaderAsForAnyone() throws Exception {
        UUID item = db.item("123456789/84", false, true, true);
        UUID bs = db.page(db.bundle(item, "ORIGINAL"), 0, store, 40, 40, DspaceFixture.ANONYMOUS).uuid();
        db.update("DELETE FROM resourcepolicy WHERE dspace_object = ?", bs);
        db.policy(bs, DspaceFixture.LIBRARIANS, null, LocalDate.now());
        assertEquals(403, status(bs, bearer(login(librarian, salt("librarian")))), "DSpace 8: out of force today");
    }
}
