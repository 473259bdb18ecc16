package org.vellum.dspace;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vellum.api.Caller;
import org.vellum.api.HealthCheck;
import org.vellum.api.ImageNotFoundException;
import org.vellum.api.ImageObject;
import org.vellum.api.ImageResolver;
import org.vellum.api.ResolvedImage;
import org.vellum.api.ResolverException;

/**
 * DSpace bitstream UUIDs and {@code handle/prefix/suffix[/n]} resolved to the JPEG 2000 file in DSpace's own
 * assetstore (DSBitStore layout), or to a copy fetched once through DSpace's REST API for stores not on local disk.
 * Access is DSpace's own download rule (BitstreamRestController: READ on the bitstream, as AuthorizeServiceImpl
 * decides it): a bitstream Anonymous may read is served to everyone; any other needs the caller's DSpace token, checked
 * here against DSpace's database (DSPACE_AUTH=database) or by DSpace's REST API (forward), and is then served as
 * personal. Database answers, DSpace's authorisation answers and file checks are cached, so a tile request in the
 * steady state costs a stat and no query.
 */
public final class DspaceResolver implements ImageResolver, HealthCheck, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DspaceResolver.class);

    private final DspaceSettings settings;
    private final DspaceDatabase db;
    private final DspaceRest rest;
    private final ContentCache contentCache;
    private final Clock clock;
    private final Map<Integer, Path> stores = new HashMap<>();
    private final List<Path> allowedRoots = new ArrayList<>();
    private final TtlCache<UUID, Optional<BitstreamRecord>> records;
    private final TtlCache<DspaceIdentifier.Handle, Optional<UUID>> handles;
    /** token digest and bitstream to 200, 401 or 403 */
    private final TtlCache<String, Integer> grants;
    /** token digest to the reader it names, while the token is valid */
    private final TtlCache<String, Verified> tokens;
    /** file to the fingerprint it had when its JPEG 2000 signature was checked */
    private final TtlCache<Path, String> verified;
    /** 9 and later count a policy's end date as its last day in force; 0 until known */
    private volatile int version;

    private record Verified(DspaceDatabase.Reader reader, Instant expires) {
    }

    /** An item's title and its ORIGINAL bundle's JPEG 2000 bitstreams in bundle order, for every caller alike. */
    private record ItemPages(String title, List<ImageObject.Page> pages) {
    }

    private final TtlCache<String, Optional<ItemPages>> items;

    /** Connects to DSpace's database as the settings say; close it to release the pool. */
    public static DspaceResolver create(DspaceSettings settings) throws IOException {
        return new DspaceResolver(settings, DspaceDatabase.connect(settings), System::nanoTime, Clock.system(
                settings.timeZone()));
    }

    DspaceResolver(DspaceSettings settings, DspaceDatabase db, LongSupplier nanoClock) throws IOException {
        this(settings, db, nanoClock, Clock.system(settings.timeZone()));
    }

    DspaceResolver(DspaceSettings settings, DspaceDatabase db, LongSupplier nanoClock, Clock clock)
            throws IOException {
        this.settings = settings;
        this.db = db;
        this.clock = clock.withZone(settings.timeZone());
        this.version = settings.dspaceVersion();
        this.rest = settings.restUrl().isEmpty() ? null : new DspaceRest(settings.restUrl());
        this.contentCache = rest == null ? null
                : new ContentCache(settings.restCacheDir(), settings.restCacheBytes(), rest);
        for (var e : settings.assetstores().entrySet()) stores.put(e.getKey(), real(e.getValue(), "Assetstore"));
        for (Path root : settings.allowedRoots()) allowedRoots.add(real(root, "Allowed root"));
        int size = settings.lookupCacheSize();
        this.records = new TtlCache<>(size, settings.lookupTtl(), nanoClock);
        this.handles = new TtlCache<>(size, settings.lookupTtl(), nanoClock);
        this.items = new TtlCache<>(size, settings.lookupTtl(), nanoClock);
        this.verified = new TtlCache<>(size, settings.lookupTtl().multipliedBy(10), nanoClock);
        this.grants = new TtlCache<>(size, settings.authTtl(), nanoClock);
        this.tokens = new TtlCache<>(size, settings.authTtl(), nanoClock);
    }

    private static Path real(Path dir, String what) {
        try {
            return dir.toRealPath();
        } catch (IOException ex) {
            LOG.warn("{} {} is not readable: {}", what, dir, ex.toString());
            return dir.toAbsolutePath().normalize();
        }
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
        Credentials credentials = Credentials.NONE;
        if (!record.anonymousReadable()) {
            credentials = Credentials.of(ctx);
            authorize(record, credentials);
        }
        Path file = locate(record, credentials, identifier);
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

    /**
     * The item {@code handle/prefix/suffix} names as an object: its ORIGINAL bundle's JPEG 2000 bitstreams in bundle
     * order (as {@code handle/…/n} counts them), each labelled with its name, the item labelled with its dc.title, and
     * of those only the pages this caller may read by DSpace's rules (the same check as every image request). The
     * object is personal when a page is served only because of the caller's login. None readable: 401 when a login
     * might help, 403 when the caller's login does not, 404 when there is no JPEG 2000 at all.
     */
    @Override
    public ImageObject object(String identifier, Caller caller) throws ImageNotFoundException, ResolverException {
        DspaceIdentifier parsed = DspaceIdentifier.parse(identifier);
        if (!(parsed instanceof DspaceIdentifier.Handle h) || !identifier.equals("handle/" + h.handle())) {
            throw new ImageNotFoundException(identifier + " is not a DSpace item (handle/prefix/suffix)");
        }
        ItemPages item = itemPages(h.handle()).orElseThrow(() -> new ImageNotFoundException(
                "No DSpace item " + identifier));
        List<ImageObject.Page> readable = new ArrayList<>();
        boolean personal = false;
        boolean loginWouldHelp = false;
        boolean refused = false;
        long lastModified = 0;
        java.util.zip.CRC32 version = new java.util.zip.CRC32();
        version.update(String.valueOf(item.title()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (ImageObject.Page page : item.pages()) {
            ResolvedImage image;
            try {
                image = resolve(page.identifier(), caller);
            } catch (ImageNotFoundException e) {
                continue;
            } catch (ResolverException e) {
                if (e.status() == 401) loginWouldHelp = true;
                if (e.status() == 403) refused = true;
                if (e.status() == 401 || e.status() == 403) continue;
                throw e;
            }
            readable.add(page);
            personal |= image.personal();
            lastModified = Math.max(lastModified, image.lastModified());
            version.update((page.identifier() + "@" + image.fingerprint() + "|" + page.label())
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        if (readable.isEmpty()) {
            if (loginWouldHelp) throw new ResolverException(401, "Item " + identifier + " needs a DSpace login");
            if (refused) throw new ResolverException(403, "DSpace does not let this caller read " + identifier);
            throw new ImageNotFoundException("Item " + identifier + " has no JPEG 2000 this caller may read");
        }
        return new ImageObject(identifier, item.title() != null ? item.title() : h.handle(), readable, List.of(),
                ImageObject.Description.NONE, lastModified, Long.toHexString(version.getValue()), personal);
    }

    private Optional<ItemPages> itemPages(String handle) throws ResolverException {
        Optional<ItemPages> cached = items.get(handle);
        if (cached != null) return cached;
        Optional<ItemPages> found;
        try {
            Optional<DspaceDatabase.Item> item = db.item(handle);
            if (item.isEmpty()) {
                found = Optional.empty();
            } else {
                List<ImageObject.Page> pages = new ArrayList<>();
                for (DspaceDatabase.Candidate c : db.handleCandidates(handle)) {
                    Boolean signature = signature(c);
                    if (signature == null ? c.declaredJpeg2000() : signature) {
                        pages.add(new ImageObject.Page(c.uuid().toString(), c.name()));
                    }
                }
                found = Optional.of(new ItemPages(item.get().title(), pages));
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
        items.put(handle, found);
        return found;
    }

    /**
     * The n-th JPEG 2000 of the item's ORIGINAL bundle: a bitstream counts when its file starts with a JPEG 2000
     * signature (DSpace's default registry files .jpx and .j2k uploads as "Unknown"); one whose first bytes cannot be
     * read here counts when its format says JPEG 2000.
     */
    private Optional<UUID> handleBitstream(DspaceIdentifier.Handle h) throws ResolverException {
        Optional<UUID> cached = handles.get(h);
        if (cached != null) return cached;
        List<DspaceDatabase.Candidate> candidates;
        try {
            candidates = db.handleCandidates(h.handle());
        } catch (SQLException e) {
            throw unavailable(e);
        }
        int seen = 0;
        Optional<UUID> found = Optional.empty();
        for (DspaceDatabase.Candidate c : candidates) {
            Boolean signature = signature(c);
            if (signature == null ? c.declaredJpeg2000() : signature) {
                if (++seen == h.index()) {
                    found = Optional.of(c.uuid());
                    break;
                }
            }
        }
        handles.put(h, found);
        return found;
    }

    /** Whether the candidate's file starts as a JPEG 2000 does; null when its first bytes cannot be read here. */
    private Boolean signature(DspaceDatabase.Candidate c) throws ResolverException {
        Path base = stores.get(c.storeNumber());
        if (base != null) {
            Path file = assetstorePath(base, c.internalId(), allowedRoots);
            if (file == null) return null;
            try {
                return Jp2Magic.isJpeg2000(file);
            } catch (IOException e) {
                return null;
            }
        }
        if (rest == null) return null;
        byte[] head = rest.head(c.uuid(), Jp2Magic.LENGTH);
        return head == null ? null : Jp2Magic.isJpeg2000(head);
    }

    private Optional<BitstreamRecord> record(UUID uuid) throws ResolverException {
        Optional<BitstreamRecord> cached = records.get(uuid);
        if (cached != null) return cached;
        try {
            Optional<BitstreamRecord> found = db.bitstream(uuid, DspaceDatabase.Reader.ANONYMOUS, today(),
                    lastDayCounts());
            records.put(uuid, found);               // unknown UUIDs too, so guessing costs no query per request
            return found;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** Today in DSpace's time zone: policy dates are days there. */
    private LocalDate today() {
        return LocalDate.now(clock);
    }

    /**
     * DSpace 7.6 and 8 compare the moment with the end date's midnight, so the end date is already out of force;
     * 9 compares days, so it is the last day in force. The version is the setting, else the newest migration in
     * DSpace's Flyway history, else (history unreadable) 8, the stricter.
     */
    private boolean lastDayCounts() throws SQLException {
        int v = version;
        if (v == 0) {
            v = db.schemaMajorVersion();
            if (v == 0) {
                LOG.warn("DSpace's version cannot be read from its schema_version table (grant SELECT on it, or set "
                        + "DSPACE_VERSION): policies end as in DSpace 7 and 8, the day before their end date");
                v = 8;
            }
            version = v;
        }
        return v >= 9;
    }

    private void authorize(BitstreamRecord record, Credentials credentials) throws ResolverException {
        DspaceSettings.Auth mode = settings.auth();
        if (mode == DspaceSettings.Auth.ANONYMOUS || mode == DspaceSettings.Auth.FORWARD && rest == null) {
            throw new ResolverException(403, "Bitstream " + record.uuid() + " is not public in DSpace");
        }
        if (!credentials.present()) {
            throw new ResolverException(401, "Bitstream " + record.uuid() + " needs a DSpace login");
        }
        String key = credentials.digest() + "/" + record.uuid();
        Integer granted = grants.get(key);
        if (granted == null) {
            if (mode == DspaceSettings.Auth.FORWARD) {
                granted = rest.canRead(record.uuid(), credentials);
            } else {
                DspaceDatabase.Reader reader = reader(credentials);
                try {
                    granted = db.bitstream(record.uuid(), reader, today(), lastDayCounts())
                            .map(BitstreamRecord::anonymousReadable).orElse(false) ? 200 : 403;
                } catch (SQLException e) {
                    throw unavailable(e);
                }
            }
            grants.put(key, granted);
        }
        if (granted == 401) throw invalidToken();
        if (granted != 200) throw new ResolverException(403, "DSpace does not let this caller read " + record.uuid());
    }

    /** The e-person (and special groups) a valid DSpace token names; 401 for any other token. */
    private DspaceDatabase.Reader reader(Credentials credentials) throws ResolverException {
        String key = credentials.digest();
        Verified known = tokens.get(key);
        Instant now = clock.instant();
        if (known != null && known.expires().plusSeconds(DspaceToken.CLOCK_SKEW_SECONDS).isAfter(now)) {
            return known.reader();
        }
        DspaceToken.Claims claims = DspaceToken.parse(credentials.token());
        String secret = credentials.shortLived() ? settings.jwtShortLivedSecret() : settings.jwtSecret();
        if (claims == null || secret.isEmpty()) throw invalidToken();
        String salt;
        try {
            salt = db.sessionSalt(claims.eperson());
        } catch (SQLException e) {
            throw unavailable(e);
        }
        if (salt == null) throw invalidToken();          // no such e-person, or logged out
        String origin = settings.jwtIncludeOrigin() ? credentials.origin() : null;
        if (!DspaceToken.valid(claims, DspaceToken.signingKey(secret, salt, origin), now)) throw invalidToken();
        DspaceDatabase.Reader reader = new DspaceDatabase.Reader(claims.eperson(), claims.specialGroups());
        tokens.put(key, new Verified(reader, claims.expires()));
        return reader;
    }

    private static ResolverException invalidToken() {
        return new ResolverException(401, "Not a valid DSpace login");
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
        Path file = assetstorePath(base, record.internalId(), allowedRoots);
        if (file == null) {
            LOG.warn("Bitstream {} has an internal_id that leads outside assetstore {} and DSPACE_ALLOWED_ROOTS",
                    record.uuid(), base);
            throw notFound(identifier);
        }
        return file;
    }

    /**
     * DSBitStoreService's layout: {@code base/12/34/56/123456…}; a registered bitstream ({@code -R} + path) is
     * {@code base + "/" + path}, normalised, which must lie in the store or under one of DSpace's
     * assetstore.allowed.roots (as the file itself, after symbolic links, must too). Null otherwise.
     */
    static Path assetstorePath(Path base, String internalId, List<Path> allowedRoots) {
        if (internalId == null || internalId.isEmpty()) return null;
        Path file;
        if (internalId.startsWith("-R")) {
            String relative = internalId.substring(2);
            if (relative.isEmpty() || relative.indexOf('\0') >= 0) return null;
            try {
                file = Path.of(base + File.separator + relative).normalize();
            } catch (InvalidPathException e) {
                return null;
            }
        } else {
            if (!internalId.matches("[0-9A-Za-z]{7,255}")) return null;
            file = base.resolve(internalId.substring(0, 2)).resolve(internalId.substring(2, 4))
                    .resolve(internalId.substring(4, 6)).resolve(internalId);
        }
        if (!inside(file, base, allowedRoots)) return null;
        try {
            Path real = file.toRealPath();
            if (!inside(real, base, allowedRoots)) return null;  // a symbolic link out of the store and roots
            return real;
        } catch (IOException e) {
            return file;                              // missing: the caller reports it
        }
    }

    private static boolean inside(Path file, Path base, List<Path> allowedRoots) {
        if (file.startsWith(base) && !file.equals(base)) return true;
        for (Path root : allowedRoots) {
            if (file.startsWith(root) && !file.equals(root)) return true;
        }
        return false;
    }

    private static ImageNotFoundException notFound(String identifier) {
        return new ImageNotFoundException("No JPEG 2000 bitstream " + identifier);
    }

    private static ResolverException unavailable(SQLException e) {
        LOG.warn("DSpace database: {}", e.toString());
        return new ResolverException(503, "DSpace database unavailable");
    }

    /** Database queries sent so far (for tests and monitoring). */
    public long databaseQueries() {
        return db.queries();
    }

    /** Readiness names DSpace's database when it does not answer. */
    @Override
    public String name() {
        return "dspace-database";
    }

    /** A pooled connection and SELECT 1, within DSPACE_DB_TIMEOUT. */
    @Override
    public void check() throws Exception {
        db.ping();
    }

    @Override
    public void close() {
        db.close();
    }
}
