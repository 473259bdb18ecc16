package org.vellum.dspace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vellum.api.Caller;
import org.vellum.api.ImageNotFoundException;
import org.vellum.api.ImageResolver;
import org.vellum.api.ResolvedImage;
import org.vellum.api.ResolverException;

/**
 * DSpace bitstream UUIDs and {@code handle/prefix/suffix[/n]} resolved to the JPEG 2000 file in DSpace's own
 * assetstore (DSBitStore layout), or to a copy fetched once through DSpace's REST API for stores not on local disk.
 * Access is DSpace's: a bitstream is served when DSpace's Anonymous group may READ it and its item, otherwise 403, or
 * (DSPACE_AUTH=forward) when DSpace's REST API, asked with the caller's credentials, lets the caller download it.
 * Database answers, DSpace's authorisation answers and file checks are cached, so a tile request in the steady state
 * costs a stat and no query.
 */
public final class DspaceResolver implements ImageResolver, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DspaceResolver.class);

    private final DspaceSettings settings;
    private final DspaceDatabase db;
    private final DspaceRest rest;
    private final ContentCache contentCache;
    private final Map<Integer, Path> stores = new HashMap<>();
    private final TtlCache<UUID, Optional<BitstreamRecord>> records;
    private final TtlCache<DspaceIdentifier.Handle, Optional<UUID>> handles;
    private final TtlCache<String, Boolean> grants;
    /** file to the fingerprint it had when its JPEG 2000 signature was checked */
    private final TtlCache<Path, String> verified;

    /** Connects to DSpace's database as the settings say; close it to release the pool. */
    public static DspaceResolver create(DspaceSettings settings) throws IOException {
        return new DspaceResolver(settings, DspaceDatabase.connect(settings), System::nanoTime);
    }

    DspaceResolver(DspaceSettings settings, DspaceDatabase db, LongSupplier nanoClock) throws IOException {
        this.settings = settings;
        this.db = db;
        this.rest = settings.restUrl().isEmpty() ? null : new DspaceRest(settings.restUrl());
        this.contentCache = rest == null ? null
                : new ContentCache(settings.restCacheDir(), settings.restCacheBytes(), rest);
        for (var e : settings.assetstores().entrySet()) {
            Path dir = e.getValue();
            try {
                dir = dir.toRealPath();
            } catch (IOException ex) {
                LOG.warn("Assetstore {} ({}) is not readable: {}", e.getKey(), dir, ex.toString());
            }
            stores.put(e.getKey(), dir);
        }
        int size = settings.lookupCacheSize();
        this.records = new TtlCache<>(size, settings.lookupTtl(), nanoClock);
        this.handles = new TtlCache<>(size, settings.lookupTtl(), nanoClock);
        this.verified = new TtlCache<>(size, settings.lookupTtl().multipliedBy(10), nanoClock);
        this.grants = new TtlCache<>(size, settings.authTtl(), nanoClock);
    }

    @Override
    public ResolvedImage resolve(String identifier) throws ImageNotFoundException, ResolverException {
        return resolve(identifier, null);
    }

    @Override
    public ResolvedImage resolve(String identifier, Caller ctx) throws ImageNotFoundException,
            ResolverException {
        DspaceIdentifier parsed = DspaceIdentifier.parse(identifier);
        UUID uuid = parsed instanceof DspaceIdentifier.Handle h
                ? handleBitstream(h).orElseThrow(() -> notFound(identifier))
                : ((DspaceIdentifier.Bitstream) parsed).uuid();
        BitstreamRecord record = record(uuid).filter(BitstreamRecord::servable).orElseThrow(() -> notFound(identifier));
        Credentials credentials = Credentials.of(ctx);
        authorize(record, credentials);
        Path file = locate(record, record.anonymousReadable() ? Credentials.NONE : credentials, identifier);
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            LOG.warn("Bitstream {} is in DSpace's database but its file {} is missing", uuid, file);
            records.remove(uuid);
            throw notFound(identifier);
        }
        if (!attributes.isRegularFile()) throw notFound(identifier);
        ResolvedImage image = new ResolvedImage(identifier, file, attributes.lastModifiedTime().toMillis(),
                attributes.size(), !record.anonymousReadable());
        String known = verified.get(file);
        if (!image.fingerprint().equals(known)) {
            if (known != null) records.remove(uuid);  // the file changed: the next request asks the database again
            try {
                if (!Jp2Magic.isJpeg2000(file)) throw new ImageNotFoundException(identifier + " is not a JPEG 2000");
            } catch (IOException e) {
                LOG.warn("Cannot read {}: {}", file, e.toString());
                throw notFound(identifier);
            }
            verified.put(file, image.fingerprint());
        }
        return image;
    }

    private Optional<UUID> handleBitstream(DspaceIdentifier.Handle h) throws ResolverException {
        Optional<UUID> cached = handles.get(h);
        if (cached != null) return cached;
        try {
            Optional<UUID> found = db.handleBitstream(h.handle(), h.index());
            handles.put(h, found);
            return found;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private Optional<BitstreamRecord> record(UUID uuid) throws ResolverException {
        Optional<BitstreamRecord> cached = records.get(uuid);
        if (cached != null) return cached;
        try {
            Optional<BitstreamRecord> found = db.bitstream(uuid);
            records.put(uuid, found);               // unknown UUIDs too, so guessing costs no query per request
            return found;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private void authorize(BitstreamRecord record, Credentials credentials) throws ResolverException {
        if (record.anonymousReadable()) return;
        if (!settings.forwardAuth() || rest == null) {
            throw new ResolverException(403, "Bitstream " + record.uuid() + " is not public in DSpace");
        }
        if (!credentials.present()) {
            throw new ResolverException(401, "Bitstream " + record.uuid() + " needs a DSpace login");
        }
        String key = credentials.digest() + "/" + record.uuid();
        Boolean granted = grants.get(key);
        if (granted == null) {
            granted = rest.canRead(record.uuid(), credentials);
            grants.put(key, granted);
        }
        if (!granted) throw new ResolverException(403, "DSpace does not let this caller read " + record.uuid());
    }

    private Path locate(BitstreamRecord record, Credentials credentials, String identifier)
            throws ImageNotFoundException, ResolverException {
        Path base = stores.get(record.storeNumber());
        if (base == null) {
            if (contentCache == null) {
                LOG.warn("Bitstream {} is in store {}, which is neither a configured assetstore nor reachable "
                        + "(DSPACE_REST_URL unset)", record.uuid(), record.storeNumber());
                throw notFound(identifier);
            }
            return contentCache.get(record.uuid(), record.checksum(), record.sizeBytes(), credentials);
        }
        Path file = assetstorePath(base, record.internalId());
        if (file == null) {
            LOG.warn("Bitstream {} has an internal_id that leads outside assetstore {}", record.uuid(), base);
            throw notFound(identifier);
        }
        return file;
    }

    /**
     * DSBitStore's layout: {@code base/12/34/56/123456…}; a registered bitstream ({@code -R} + path) lies at
     * {@code base/path}. Null when the id would leave the store.
     */
    static Path assetstorePath(Path base, String internalId) {
        if (internalId == null || internalId.isEmpty()) return null;
        Path file;
        if (internalId.startsWith("-R")) {
            file = base.resolve(internalId.substring(2)).normalize();
        } else {
            if (!internalId.matches("[0-9A-Za-z]{7,255}")) return null;
            file = base.resolve(internalId.substring(0, 2)).resolve(internalId.substring(2, 4))
                    .resolve(internalId.substring(4, 6)).resolve(internalId);
        }
        if (!file.startsWith(base) || file.equals(base)) return null;
        try {
            Path real = file.toRealPath();
            if (!real.startsWith(base)) return null;  // a symbolic link out of the store
            return real;
        } catch (IOException e) {
            return file;                              // missing: the caller reports it
        }
    }

    private static ImageNotFoundException notFound(String identifier) {
        return new ImageNotFoundException("No public JPEG 2000 bitstream " + identifier);
    }

    private static ResolverException unavailable(SQLException e) {
        LOG.warn("DSpace database: {}", e.toString());
        return new ResolverException(503, "DSpace database unavailable");
    }

    /** Database queries sent so far (for tests and monitoring). */
    public long databaseQueries() {
        return db.queries();
    }

    @Override
    public void close() {
        db.close();
    }
}
