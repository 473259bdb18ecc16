// Rendered from org.vellum.config.Settings.DECLARED; do not edit. After changing a declaration:
// mvn -o -q -pl bundle -am test -Dtest='*SettingsDocumentationTest' -Dsurefire.failIfNoSpecifiedTests=false -Dvellum.writeSettingsDoc=true
package org.vellum.osgi;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Every setting of {@link org.vellum.config.Settings}, as configuration PID {@value #PID}: each method is one declaration
 * of {@code Settings.DECLARED}, named by its property, with its default and its environment variable as its name.
 * Values are checked and clamped exactly as the environment's are; a property left out keeps the declared default
 * (0 or -1 means "automatic" where the default depends on the machine).
 */
@ObjectClassDefinition(name = "Vellum",
        description = "JPEG 2000 image server: every setting, with its iipsrv environment variable as its name")
public @interface VellumConfiguration {
    String PID = "org.vellum";

    @AttributeDefinition(name = "FILESYSTEM_PREFIX",
            description = "The image folder; identifiers resolve below it and never outside")
    String filesystemPrefix() default ".";

    @AttributeDefinition(name = "FILESYSTEM_SUFFIX", required = false,
            description = "Appended to every identifier")
    String filesystemSuffix() default "";

    @AttributeDefinition(name = "FILENAME_PATTERN",
            description = "Image sequences: an identifier that names no file names the files <identifier><pattern><h>_<v>.jp2 (IIP SDS=h,v picks one); iipsrv's setting")
    String filenamePattern() default "_pyr_";

    @AttributeDefinition(name = "JPEG_QUALITY", min = "1", max = "100",
            description = "JPEG quality, 1 to 100")
    int jpegQuality() default 75;

    @AttributeDefinition(name = "MAX_CVT",
            description = "Largest output side of a region export, also IIIF maxWidth/maxHeight; -1 unlimited, at least 64")
    int maxCvt() default 5000;

    @AttributeDefinition(name = "MAX_LAYERS",
            description = "Quality layers decoded: -1 all, 0 half of them rounded up (iipsrv's default), n at most n")
    int maxLayers() default -1;

    @AttributeDefinition(name = "CACHE_CONTROL",
            description = "Cache-Control on successful responses")
    String cacheControl() default "max-age=86400";

    @AttributeDefinition(name = "CORS",
            description = "Access-Control-Allow-Origin on every protocol's responses; empty for none (iipsrv's default; ours is open because viewers usually run on another origin)")
    String cors() default "*";

    @AttributeDefinition(name = "BASE_URL", required = false,
            description = "Public root URL for IIIF ids and redirects; empty: taken from the request")
    String baseUrl() default "";

    @AttributeDefinition(name = "ALLOW_UPSCALING",
            description = "false (0) caps CVT and IIIF sizes at the region's native size")
    boolean allowUpscaling() default true;

    @AttributeDefinition(name = "INTERPOLATION", min = "0", max = "1",
            description = "Scaling: 0 nearest neighbour, 1 smooth")
    int interpolation() default 1;

    @AttributeDefinition(name = "URI_MAP", required = false,
            description = "prefix=>protocol (iip, zoomify or deepzoom) for paths below /; empty for none")
    String uriMap() default "";

    @AttributeDefinition(name = "VERBOSITY",
            description = "0 warnings only, 1 start-up, 2-4 one line per request, 5 and more everything (in OSGi the log level is the runtime's)")
    int verbosity() default 1;

    @AttributeDefinition(name = "POOL_MAX_TOTAL",
            description = "Decoders open at once, all files (and decoder threads); 0: max(24, 8 x cores)")
    int poolMaxTotal() default 0;

    @AttributeDefinition(name = "POOL_MAX_PER_FILE",
            description = "Decoders of one file in use at once (a single-tile file keeps this many open per level)")
    int poolMaxPerFile() default 4;

    @AttributeDefinition(name = "POOL_IDLE_SECONDS",
            description = "An idle decoder is closed after this many seconds")
    int poolIdleSeconds() default 300;

    @AttributeDefinition(name = "MAX_DECODE_PIXELS",
            description = "Largest area one decode step may produce (a memory guard), at least 65536; 0: the heap's size / 64 bytes, 1 to 16 M")
    long maxDecodePixels() default 0L;

    @AttributeDefinition(name = "IIIF_PREFIX",
            description = "Path of the IIIF endpoints (<prefix>/3/..., <prefix>/2/...)")
    String iiifPrefix() default "/iiif";

    @AttributeDefinition(name = "IIIF_MAX_AREA",
            description = "Largest output area in pixels a IIIF request may ask for (maxArea); 0: MAX_CVT squared, at most 2^30")
    long iiifMaxArea() default 0L;

    @AttributeDefinition(name = "MAX_IMAGE_CACHE_SIZE",
            description = "In-memory cache of encoded images, in MB of 1024000 bytes as iipsrv counts them; 0 turns it off")
    double maxImageCacheSize() default 10;

    @AttributeDefinition(name = "MEMCACHED_SERVERS", required = false,
            description = "memcached shared by several nodes: host[:port], comma separated, in the same order on every node; empty for none")
    String memcachedServers() default "";

    @AttributeDefinition(name = "MEMCACHED_TIMEOUT",
            description = "Seconds an image stays in memcached")
    int memcachedTimeout() default 86400;

    @AttributeDefinition(name = "LEVEL_CACHE_SIZE",
            description = "Memory outside the heap, in the same MB, for whole decoded levels being viewed (each at most a third of it, and 4 megapixels for tiled files), within MEMORY_BUDGET; 0 off; -1: half the heap's size, 4 to 128 MB")
    double levelCacheSize() default -1;

    @AttributeDefinition(name = "MEMORY_BUDGET",
            description = "Memory, in the same MB, that open decoders (native, estimated), whole levels and cached images may hold together; the least valuable go first")
    double memoryBudget() default 320;

    @AttributeDefinition(name = "DISK_CACHE_DIR", required = false,
            description = "A folder for encoded images that survives restarts and may be shared by several nodes (local disk or NFS); only images anyone may see go there; empty for none")
    String diskCacheDir() default "";

    @AttributeDefinition(name = "DISK_CACHE_SIZE",
            description = "The most DISK_CACHE_DIR may hold, in the same MB; least recently used out first; 0 off")
    double diskCacheSize() default 1000;

    @AttributeDefinition(name = "VIEWER_IMAGE", required = false,
            description = "The image the viewer page at / opens; empty: the first JPEG 2000 file of the image folder")
    String viewerImage() default "";

    @AttributeDefinition(name = "ICC_PROFILES",
            description = "embed: an image's ICC profile goes out in JPEG, PNG and TIFF; convert: the pixels are turned into sRGB instead. Outputs that cannot carry a profile and requests that compute on colours are converted either way")
    String iccProfiles() default "embed";

    @AttributeDefinition(name = "WEBP_QUALITY", min = "1", max = "100",
            description = "Quality 1-100 of .webp output (libwebp, when installed; cwebp's default 75)")
    int webpQuality() default 75;

    @AttributeDefinition(name = "AVIF_QUALITY", min = "1", max = "100",
            description = "Quality 1-100 of .avif output (libavif, when installed), mapped onto AV1's quantizer 63-0")
    int avifQuality() default 60;

    @AttributeDefinition(name = "AVIF_SPEED", min = "0", max = "10",
            description = "libavif's encoder speed 0-10, 10 the fastest (same bytes and error as 8 in a third of the time)")
    int avifSpeed() default 10;

    @AttributeDefinition(name = "METRICS",
            description = "Who may read /metrics (Prometheus text format): off (404 for everyone), loopback (only clients on this machine, and never through a proxy: a request with X-Forwarded-*, Forwarded, X-Real-IP or Via is refused), token (anyone sending Authorization: Bearer METRICS_TOKEN)")
    String metrics() default "loopback";

    @AttributeDefinition(name = "METRICS_TOKEN", type = AttributeType.PASSWORD, required = false,
            description = "The bearer token /metrics asks for when METRICS=token; with METRICS=token and no token, /metrics is off (the leading dot keeps the OSGi property out of the service's properties)")
    String _metricsToken() default "";

    @AttributeDefinition(name = "REQUEST_LOG", required = false,
            description = "The request log: a file to append one NCSA combined line per request to, followed by the milliseconds taken; yyyy_mm_dd in the name rotates it daily; empty for none. The embedded server writes it; bin/vellum hands it to Felix HTTP's own request log; a WAR logs through its container")
    String requestLog() default "";

    @AttributeDefinition(name = "REDEPLOY_WAIT", min = "0.0", max = "300.0",
            description = "OSGi: seconds a request waits while a new revision of the bundle starts, then answered by it; 503 + Retry-After if none is up by then (0: at once)")
    double redeployWait() default 5;
}
