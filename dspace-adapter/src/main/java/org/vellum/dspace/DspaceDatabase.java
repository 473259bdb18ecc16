package org.vellum.dspace;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import org.postgresql.ds.PGSimpleDataSource;

/**
 * Read-only queries against DSpace's own PostgreSQL schema (as its Flyway migrations define it): a small pool, a
 * read-only session, a statement timeout, prepared statements only.
 */
final class DspaceDatabase implements AutoCloseable {
    /**
     * The groups a reader is in, as DSpace's GroupServiceImpl.isMember counts them: Anonymous (everyone), the groups
     * the e-person is a direct member of, the special groups of its login (the token's sg claim), and every group
     * those belong to (group2groupcache). Parameters: the Anonymous group's name, the e-person (null: anonymous),
     * the special groups (uuid[]).
     */
    private static final String MEMBER = """
            direct AS (SELECT uuid FROM epersongroup WHERE name = ?
                       UNION SELECT eperson_group_id FROM epersongroup2eperson WHERE eperson_id = ?::uuid
                       UNION SELECT g FROM unnest(?::uuid[]) AS g),
            member AS (SELECT uuid FROM direct
                       UNION SELECT c.parent_id FROM group2groupcache c JOIN direct d ON c.child_id = d.uuid)""";

    /**
     * The bitstream and what DSpace's AuthorizeServiceImpl.authorize decides about READ on it, for the reader of
     * {@link #MEMBER}: only the bitstream's own policies count (BitstreamRestController's check), in force on the
     * given day; custom policies are ignored while no item holding the bitstream has left the workspace or workflow
     * (DS-2614); an e-person in Administrator, or with an ADMIN policy on the bitstream or any object above it
     * (bundle, item, owning collection, communities), may read it. Parameters after MEMBER's: the bitstream, the day,
     * the first end date still in force, the e-person again (twice).
     */
    private static final String ACCESS = """
            WITH RECURSIVE %s,
            bs AS (SELECT * FROM bitstream WHERE uuid = ?),
            installed AS (
                SELECT NOT EXISTS (SELECT 1 FROM bundle2bitstream b2b JOIN bs ON b2b.bitstream_id = bs.uuid)
                       OR EXISTS (SELECT 1 FROM bundle2bitstream b2b JOIN bs ON b2b.bitstream_id = bs.uuid
                                  JOIN item2bundle i2b ON i2b.bundle_id = b2b.bundle_id
                                  WHERE NOT EXISTS (SELECT 1 FROM workspaceitem w WHERE w.item_id = i2b.item_id)
                                    AND NOT EXISTS (SELECT 1 FROM cwf_workflowitem w WHERE w.item_id = i2b.item_id))
                       AS yes),
            day AS (SELECT ?::date AS today, ?::date AS end_from, ?::uuid AS eperson),
            up(uuid) AS (
                SELECT uuid FROM bs
                UNION
                SELECT p.parent FROM up, LATERAL (
                    SELECT bundle_id AS parent FROM bundle2bitstream WHERE bitstream_id = up.uuid
                    UNION ALL SELECT item_id FROM item2bundle WHERE bundle_id = up.uuid
                    UNION ALL SELECT owning_collection FROM item WHERE uuid = up.uuid AND owning_collection IS NOT NULL
                    UNION ALL SELECT community_id FROM community2collection WHERE collection_id = up.uuid
                    UNION ALL SELECT parent_comm_id FROM community2community WHERE child_comm_id = up.uuid) p)
            SELECT bs.uuid, bs.internal_id, bs.store_number, bs.size_bytes, bs.checksum, NOT bs.deleted,
                   EXISTS (SELECT 1 FROM resourcepolicy rp, installed, day
                           WHERE rp.dspace_object = bs.uuid AND rp.action_id = 0
                             AND (rp.start_date IS NULL OR rp.start_date <= day.today)
                             AND (rp.end_date IS NULL OR rp.end_date >= day.end_from)
                             AND (installed.yes OR rp.rptype IS DISTINCT FROM 'TYPE_CUSTOM')
                             AND (rp.epersongroup_id IN (SELECT uuid FROM member) OR rp.eperson_id = day.eperson))
                   OR EXISTS (SELECT 1 FROM day WHERE day.eperson IS NOT NULL AND (
                           EXISTS (SELECT 1 FROM member m JOIN epersongroup g ON g.uuid = m.uuid
                                   WHERE g.name = 'Administrator')
                           OR EXISTS (SELECT 1 FROM resourcepolicy rp
                                      WHERE rp.dspace_object IN (SELECT uuid FROM up) AND rp.action_id = 11
                                        AND (rp.start_date IS NULL OR rp.start_date <= day.today)
                                        AND (rp.end_date IS NULL OR rp.end_date >= day.end_from)
                                        AND (rp.epersongroup_id IN (SELECT uuid FROM member)
                                             OR rp.eperson_id = day.eperson))))
            FROM bs""".formatted(MEMBER);

    /**
     * The ORIGINAL bundle's bitstreams that may be JPEG 2000, in bitstream order (bundle names are dc.title values,
     * DS-1582): those whose format says so, and those of DSpace's "Unknown" format, which is what a .jpx, .j2k or
     * .jpf upload gets from DSpace's default registry (it knows only image/jp2 by the .jp2 extension). The resolver
     * decides by the file's signature. The last column: the format says JPEG 2000.
     */
    private static final String BY_HANDLE = """
            SELECT b.uuid, b.internal_id, b.store_number,
                   lower(f.mimetype) IN ('image/jp2', 'image/jpx', 'image/j2k', 'image/jpeg2000', 'image/jpm'),
                   (SELECT t.text_value FROM metadatavalue t
                    JOIN metadatafieldregistry tf ON tf.metadata_field_id = t.metadata_field_id
                         AND tf.element = 'title' AND tf.qualifier IS NULL
                    JOIN metadataschemaregistry ts ON ts.metadata_schema_id = tf.metadata_schema_id
                         AND ts.short_id = 'dc'
                    WHERE t.dspace_object_id = b.uuid ORDER BY t.place LIMIT 1)
            FROM handle h
            JOIN item2bundle i2b ON i2b.item_id = h.resource_id
            JOIN metadatavalue bn ON bn.dspace_object_id = i2b.bundle_id AND bn.text_value = 'ORIGINAL'
            JOIN metadatafieldregistry mf ON mf.metadata_field_id = bn.metadata_field_id
                 AND mf.element = 'title' AND mf.qualifier IS NULL
            JOIN metadataschemaregistry ms ON ms.metadata_schema_id = mf.metadata_schema_id AND ms.short_id = 'dc'
            JOIN bundle2bitstream b2b ON b2b.bundle_id = i2b.bundle_id
            JOIN bitstream b ON b.uuid = b2b.bitstream_id AND NOT b.deleted
            JOIN bitstreamformatregistry f ON f.bitstream_format_id = b.bitstream_format_id
            WHERE h.handle = ? AND h.resource_type_id = 2
              AND (lower(f.mimetype) IN ('image/jp2', 'image/jpx', 'image/j2k', 'image/jpeg2000', 'image/jpm')
                   OR f.short_description = 'Unknown' OR f.mimetype = 'application/octet-stream')
            ORDER BY b2b.bitstream_order
            LIMIT 1000""";

    /** The item a handle names, with its dc.title (null when it has none); no row when the handle names no item. */
    private static final String ITEM_TITLE = """
            SELECT (SELECT t.text_value FROM metadatavalue t
                JOIN metadatafieldregistry tf ON tf.metadata_field_id = t.metadata_field_id
                     AND tf.element = 'title' AND tf.qualifier IS NULL
                JOIN metadataschemaregistry ts ON ts.metadata_schema_id = tf.metadata_schema_id
                     AND ts.short_id = 'dc'
                WHERE t.dspace_object_id = h.resource_id ORDER BY t.place LIMIT 1)
            FROM handle h WHERE h.handle = ? AND h.resource_type_id = 2""";

    /** Flyway's history as DSpace names its table. */
    private static final String VERSIONS = "SELECT version FROM schema_version WHERE success AND version IS NOT NULL";

    /** Who reads: an e-person (null: anonymous) and the special groups of its login. */
    record Reader(UUID eperson, List<UUID> specialGroups) {
        static final Reader ANONYMOUS = new Reader(null, List.of());
    }

    /** A bitstream of an item's ORIGINAL bundle that may be a JPEG 2000 (see BY_HANDLE). */
    record Candidate(UUID uuid, String internalId, int storeNumber, boolean declaredJpeg2000, String name) {
    }

    /** An item by its handle: its title (null if it has no dc.title). */
    record Item(String title) {
    }

    private final DataSource dataSource;
    private final String anonymousGroup;
    private final int timeoutSeconds;
    private final AtomicLong queries = new AtomicLong();

    DspaceDatabase(DataSource dataSource, String anonymousGroup, int timeoutSeconds) {
        this.dataSource = dataSource;
        this.anonymousGroup = anonymousGroup;
        this.timeoutSeconds = timeoutSeconds;
    }

    static DspaceDatabase connect(DspaceSettings s) {
        // The driver's DataSource directly, not DriverManager: it also works inside OSGi, where the pool's bundle
        // cannot see the driver's classes.
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setUrl(s.jdbcUrl());
        pg.setUser(s.dbUser());
        pg.setPassword(s.dbPassword());
        // Never write, never hold a lock for long, even if the role were granted more than SELECT.
        pg.setOptions("-c default_transaction_read_only=on -c statement_timeout=" + s.dbTimeout().toMillis());
        pg.setApplicationName("vellum-dspace-adapter");
        pg.setConnectTimeout((int) Math.max(1, s.dbTimeout().toSeconds()));
        HikariConfig c = new HikariConfig();
        c.setPoolName("vellum-dspace");
        c.setDataSource(pg);
        c.setMaximumPoolSize(s.dbPoolSize());
        c.setMinimumIdle(1);
        c.setReadOnly(true);
        c.setConnectionTimeout(Math.max(250, s.dbTimeout().toMillis()));
        // Fail at resolve time (503) rather than at start-up when DSpace's database is briefly away.
        c.setInitializationFailTimeout(-1);
        return new DspaceDatabase(new HikariDataSource(c), s.anonymousGroup(), (int) s.dbTimeout().toSeconds());
    }

    /** The bitstream, and whether the reader may READ it on {@code today} (see ACCESS). */
    Optional<BitstreamRecord> bitstream(UUID uuid, Reader reader, LocalDate today, boolean lastDayCounts)
            throws SQLException {
        queries.incrementAndGet();
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(ACCESS)) {
            st.setQueryTimeout(timeoutSeconds);
            st.setString(1, anonymousGroup);
            st.setObject(2, reader.eperson());
            st.setArray(3, c.createArrayOf("uuid", reader.specialGroups().toArray()));
            st.setObject(4, uuid);
            st.setObject(5, today);
            // 7.6 and 8 compare now with the end date's midnight: the end date itself is out of force; 9 counts it
            st.setObject(6, lastDayCounts ? today : today.plusDays(1));
            st.setObject(7, reader.eperson());
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                return Optional.of(new BitstreamRecord(rs.getObject(1, UUID.class), rs.getString(2), rs.getInt(3),
                        rs.getLong(4), rs.getString(5), rs.getBoolean(6), rs.getBoolean(7)));
            }
        }
    }

    /** Bitstreams of the item's ORIGINAL bundle that may be JPEG 2000, in bitstream order. */
    List<Candidate> handleCandidates(String handle) throws SQLException {
        queries.incrementAndGet();
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(BY_HANDLE)) {
            st.setQueryTimeout(timeoutSeconds);
            st.setString(1, handle);
            List<Candidate> found = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    found.add(new Candidate(rs.getObject(1, UUID.class), rs.getString(2), rs.getInt(3),
                            rs.getBoolean(4), rs.getString(5)));
                }
            }
            return found;
        }
    }

    /** The item the handle names, empty when it names none. */
    Optional<Item> item(String handle) throws SQLException {
        queries.incrementAndGet();
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(ITEM_TITLE)) {
            st.setQueryTimeout(timeoutSeconds);
            st.setString(1, handle);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(new Item(rs.getString(1))) : Optional.empty();
            }
        }
    }

    /**
     * DSpace's major version by the newest migration in its Flyway history (schema_version), 0 when that table cannot
     * be read (not granted, or not a DSpace database made by Flyway).
     */
    int schemaMajorVersion() throws SQLException {
        queries.incrementAndGet();
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(VERSIONS)) {
            st.setQueryTimeout(timeoutSeconds);
            int major = 0;
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    String v = rs.getString(1).trim();
                    int dot = v.indexOf('.');
                    try {
                        major = Math.max(major, Integer.parseInt(dot < 0 ? v : v.substring(0, dot)));
                    } catch (NumberFormatException ignored) {
                        // not a numbered migration
                    }
                }
            }
            return major;
        } catch (SQLException e) {
            // 42P01 no such table, 42501 not granted: not known; anything else (unreachable) is the caller's 503
            if (e.getSQLState() != null && e.getSQLState().startsWith("42")) return 0;
            throw e;
        }
    }

    /** The e-person's session salt, null when there is no such e-person or it has no session (logged out). */
    String sessionSalt(UUID eperson) throws SQLException {
        queries.incrementAndGet();
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT session_salt FROM eperson WHERE uuid = ?")) {
            st.setQueryTimeout(timeoutSeconds);
            st.setObject(1, eperson);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) return null;
                String salt = rs.getString(1);
                return salt == null || salt.isBlank() ? null : salt;
            }
        }
    }

    /** Answers when the database does: a pooled connection and {@code SELECT 1}, bounded by DSPACE_DB_TIMEOUT. */
    void ping() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement("SELECT 1")) {
            st.setQueryTimeout(timeoutSeconds);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) throw new SQLException("SELECT 1 returned no row");
            }
        }
    }

    DataSource dataSource() {
        return dataSource;
    }

    /** Queries sent so far: the steady state of a tile request sends none. */
    long queries() {
        return queries.get();
    }

    @Override
    public void close() {
        if (dataSource instanceof AutoCloseable a) {
            try {
                a.close();
            } catch (Exception ignored) {
                // closing a pool: nothing left to do
            }
        }
    }
}
