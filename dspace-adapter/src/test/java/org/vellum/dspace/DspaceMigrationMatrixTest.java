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

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vellum.api.Caller;

/**
 * The adapter, unchanged, against each DSpace release line's own schema: the chain of Flyway migrations of that
 * line's dspace-api (unpacked by the build, see pom.xml), its history recorded in schema_version as Flyway records
 * it, rows written as DSpace writes them, and the access rules checked on each.
 */
class DspaceMigrationMatrixTest {

    @ParameterizedTest(name = "DSpace {1} ({0})")
    @CsvSource({"dspace-migrations-7.6, 7, V7.", "dspace-migrations, 8, V8.", "dspace-migrations-9, 9, V9."})
    void theAccessRulesHoldOnTheSchemaOfEachRelease(String chain, int major, String newest, @TempDir Path tmp)
            throws Exception {
        try (DspaceFixture db = new DspaceFixture(chain)) {
            List<String> steps = db.migrations;
            assertEquals("V1.1__Initial_DSpace_1.1_database_schema.sql", steps.get(0));
            assertTrue(steps.get(steps.size() - 1).startsWith(newest), steps.get(steps.size() - 1));
            assertEquals(List.of(), DspaceSchemaTest.wrongColumns(db));
            db.exec("CREATE TABLE schema_version (installed_rank int, version varchar(50), success boolean)");
            int rank = 0;
            for (String s : steps) {
                if (!s.startsWith("V")) continue;
                db.update("INSERT INTO schema_version VALUES (?, ?, true)", ++rank,
                        String.join(".", DspaceMigrations.version(s).stream().map(String::valueOf).toList()));
            }

            Path store = Files.createDirectories(tmp.resolve("assetstore"));
            UUID librarian = db.eperson("librarian@example.org", "salt-of-the-librarians-session-0",
                    DspaceFixture.LIBRARIANS);
            UUID original = db.bundle(db.item("123456789/1", false, true, true), "ORIGINAL");
            UUID open = db.page(original, 0, store, 50, 40, DspaceFixture.ANONYMOUS).uuid();
            UUID restricted = db.page(original, 1, store, 50, 40, DspaceFixture.LIBRARIANS).uuid();
            String endsId = DspaceFixture.internalId();
            DspaceFixture.writeJp2(store, endsId, 40, 40);
            UUID endsToday = db.jp2(original, 2, endsId, 0);
            db.policy(endsToday, DspaceFixture.ANONYMOUS, null, LocalDate.now());
            UUID hidden = db.page(db.bundle(db.item("123456789/2", false, false, false), "ORIGINAL"), 0, store, 30,
                    30, DspaceFixture.ANONYMOUS).uuid();
            UUID withdrawnItem = db.item("123456789/3", false, true, true);
            UUID withdrawn = db.page(db.bundle(withdrawnItem, "ORIGINAL"), 0, store, 30, 30,
                    DspaceFixture.ANONYMOUS).uuid();
            db.withdraw(withdrawnItem);
            Files.createDirectories(store.resolve("registered"));
            Files.copy(DspaceFixture.writeJp2(tmp.resolve("made"), DspaceFixture.internalId(), 30, 30),
                    store.resolve("registered/scan.jp2"));
            UUID registered = db.jp2(original, 3, "-Rregistered/scan.jp2", 0);
            db.policy(registered, DspaceFixture.ANONYMOUS, null, null);

            DspaceSettings settings = db.settings(Map.of(0, store), "", tmp.resolve("cache"), 1L << 20,
                    DspaceSettings.Auth.DATABASE).withAuth(DspaceSettings.Auth.DATABASE, FakeDspaceRest.SECRET, "")
                    .withVersion(0, java.time.ZoneId.systemDefault());
            try (DspaceResolver r = DspaceResolver.create(settings)) {
                assertEquals(200, DspaceFixture.status(r, open.toString(), null));
                assertEquals(200, DspaceFixture.status(r, "handle/123456789/1", null));
                assertEquals(200, DspaceFixture.status(r, hidden.toString(), null), "private item, public bitstream");
                assertEquals(401, DspaceFixture.status(r, withdrawn.toString(), null));
                assertEquals(major >= 9 ? 200 : 401, DspaceFixture.status(r, endsToday.toString(), null),
                        "DSpace " + major + ": a policy ending today is " + (major >= 9 ? "in" : "out of") + " force");
                assertEquals(200, DspaceFixture.status(r, registered.toString(), null));
                assertEquals(401, DspaceFixture.status(r, restricted.toString(), null));
                String token = FakeDspaceRest.sign(FakeDspaceRest.SECRET + "salt-of-the-librarians-session-0"
                        + FakeDspaceRest.UI, librarian, 600);
                Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                h.put("Authorization", "Bearer " + token);
                h.put("Origin", FakeDspaceRest.UI);
                assertEquals(200, DspaceFixture.status(r, restricted.toString(),
                        new Caller("GET", h::get, "http://127.0.0.1", "/iiif/2/x/info.json")));
            }
        }
    }
}
