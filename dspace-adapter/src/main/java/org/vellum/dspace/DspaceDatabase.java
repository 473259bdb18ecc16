package org.vellum.dspace;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
    /** READ policies in force today for the Anonymous group, or a group Anonymous belongs to (group2groupcache). */
    private static final String ANONYMOUS_READ = """
            EXISTS (SELECT 1 FROM resourcepolicy rp
                    WHERE rp.dspace_object = %s AND rp.action_id = 0
                      AND (rp.start_date IS NULL OR rp.start_date <= CURRENT_DATE)
                      AND (rp.end_date IS NULL OR rp.end_date >= CURRENT_DATE)
                      AND rp.epersongroup_id IN (SELECT uuid FROM anon
                                                 UNION SELECT g.parent_id FROM group2groupcache g
                                                       JOIN anon ON g.child_id = anon.uuid))""";

    private static final String BY_UUID = """
            WITH anon AS (SELECT uuid FROM epersongroup WHERE name = ?)
            SELECT b.uuid, b.internal_id, b.store_number, b.size_bytes, b.checksum,
                   (NOT b.deleted AND i.in_archive AND NOT i.withdrawn AND i.discoverable) AS servable,
                   (%s AND %s) AS anonymous_read
            FROM bitstream b
            JOIN bundle2bitstream b2b ON b2b.bitstream_id = b.uuid
            JOIN item2bundle i2b ON i2b.bundle_id = b2b.bundle_id
            JOIN item i ON i.uuid = i2b.item_id
            WHERE b.uuid = ?
            ORDER BY servable DESC
            LIMIT 1""".formatted(ANONYMOUS_READ.formatted("b.uuid"), ANONYMOUS_READ.formatted("i.uuid"));

    /** Bundle names are dc.title values (DS-1582), not columns; JPEG 2000 by the format registry's MIME type. */
    private static final String BY_HANDLE = """
            SELECT b.uuid
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
              AND lower(f.mimetype) IN ('image/jp2', 'image/jpx', 'image/j2k', 'image/jpeg2000')
            ORDER BY b2b.bitstream_order
            OFFSET ? LIMIT 1""";

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

    Optional<BitstreamRecord> bitstream(UUID uuid) throws SQLException {
        queries.incrementAndGet();
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(BY_UUID)) {
            st.setQueryTimeout(timeoutSeconds);
            st.setString(1, anonymousGroup);
            st.setObject(2, uuid);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                return Optional.of(new BitstreamRecord(rs.getObject(1, UUID.class), rs.getString(2), rs.getInt(3),
                        rs.getLong(4), rs.getString(5), rs.getBoolean(6), rs.getBoolean(7)));
            }
        }
    }

    /** The index-th (from 1) JPEG 2000 bitstream of the item's ORIGINAL bundle, in bitstream order. */
    Optional<UUID> handleBitstream(String handle, int index) throws SQLException {
        queries.incrementAndGet();
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(BY_HANDLE)) {
            st.setQueryTimeout(timeoutSeconds);
            st.setString(1, handle);
            st.setInt(2, index - 1);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(rs.getObject(1, UUID.class)) : Optional.empty();
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
