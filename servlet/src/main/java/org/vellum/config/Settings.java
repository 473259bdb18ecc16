package org.vellum.config;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Every setting of the server, immutable. Built from defaults, then iipsrv-style environment variables,
 * then (later) container configuration. Nothing else in the code reads the environment.
 *
 * @param filesystemPrefix   FILESYSTEM_PREFIX: the image root; identifiers resolve below it and never outside
 * @param filesystemSuffix   FILESYSTEM_SUFFIX: appended to every identifier
 * @param jpegQuality        JPEG_QUALITY 1..100
 * @param maxCvt             MAX_CVT: largest output side of a region export (also IIIF maxWidth)
 * @param maxLayers          MAX_LAYERS: -1 all quality layers (our default), 0 half of them (iipsrv's default), n at most n
 * @param cacheControl       CACHE_CONTROL: Cache-Control value on successful responses
 * @param cors               CORS: Access-Control-Allow-Origin value, empty for none
 * @param baseUrl            BASE_URL: public base for IIIF ids and redirects, empty to derive from the request
 * @param allowUpscaling     ALLOW_UPSCALING
 * @param interpolation      INTERPOLATION: 0 nearest neighbour, 1 bilinear
 * @param uriMap             URI_MAP: {@code prefix=>protocol}, empty for none
 * @param verbosity          VERBOSITY 0..6
 * @param poolMaxTotal       POOL_MAX_TOTAL: decoders open at once, all files
 * @param poolMaxPerFile     POOL_MAX_PER_FILE: decoders of one file in use at once (and open per level of a single-tile file)
 * @param poolIdleSeconds    POOL_IDLE_SECONDS: an idle decoder is closed after this long
 * @param maxDecodePixels    MAX_DECODE_PIXELS: largest area one decode step may produce (memory guard)
 * @param iiifPrefix         IIIF_PREFIX: path of the IIIF endpoints ({@code <prefix>/3/…}, {@code <prefix>/2/…})
 * @param iiifCors           IIIF_CORS: Access-Control-Allow-Origin on IIIF responses; CORS when set, else {@code *}
 * @param iiifMaxArea        IIIF_MAX_AREA: largest output area in pixels a IIIF request may ask for (maxArea)
 * @param maxImageCacheSize  MAX_IMAGE_CACHE_SIZE: in-memory cache of encoded images, in MB of 1024000 bytes as
 *                           iipsrv counts them; 0 turns it off
 * @param memcachedServers   MEMCACHED_SERVERS: {@code host[:port]} list, comma separated, shared by several nodes;
 *                           empty (our default) for none
 * @param memcachedTimeout   MEMCACHED_TIMEOUT: seconds an image stays in memcached (its expiry time)
 * @param levelCacheSize     LEVEL_CACHE_SIZE: memory for whole decoded resolution levels (up to 1 megapixel, 4 for
 *                           single-tile files), in the same MB; 0 turns it off (not an iipsrv setting)
 * @param memoryBudget       MEMORY_BUDGET: memory, in the same MB, that open decoders (native, estimated), whole levels
 *                           and cached images together may hold; the least valuable go first (not an iipsrv
 *                           setting; POOL_MAX_NATIVE_SIZE, its earlier name, is read too)
 * @param diskCacheDir       DISK_CACHE_DIR: a folder for encoded images that survives restarts and may be shared by
 *                           several nodes; empty (our default) for none (not an iipsrv setting)
 * @param diskCacheSize      DISK_CACHE_SIZE: the most the files in DISK_CACHE_DIR may hold, in the same MB; least
 *                           recently used out first; 0 turns the disk cache off (not an iipsrv setting)
 * @param webpQuality        WEBP_QUALITY 1..100: libwebp's lossy quality for {@code .webp} output (not an iipsrv
 *                           setting; cwebp's default 75)
 * @param avifQuality        AVIF_QUALITY 1..100: {@code .avif} quality, mapped onto AV1's quantizer 63..0 (not an
 *                           iipsrv setting)
 * @param avifSpeed          AVIF_SPEED 0..10: libavif's encoder speed, 10 fastest and the default, chosen by the
 *                           figures in bench/RESULTS.md (not an iipsrv setting)
 */
public record Settings(
        Path filesystemPrefix,
        String filesystemSuffix,
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
        String iiifCors,
        long iiifMaxArea,
        double maxImageCacheSize,
        String memcachedServers,
        int memcachedTimeout,
        double levelCacheSize,
        double memoryBudget,
        String diskCacheDir,
        double diskCacheSize,
        int webpQuality,
        int avifQuality,
        int avifSpeed) {

    /** iipsrv's megabyte (Cache.h multiplies MAX_IMAGE_CACHE_SIZE by 1024000). */
    public static final long CACHE_MB = 1_024_000;

    public static Settings defaults() {
        return new Settings(Path.of(".").toAbsolutePath().normalize(), "", 75, 5000, -1, "max-age=86400", "",
                "", true, 1, "", 1,
                Math.max(24, 8 * Runtime.getRuntime().availableProcessors()), 4, 300, defaultDecodePixels(),
                "/iiif", "*", defaultMaxArea(5000), 10, "", 86400, defaultLevelCacheSize(), 320, "", 1000,
                75, 60, 10);
    }

    /** Defaults overridden by whichever of the iipsrv environment variable names are present. */
    public static Settings fromEnvironment(Map<String, String> env) {
        Settings d = defaults();
        int maxCvt = maxCvtOf(intOf(env, "MAX_CVT", d.maxCvt));
        String cors = env.getOrDefault("CORS", env.getOrDefault("IIIF_CORS", "*"));   // IIIF_CORS: its old name
        long area = longOf(env, "IIIF_MAX_AREA", -1);
        return new Settings(
                env.containsKey("FILESYSTEM_PREFIX") ? Path.of(env.get("FILESYSTEM_PREFIX")).toAbsolutePath().normalize()
                        : d.filesystemPrefix,
                env.getOrDefault("FILESYSTEM_SUFFIX", d.filesystemSuffix),
                clamp(intOf(env, "JPEG_QUALITY", d.jpegQuality), 1, 100),
                maxCvt,
                intOf(env, "MAX_LAYERS", d.maxLayers),
                env.getOrDefault("CACHE_CONTROL", d.cacheControl),
                cors,
                env.getOrDefault("BASE_URL", d.baseUrl),
                intOf(env, "ALLOW_UPSCALING", 1) != 0,
                clamp(intOf(env, "INTERPOLATION", d.interpolation), 0, 1),
                env.getOrDefault("URI_MAP", d.uriMap),
                intOf(env, "VERBOSITY", d.verbosity),
                Math.max(1, intOf(env, "POOL_MAX_TOTAL", d.poolMaxTotal)),
                Math.max(1, intOf(env, "POOL_MAX_PER_FILE", d.poolMaxPerFile)),
                Math.max(1, intOf(env, "POOL_IDLE_SECONDS", d.poolIdleSeconds)),
                Math.max(65536, longOf(env, "MAX_DECODE_PIXELS", d.maxDecodePixels)),
                prefixOf(env.getOrDefault("IIIF_PREFIX", d.iiifPrefix)),
                env.getOrDefault("IIIF_CORS", cors.isEmpty() ? d.iiifCors : cors),
                area > 0 ? Math.min(area, defaultMaxArea(Integer.MAX_VALUE)) : defaultMaxArea(maxCvt),
                Math.max(0, doubleOf(env, "MAX_IMAGE_CACHE_SIZE", d.maxImageCacheSize)),
                env.getOrDefault("MEMCACHED_SERVERS", d.memcachedServers).trim(),
                Math.max(1, intOf(env, "MEMCACHED_TIMEOUT", d.memcachedTimeout)),
                levelCacheSizeOf(doubleOf(env, "LEVEL_CACHE_SIZE", d.levelCacheSize)),
                Math.max(0, doubleOf(env, "MEMORY_BUDGET", doubleOf(env, "POOL_MAX_NATIVE_SIZE", d.memoryBudget))),
                env.getOrDefault("DISK_CACHE_DIR", d.diskCacheDir).trim(),
                Math.max(0, doubleOf(env, "DISK_CACHE_SIZE", d.diskCacheSize)),
                clamp(intOf(env, "WEBP_QUALITY", d.webpQuality), 1, 100),
                clamp(intOf(env, "AVIF_QUALITY", d.avifQuality), 1, 100),
                clamp(intOf(env, "AVIF_SPEED", d.avifSpeed), 0, 10));
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
        return new Settings(root.toAbsolutePath().normalize(), filesystemSuffix, jpegQuality, maxCvt, maxLayers,
                cacheControl, cors, baseUrl, allowUpscaling, interpolation, uriMap, verbosity, poolMaxTotal,
                poolMaxPerFile, poolIdleSeconds, maxDecodePixels, iiifPrefix, iiifCors, iiifMaxArea, maxImageCacheSize,
                memcachedServers, memcachedTimeout, levelCacheSize, memoryBudget, diskCacheDir, diskCacheSize,
                webpQuality, avifQuality, avifSpeed);
    }

    /**
     * A sixth of the heap, between 4 and 128 MB: 41 MB under -Xmx256m, room for the 2000x1500 level of a large
     * single-tile image (9 MB) with a few more.
     */
    private static double defaultLevelCacheSize() {
        // levels live in direct memory, which the JVM bounds by the heap's size unless told otherwise
        return Math.max(4, Math.min(128, Runtime.getRuntime().maxMemory() / 2 / CACHE_MB));
    }

    /** Negative (the OSGi configuration's "unset"): the default. */
    private static double levelCacheSizeOf(double v) {
        return v < 0 ? defaultLevelCacheSize() : v;
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

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private static int intOf(Map<String, String> env, String name, int dflt) {
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, longOf(env, name, dflt)));
    }

    /** iipsrv reads MAX_IMAGE_CACHE_SIZE as a float: "0.5" is half a megabyte. */
    private static double doubleOf(Map<String, String> env, String name, double dflt) {
        String v = env.get(name);
        if (v == null || v.isBlank()) return dflt;
        try {
            double d = Double.parseDouble(v.trim());
            return Double.isFinite(d) ? d : dflt;
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    private static long longOf(Map<String, String> env, String name, long dflt) {
        String v = env.get(name);
        if (v == null || v.isBlank()) return dflt;
        try {
            return Long.parseLong(v.trim().toLowerCase(Locale.ROOT));
        } catch (NumberFormatException e) {
            return dflt;
        }
    }
}
