package org.vellum.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.vellum.api.settings.Setting;
import org.vellum.api.settings.SettingSource;

/**
 * Every setting of the server, immutable. Each is declared once below ({@link #DECLARED}: OSGi property, iipsrv
 * environment variable, type, default, check, one line of documentation); the record holds the values the code
 * asks for, read from defaults, then the environment, then servlet context parameters or the OSGi configuration
 * (whichever {@link SettingSource} the launcher builds). docs/settings.md and the bundle's metatype interface
 * {@code org.vellum.osgi.VellumConfiguration} are rendered from the declarations; a test fails when they differ.
 * Nothing else in the code reads the environment.
 */
public record Settings(
        Path filesystemPrefix,
        String filesystemSuffix,
        String filenamePattern,
        int jpegQuality,
        int maxCvt,
        int maxLayers,
        String cacheControl,
        String cors,
        String baseUrl,
        boolean allowUpscaling,
        int interpolation,
        String uriMap,
        int verbosity,
        int poolMaxTotal,
        int poolMaxPerFile,
        int poolIdleSeconds,
        long maxDecodePixels,
        String iiifPrefix,
        long iiifMaxArea,
        double maxImageCacheSize,
        String memcachedServers,
        int memcachedTimeout,
        double levelCacheSize,
        double memoryBudget,
        String diskCacheDir,
        double diskCacheSize,
        String viewerImage,
        Icc iccProfiles,
        int webpQuality,
        int avifQuality,
        int avifSpeed,
        MetricsAccess metrics,
        String metricsToken,
        String requestLog,
        double redeployWait) {

    /** Who may read /metrics: see {@link #METRICS}. */
    public enum MetricsAccess {
        OFF, LOOPBACK, TOKEN;

        static MetricsAccess of(String v) {
            return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "off", "false", "no", "0" -> OFF;
                case "token" -> TOKEN;
                case "loopback", "" -> LOOPBACK;
                default -> throw new IllegalArgumentException("METRICS must be off, loopback or token, not " + v);
            };
        }
    }

    /** What is done with an image's ICC profile: see {@link #ICC_PROFILES}. */
    public enum Icc {
        EMBED, CONVERT;

        static Icc of(String v) {
            return v.trim().equalsIgnoreCase("convert") ? CONVERT : EMBED;
        }
    }

    /** iipsrv's megabyte (Cache.h multiplies MAX_IMAGE_CACHE_SIZE by 1024000). */
    public static final long CACHE_MB = 1_024_000;

    public static final Setting<String> FILESYSTEM_PREFIX = Setting.text("filesystemPrefix", "FILESYSTEM_PREFIX", ".",
            "The image folder; identifiers resolve below it and never outside");
    public static final Setting<String> FILESYSTEM_SUFFIX = Setting.text("filesystemSuffix", "FILESYSTEM_SUFFIX", "",
            "Appended to every identifier");
    public static final Setting<String> FILENAME_PATTERN = Setting.text("filenamePattern", "FILENAME_PATTERN", "_pyr_",
            "Image sequences: an identifier that names no file names the files <identifier><pattern><h>_<v>.jp2 "
                    + "(IIP SDS=h,v picks one); iipsrv's setting");
    public static final Setting<Integer> JPEG_QUALITY = Setting.integer("jpegQuality", "JPEG_QUALITY", 75,
            "JPEG quality, 1 to 100").within(1, 100);
    public static final Setting<Integer> MAX_CVT = Setting.integer("maxCvt", "MAX_CVT", 5000,
            "Largest output side of a region export, also IIIF maxWidth/maxHeight; -1 unlimited, at least 64")
            .check(Settings::maxCvtOf);
    public static final Setting<Integer> MAX_LAYERS = Setting.integer("maxLayers", "MAX_LAYERS", -1,
            "Quality layers decoded: -1 all, 0 half of them rounded up (iipsrv's default), n at most n");
    public static final Setting<String> CACHE_CONTROL = Setting.text("cacheControl", "CACHE_CONTROL",
            "max-age=86400", "Cache-Control on successful responses");
    public static final Setting<String> CORS = Setting.text("cors", "CORS", "*",
            "Access-Control-Allow-Origin on every protocol's responses; empty for none (iipsrv's default; ours is "
                    + "open because viewers usually run on another origin)")
            .deprecatedAlias("IIIF_CORS");
    public static final Setting<String> BASE_URL = Setting.text("baseUrl", "BASE_URL", "",
            "Public root URL for IIIF ids and redirects; empty: taken from the request");
    public static final Setting<Boolean> ALLOW_UPSCALING = Setting.flag("allowUpscaling", "ALLOW_UPSCALING", true,
            "false (0) caps CVT and IIIF sizes at the region's native size");
    public static final Setting<Integer> INTERPOLATION = Setting.integer("interpolation", "INTERPOLATION", 1,
            "Scaling: 0 nearest neighbour, 1 smooth").within(0, 1);
    public static final Setting<String> URI_MAP = Setting.text("uriMap", "URI_MAP", "",
            "prefix=>protocol (iip, zoomify or deepzoom) for paths below /; empty for none");
    public static final Setting<Integer> VERBOSITY = Setting.integer("verbosity", "VERBOSITY", 1,
            "0 warnings only, 1 start-up, 2-4 one line per request, 5 and more everything (in OSGi the log level "
                    + "is the runtime's)");
    public static final Setting<Integer> POOL_MAX_TOTAL = Setting.integer("poolMaxTotal", "POOL_MAX_TOTAL", 0,
            "Decoders open at once, all files (and decoder threads); 0: max(24, 8 x cores)")
            .check(v -> v == 0 ? Math.max(24, 8 * Runtime.getRuntime().availableProcessors()) : Math.max(1, v));
    public static final Setting<Integer> POOL_MAX_PER_FILE = Setting.integer("poolMaxPerFile", "POOL_MAX_PER_FILE", 4,
            "Decoders of one file in use at once (a single-tile file keeps this many open per level)").atLeast(1);
    public static final Setting<Integer> POOL_IDLE_SECONDS = Setting.integer("poolIdleSeconds", "POOL_IDLE_SECONDS",
            300, "An idle decoder is closed after this many seconds").atLeast(1);
    public static final Setting<Long> MAX_DECODE_PIXELS = Setting.longInteger("maxDecodePixels", "MAX_DECODE_PIXELS",
            0, "Largest area one decode step may produce (a memory guard), at least 65536; 0: the heap's size / 64 "
                    + "bytes, 1 to 16 M")
            .check(v -> v == 0 ? defaultDecodePixels() : Math.max(65536, v));
    public static final Setting<String> IIIF_PREFIX = Setting.text("iiifPrefix", "IIIF_PREFIX", "/iiif",
            "Path of the IIIF endpoints (<prefix>/3/..., <prefix>/2/...)").check(Settings::prefixOf);
    public static final Setting<Long> IIIF_MAX_AREA = Setting.longInteger("iiifMaxArea", "IIIF_MAX_AREA", 0,
            "Largest output area in pixels a IIIF request may ask for (maxArea); 0: MAX_CVT squared, at most 2^30")
            .check(v -> v > 0 ? Math.min(v, defaultMaxArea(Integer.MAX_VALUE)) : 0);
    public static final Setting<Double> MAX_IMAGE_CACHE_SIZE = Setting.number("maxImageCacheSize",
            "MAX_IMAGE_CACHE_SIZE", 10,
            "In-memory cache of encoded images, in MB of 1024000 bytes as iipsrv counts them; 0 turns it off")
            .atLeast(0.0);
    public static final Setting<String> MEMCACHED_SERVERS = Setting.text("memcachedServers", "MEMCACHED_SERVERS", "",
            "memcached shared by several nodes: host[:port], comma separated, in the same order on every node; "
                    + "empty for none").check(String::trim);
    public static final Setting<Integer> MEMCACHED_TIMEOUT = Setting.integer("memcachedTimeout", "MEMCACHED_TIMEOUT",
            86400, "Seconds an image stays in memcached").atLeast(1);
    public static final Setting<Double> LEVEL_CACHE_SIZE = Setting.number("levelCacheSize", "LEVEL_CACHE_SIZE", -1,
            "Memory outside the heap, in the same MB, for whole decoded levels being viewed (each at most a third "
                    + "of it, and 4 megapixels for tiled files), within MEMORY_BUDGET; 0 off; -1: half the heap's "
                    + "size, 4 to 128 MB")
            .check(v -> v < 0 ? defaultLevelCacheSize() : v);
    public static final Setting<Double> MEMORY_BUDGET = Setting.number("memoryBudget", "MEMORY_BUDGET", 320,
            "Memory, in the same MB, that open decoders (native, estimated), whole levels and cached images may "
                    + "hold together; the least valuable go first")
            .deprecatedAlias("POOL_MAX_NATIVE_SIZE").atLeast(0.0);
    public static final Setting<String> DISK_CACHE_DIR = Setting.text("diskCacheDir", "DISK_CACHE_DIR", "",
            "A folder for encoded images that survives restarts and may be shared by several nodes (local disk or "
                    + "NFS); only images anyone may see go there; empty for none").check(String::trim);
    public static final Setting<Double> DISK_CACHE_SIZE = Setting.number("diskCacheSize", "DISK_CACHE_SIZE", 1000,
            "The most DISK_CACHE_DIR may hold, in the same MB; least recently used out first; 0 off").atLeast(0.0);
    public static final Setting<String> VIEWER_IMAGE = Setting.text("viewerImage", "VIEWER_IMAGE", "",
            "The image the viewer page at / opens; empty: the first JPEG 2000 file of the image folder");
    public static final Setting<String> ICC_PROFILES = Setting.text("iccProfiles", "ICC_PROFILES", "embed",
            "embed: an image's ICC profile goes out in JPEG, PNG and TIFF; convert: the pixels are turned into sRGB "
                    + "instead. Outputs that cannot carry a profile and requests that compute on colours are "
                    + "converted either way").check(v -> Icc.of(v).name().toLowerCase(java.util.Locale.ROOT));
    public static final Setting<Integer> WEBP_QUALITY = Setting.integer("webpQuality", "WEBP_QUALITY", 75,
            "Quality 1-100 of .webp output (libwebp, when installed; cwebp's default 75)").within(1, 100);
    public static final Setting<Integer> AVIF_QUALITY = Setting.integer("avifQuality", "AVIF_QUALITY", 60,
            "Quality 1-100 of .avif output (libavif, when installed), mapped onto AV1's quantizer 63-0")
            .within(1, 100);
    public static final Setting<Integer> AVIF_SPEED = Setting.integer("avifSpeed", "AVIF_SPEED", 10,
            "libavif's encoder speed 0-10, 10 the fastest (same bytes and error as 8 in a third of the time)")
            .within(0, 10);
    public static final Setting<Double> REDEPLOY_WAIT = Setting.number("redeployWait", "REDEPLOY_WAIT", 5,
            "OSGi: seconds a request waits while a new revision of the bundle starts, then answered by it; 503 + "
                    + "Retry-After if none is up by then (0: at once)").within(0.0, 300.0);

    public static final Setting<String> METRICS = Setting.text("metrics", "METRICS", "loopback",
            "Who may read /metrics (Prometheus text format): off (404 for everyone), loopback (only clients on this "
                    + "machine, and never through a proxy: a request with X-Forwarded-*, Forwarded, X-Real-IP or Via "
                    + "is refused), token (anyone sending Authorization: Bearer METRICS_TOKEN)")
            .check(v -> MetricsAccess.of(v).name().toLowerCase(java.util.Locale.ROOT));
    public static final Setting<String> METRICS_TOKEN = Setting.text(".metricsToken", "METRICS_TOKEN", "",
            "The bearer token /metrics asks for when METRICS=token; with METRICS=token and no token, /metrics is off "
                    + "(the leading dot keeps the OSGi property out of the service's properties)").secret();
    public static final Setting<String> REQUEST_LOG = Setting.text("requestLog", "REQUEST_LOG", "",
            "The request log: a file to append one NCSA combined line per request to, followed by the "
                    + "milliseconds taken; yyyy_mm_dd in the name rotates it daily; empty for none. The embedded server "
                    + "writes it; bin/vellum hands it to Felix HTTP's own request log; a WAR logs through its container");

    /** Every setting, in the order of the documentation and the metatype interface. */
    public static final List<Setting<?>> DECLARED = List.of(FILESYSTEM_PREFIX, FILESYSTEM_SUFFIX, FILENAME_PATTERN,
            JPEG_QUALITY,
            MAX_CVT, MAX_LAYERS, CACHE_CONTROL, CORS, BASE_URL, ALLOW_UPSCALING, INTERPOLATION, URI_MAP, VERBOSITY,
            POOL_MAX_TOTAL, POOL_MAX_PER_FILE, POOL_IDLE_SECONDS, MAX_DECODE_PIXELS, IIIF_PREFIX, IIIF_MAX_AREA,
            MAX_IMAGE_CACHE_SIZE, MEMCACHED_SERVERS, MEMCACHED_TIMEOUT, LEVEL_CACHE_SIZE, MEMORY_BUDGET,
            DISK_CACHE_DIR, DISK_CACHE_SIZE, VIEWER_IMAGE, ICC_PROFILES, WEBP_QUALITY, AVIF_QUALITY, AVIF_SPEED,
            METRICS, METRICS_TOKEN, REQUEST_LOG, REDEPLOY_WAIT);

    /** Every declared default (machine-dependent ones for this machine). */
    public static Settings defaults() {
        return from(SettingSource.NONE);
    }

    /** Defaults overridden by whichever of the iipsrv environment variable names are present. */
    public static Settings fromEnvironment(Map<String, String> env) {
        return from(SettingSource.variables(env));
    }

    /** Each declared setting read from the source; IIIF_MAX_AREA left at 0 follows MAX_CVT. */
    public static Settings from(SettingSource source) {
        int maxCvt = MAX_CVT.read(source);
        long area = IIIF_MAX_AREA.read(source);
        return new Settings(
                Path.of(FILESYSTEM_PREFIX.read(source)).toAbsolutePath().normalize(),
                FILESYSTEM_SUFFIX.read(source),
                FILENAME_PATTERN.read(source),
                JPEG_QUALITY.read(source),
                maxCvt,
                MAX_LAYERS.read(source),
                CACHE_CONTROL.read(source),
                CORS.read(source),
                BASE_URL.read(source),
                ALLOW_UPSCALING.read(source),
                INTERPOLATION.read(source),
                URI_MAP.read(source),
                VERBOSITY.read(source),
                POOL_MAX_TOTAL.read(source),
                POOL_MAX_PER_FILE.read(source),
                POOL_IDLE_SECONDS.read(source),
                MAX_DECODE_PIXELS.read(source),
                IIIF_PREFIX.read(source),
                area > 0 ? area : defaultMaxArea(maxCvt),
                MAX_IMAGE_CACHE_SIZE.read(source),
                MEMCACHED_SERVERS.read(source),
                MEMCACHED_TIMEOUT.read(source),
                LEVEL_CACHE_SIZE.read(source),
                MEMORY_BUDGET.read(source),
                DISK_CACHE_DIR.read(source),
                DISK_CACHE_SIZE.read(source),
                VIEWER_IMAGE.read(source),
                Icc.of(ICC_PROFILES.read(source)),
                WEBP_QUALITY.read(source),
                AVIF_QUALITY.read(source),
                AVIF_SPEED.read(source),
                MetricsAccess.of(METRICS.read(source)),
                METRICS_TOKEN.read(source),
                REQUEST_LOG.read(source),
                REDEPLOY_WAIT.read(source));
    }

    /** MAX_CVT squared: any output MAX_CVT allows, within what the engine renders at all. */
    private static long defaultMaxArea(int maxCvt) {
        return Math.min((long) maxCvt * maxCvt, Integer.MAX_VALUE / 2);
    }

    /** "/iiif", whatever slashes it was given with; "/" alone is not a prefix the servlet can be mapped at. */
    private static String prefixOf(String v) {
        String p = v.trim().replaceAll("^/+|/+$", "");
        return p.isEmpty() ? "/iiif" : "/" + p;
    }

    /** About 64 bytes of heap per decoded pixel at peak (samples, image, output), so a 256 MB heap bands at 4 MP. */
    private static long defaultDecodePixels() {
        return Math.max(1L << 20, Math.min(16L << 20, Runtime.getRuntime().maxMemory() / 64));
    }

    public Settings withFilesystemPrefix(Path root) {
        return new Settings(root.toAbsolutePath().normalize(), filesystemSuffix, filenamePattern, jpegQuality, maxCvt, maxLayers,
                cacheControl, cors, baseUrl, allowUpscaling, interpolation, uriMap, verbosity, poolMaxTotal,
                poolMaxPerFile, poolIdleSeconds, maxDecodePixels, iiifPrefix, iiifMaxArea, maxImageCacheSize,
                memcachedServers, memcachedTimeout, levelCacheSize, memoryBudget, diskCacheDir, diskCacheSize,
                viewerImage, iccProfiles, webpQuality, avifQuality, avifSpeed, metrics, metricsToken, requestLog,
                redeployWait);
    }

    /**
     * Half the heap, between 4 and 128 MB: 128 MB under -Xmx256m, room for three 4000x3000 levels of single-tile
     * images (36 MB each) or many smaller ones.
     */
    private static double defaultLevelCacheSize() {
        // levels live in direct memory, which the JVM bounds by the heap's size unless told otherwise
        return Math.max(4, Math.min(128, Runtime.getRuntime().maxMemory() / 2 / CACHE_MB));
    }

    /** REDEPLOY_WAIT in milliseconds. */
    public long redeployWaitMillis() {
        return Math.round(redeployWait * 1000);
    }

    /** MEMORY_BUDGET in bytes. */
    public long memoryBudgetBytes() {
        return (long) (memoryBudget * CACHE_MB);
    }

    /** LEVEL_CACHE_SIZE in bytes. */
    public long levelCacheBytes() {
        return (long) (levelCacheSize * CACHE_MB);
    }

    /** DISK_CACHE_SIZE in bytes. */
    public long diskCacheBytes() {
        return (long) (diskCacheSize * CACHE_MB);
    }

    /** MAX_IMAGE_CACHE_SIZE in bytes. */
    public long imageCacheBytes() {
        return (long) (maxImageCacheSize * CACHE_MB);
    }

    /**
     * Quality layers to decode for a request asking for {@code requested} layers (0 or less: no LYR given),
     * in a file holding {@code available}. 0 means all, as OpenJPEG's cp_layer does.
     */
    public int layersFor(int requested, int available) {
        int cap = switch (Integer.signum(maxLayers)) {
            case -1 -> available;
            case 0 -> (available + 1) / 2;         // iipsrv's MAX_LAYERS=0: half the layers, rounded up
            default -> Math.min(maxLayers, available);
        };
        int n = requested > 0 ? Math.min(requested, cap) : cap;
        return n >= available ? 0 : Math.max(1, n);
    }

    private static int maxCvtOf(int v) {
        if (v < 0) return Integer.MAX_VALUE;       // -1: unlimited, as iipsrv 1.2+
        return v == 0 ? 5000 : Math.max(64, v);    // iipsrv 1.1 floor of 64
    }
}
