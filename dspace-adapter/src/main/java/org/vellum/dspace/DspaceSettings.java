package org.vellum.dspace;

import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.vellum.api.settings.Setting;
import org.vellum.api.settings.SettingSource;

/**
 * Every setting of the DSpace adapter, immutable. Each is declared once below ({@link #DECLARED}: OSGi property of
 * PID {@code org.vellum.dspace}, environment variable, type, default, check, one line of documentation); the
 * metatype interface {@link DspaceConfiguration} and the DSpace table of docs/settings.md are rendered from the
 * declarations. Values that cannot be read stop start-up, unlike the server's settings.
 */
public record DspaceSettings(
        String jdbcUrl,
        String dbUser,
        String dbPassword,
        int dbPoolSize,
        Duration dbTimeout,
        Map<Integer, Path> assetstores,
        String restUrl,
        Path restCacheDir,
        long restCacheBytes,
        Auth auth,
        String anonymousGroup,
        Duration lookupTtl,
        int lookupCacheSize,
        Duration authTtl,
        int dspaceVersion,
        ZoneId timeZone,
        List<Path> allowedRoots,
        String jwtSecret,
        String jwtShortLivedSecret,
        boolean jwtIncludeOrigin) {

    /** How a caller who is not anonymous is decided about. */
    public enum Auth {
        /** Only what DSpace's Anonymous group may read; everything else 403. */
        ANONYMOUS,
        /** The caller's DSpace token verified here with DSpace's secret; its e-person's groups read from the database. */
        DATABASE,
        /** DSpace's REST API asked with the caller's token. */
        FORWARD
    }

    public static final Setting<String> DB_URL = Setting.text("db.url", "DSPACE_DB_URL", null,
            "JDBC URL of DSpace's PostgreSQL database: jdbc:postgresql://host:5432/dspace").check(v -> {
                if (v.isBlank()) throw new IllegalArgumentException("DSPACE_DB_URL is not set");
                return v.trim();
            });
    public static final Setting<String> DB_USER = Setting.text("db.user", "DSPACE_DB_USER", "vellum",
            "A read-only database role");
    public static final Setting<String> DB_PASSWORD = Setting.text(".db.password", "DSPACE_DB_PASSWORD", "",
            "Its password (the leading dot keeps the OSGi property out of the service's properties)").secret();
    public static final Setting<Integer> DB_POOL_SIZE = Setting.integer("db.pool.size", "DSPACE_DB_POOL_SIZE", 4,
            "Connections at most (lookups are cached, so few are needed)").atLeast(1).strict();
    public static final Setting<Integer> DB_TIMEOUT_SECONDS = Setting.integer("db.timeout.seconds",
            "DSPACE_DB_TIMEOUT_SECONDS", 5, "Connection and statement timeout in seconds").atLeast(1).strict();
    public static final Setting<List<String>> ASSETSTORES = Setting.list("assetstores", "DSPACE_ASSETSTORES",
            List.of(), "store_number=directory pairs, comma-separated in the environment (0=/dspace/assetstore,"
                    + "2=/mnt/assetstore2); a store not listed (S3) goes through REST");
    public static final Setting<String> REST_URL = Setting.text("rest.url", "DSPACE_REST_URL", "",
            "DSpace's server URL (https://repo.example.org/server); empty: no REST, so unlisted stores answer 404 and "
                    + "callers' credentials cannot be checked").check(v -> v.trim().replaceAll("/+$", ""));
    public static final Setting<String> REST_CACHE_DIR = Setting.text("rest.cache.dir", "DSPACE_REST_CACHE_DIR", "",
            "Folder for bitstreams fetched through REST; empty: vellum-dspace-cache in the temporary folder");
    public static final Setting<Integer> REST_CACHE_MB = Setting.integer("rest.cache.mb", "DSPACE_REST_CACHE_MB",
            10240, "Bound of that folder in MB (of 1048576 bytes)").atLeast(1).strict();
    public static final Setting<String> AUTH = Setting.text("auth", "DSPACE_AUTH", "anonymous",
            "anonymous: serve what DSpace's Anonymous group may read, 403 otherwise; database: verify the caller's "
                    + "DSpace token with DSPACE_JWT_SECRET and decide with its e-person's groups; forward: ask DSpace's "
                    + "REST API with the caller's token").check(v -> {
                        String auth = v.trim().toLowerCase(Locale.ROOT);
                        if (!auth.equals("anonymous") && !auth.equals("forward") && !auth.equals("database")) {
                            throw new IllegalArgumentException(
                                    "DSPACE_AUTH must be anonymous, database or forward, not " + v);
                        }
                        return auth;
                    });
    public static final Setting<String> ANONYMOUS_GROUP = Setting.text("anonymous.group", "DSPACE_ANONYMOUS_GROUP",
            "Anonymous", "The group whose READ policies make a bitstream public");
    public static final Setting<Integer> LOOKUP_TTL_SECONDS = Setting.integer("lookup.ttl.seconds",
            "DSPACE_LOOKUP_TTL_SECONDS", 60, "Seconds a database answer is reused").atLeast(1).strict();
    public static final Setting<Integer> LOOKUP_CACHE_SIZE = Setting.integer("lookup.cache.size",
            "DSPACE_LOOKUP_CACHE_SIZE", 10000, "Database answers kept").atLeast(16).strict();
    public static final Setting<Integer> AUTH_TTL_SECONDS = Setting.integer("auth.ttl.seconds",
            "DSPACE_AUTH_TTL_SECONDS", 60, "Seconds DSpace's yes or no for one caller and bitstream is reused")
            .atLeast(1).strict();

    public static final Setting<String> VERSION = Setting.text("version", "DSPACE_VERSION", "auto",
            "DSpace's major version, for the rule that changed (7 and 8: a policy's end date is its first day out of "
                    + "force; 9 and later: its last day in force); auto: from the newest migration in DSpace's "
                    + "schema_version table, else 8").check(v -> {
                        String t = v.trim().toLowerCase(Locale.ROOT);
                        if (t.equals("auto") || t.matches("[0-9]{1,2}") && Integer.parseInt(t) >= 7) return t;
                        throw new IllegalArgumentException("DSPACE_VERSION must be auto or 7, 8, 9, ..., not " + v);
                    });
    public static final Setting<String> TIME_ZONE = Setting.text("time.zone", "DSPACE_TIME_ZONE", "",
            "The time zone of DSpace's server (Europe/Berlin), in which a policy's start and end dates begin and end;"
                    + " empty: this server's").check(v -> {
                        if (v.isBlank()) return "";
                        try {
                            return ZoneId.of(v.trim()).getId();
                        } catch (DateTimeException e) {
                            throw new IllegalArgumentException("DSPACE_TIME_ZONE: not a time zone: " + v);
                        }
                    });
    public static final Setting<List<String>> ALLOWED_ROOTS = Setting.list("allowed.roots", "DSPACE_ALLOWED_ROOTS",
            List.of(), "DSpace's assetstore.allowed.roots: directories outside the assetstores where registered "
                    + "(-R) bitstreams may lie, comma-separated in the environment");
    public static final Setting<String> JWT_SECRET = Setting.text(".jwt.secret", "DSPACE_JWT_SECRET", "",
            "DSpace's jwt.login.token.secret, for DSPACE_AUTH=database").secret();
    public static final Setting<String> JWT_SHORT_LIVED_SECRET = Setting.text(".jwt.short.lived.secret",
            "DSPACE_JWT_SHORT_LIVED_SECRET", "", "DSpace's jwt.shortLived.token.secret, for the "
                    + "authentication-token parameter with DSPACE_AUTH=database").secret();
    public static final Setting<Boolean> JWT_INCLUDE_ORIGIN = Setting.flag("jwt.include.origin",
            "DSPACE_JWT_INCLUDE_ORIGIN", true, "DSpace's jwt.login.token.include.origin: its tokens are signed for "
                    + "the Origin (else Referer, else X-DSpace-UI) they were issued to");

    /** Every setting, in the order of the documentation and the metatype interface. */
    public static final List<Setting<?>> DECLARED = List.of(DB_URL, DB_USER, DB_PASSWORD, DB_POOL_SIZE,
            DB_TIMEOUT_SECONDS, ASSETSTORES, REST_URL, REST_CACHE_DIR, REST_CACHE_MB, AUTH, ANONYMOUS_GROUP,
            LOOKUP_TTL_SECONDS, LOOKUP_CACHE_SIZE, AUTH_TTL_SECONDS, VERSION, TIME_ZONE, ALLOWED_ROOTS, JWT_SECRET,
            JWT_SHORT_LIVED_SECRET, JWT_INCLUDE_ORIGIN);

    public DspaceSettings {
        assetstores = Map.copyOf(assetstores);
        restUrl = restUrl == null ? "" : restUrl.replaceAll("/+$", "");
        allowedRoots = List.copyOf(allowedRoots);
        jwtSecret = jwtSecret == null ? "" : jwtSecret;
        jwtShortLivedSecret = jwtShortLivedSecret == null ? "" : jwtShortLivedSecret;
    }

    /** The settings with another way of deciding about callers (tests, mostly). */
    public DspaceSettings withAuth(Auth mode, String loginSecret, String shortLivedSecret) {
        return new DspaceSettings(jdbcUrl, dbUser, dbPassword, dbPoolSize, dbTimeout, assetstores, restUrl,
                restCacheDir, restCacheBytes, mode, anonymousGroup, lookupTtl, lookupCacheSize, authTtl, dspaceVersion,
                timeZone, allowedRoots, loginSecret, shortLivedSecret, jwtIncludeOrigin);
    }

    /** The settings for another DSpace version and time zone (0: detect the version). */
    public DspaceSettings withVersion(int version, ZoneId zone) {
        return new DspaceSettings(jdbcUrl, dbUser, dbPassword, dbPoolSize, dbTimeout, assetstores, restUrl,
                restCacheDir, restCacheBytes, auth, anonymousGroup, lookupTtl, lookupCacheSize, authTtl, version, zone,
                allowedRoots, jwtSecret, jwtShortLivedSecret, jwtIncludeOrigin);
    }

    /** The settings with other allowed roots for registered bitstreams. */
    public DspaceSettings withAllowedRoots(List<Path> roots) {
        return new DspaceSettings(jdbcUrl, dbUser, dbPassword, dbPoolSize, dbTimeout, assetstores, restUrl,
                restCacheDir, restCacheBytes, auth, anonymousGroup, lookupTtl, lookupCacheSize, authTtl, dspaceVersion,
                timeZone, roots, jwtSecret, jwtShortLivedSecret, jwtIncludeOrigin);
    }

    /** DSpace's REST API is asked about callers. */
    public boolean forwardAuth() {
        return auth == Auth.FORWARD;
    }

    /** The DSPACE_* environment variables. */
    public static DspaceSettings fromEnvironment(Map<String, String> env) {
        return from(SettingSource.variables(env));
    }

    /**
     * Each declared setting read from the source.
     *
     * @throws IllegalArgumentException naming the setting that is missing, unreadable or refused
     */
    public static DspaceSettings from(SettingSource source) {
        String url = DB_URL.read(source);
        Auth auth = Auth.valueOf(AUTH.read(source).toUpperCase(Locale.ROOT));
        String restUrl = REST_URL.read(source);
        if (auth == Auth.FORWARD && restUrl.isBlank()) {
            throw new IllegalArgumentException("DSPACE_AUTH=forward needs DSPACE_REST_URL, where DSpace is asked");
        }
        String jwtSecret = JWT_SECRET.read(source);
        if (auth == Auth.DATABASE && jwtSecret.isBlank()) {
            throw new IllegalArgumentException("DSPACE_AUTH=database needs DSPACE_JWT_SECRET (DSpace's "
                    + "jwt.login.token.secret), without which DSpace's tokens cannot be verified");
        }
        String version = VERSION.read(source);
        String zone = TIME_ZONE.read(source);
        List<Path> roots = ALLOWED_ROOTS.read(source).stream().filter(r -> !r.isBlank())
                .map(r -> Path.of(r.trim()).toAbsolutePath().normalize()).toList();
        String cacheDir = REST_CACHE_DIR.read(source);
        return new DspaceSettings(url,
                DB_USER.read(source),
                DB_PASSWORD.read(source),
                DB_POOL_SIZE.read(source),
                Duration.ofSeconds(DB_TIMEOUT_SECONDS.read(source)),
                assetstoresOf(String.join(",", ASSETSTORES.read(source))),
                restUrl,
                (cacheDir.isBlank() ? Path.of(System.getProperty("java.io.tmpdir"), "vellum-dspace-cache")
                        : Path.of(cacheDir)).toAbsolutePath(),
                REST_CACHE_MB.read(source) * 1024L * 1024L,
                auth,
                ANONYMOUS_GROUP.read(source),
                Duration.ofSeconds(LOOKUP_TTL_SECONDS.read(source)),
                LOOKUP_CACHE_SIZE.read(source),
                Duration.ofSeconds(AUTH_TTL_SECONDS.read(source)),
                version.equals("auto") ? 0 : Integer.parseInt(version),
                zone.isEmpty() ? ZoneId.systemDefault() : ZoneId.of(zone),
                roots,
                jwtSecret,
                JWT_SHORT_LIVED_SECRET.read(source),
                JWT_INCLUDE_ORIGIN.read(source));
    }

    /** {@code 0=/dspace/assetstore,2=/mnt/other}. */
    static Map<Integer, Path> assetstoresOf(String spec) {
        Map<Integer, Path> stores = new TreeMap<>();
        for (String pair : spec.split(",")) {
            if (pair.isBlank()) continue;
            int eq = pair.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("DSPACE_ASSETSTORES: expected number=directory, got " + pair);
            stores.put(Integer.parseInt(pair.substring(0, eq).trim()),
                    Path.of(pair.substring(eq + 1).trim()).toAbsolutePath().normalize());
        }
        return stores;
    }
}
