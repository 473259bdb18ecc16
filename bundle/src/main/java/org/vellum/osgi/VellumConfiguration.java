package org.vellum.osgi;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Every setting of {@link org.vellum.config.Settings}, as configuration PID {@value #PID}. Each property's
 * description names the iipsrv environment variable it stands for; values are checked and clamped exactly as the
 * environment's are. A property left out keeps the Settings default (0 means "automatic" where the default depends
 * on the machine).
 */
@ObjectClassDefinition(name = "Vellum",
        description = "JPEG 2000 image server: every setting of the settings object, with its iipsrv variable")
public @interface VellumConfiguration {
    String PID = "org.vellum";

    @AttributeDefinition(description = "FILESYSTEM_PREFIX: the image folder; requests never leave it")
    String filesystemPrefix() default ".";

    @AttributeDefinition(description = "FILESYSTEM_SUFFIX: appended to every image path", required = false)
    String filesystemSuffix() default "";

    @AttributeDefinition(description = "JPEG_QUALITY: JPEG quality 1-100", min = "1", max = "100")
    int jpegQuality() default 75;

    @AttributeDefinition(description = "MAX_CVT: largest output side; -1 unlimited; IIIF maxWidth/maxHeight")
    int maxCvt() default 5000;

    @AttributeDefinition(description = "MAX_LAYERS: quality layers decoded: -1 all, 0 half (rounded up), n at most n")
    int maxLayers() default -1;

    @AttributeDefinition(description = "CACHE_CONTROL: Cache-Control on successful responses")
    String cacheControl() default "max-age=86400";

    @AttributeDefinition(description = "CORS: Access-Control-Allow-Origin on every response; empty for none",
            required = false)
    String cors() default "";

    @AttributeDefinition(description = "BASE_URL: public root URL for IIIF ids and redirects; empty: from the request",
            required = false)
    String baseUrl() default "";

    @AttributeDefinition(description = "ALLOW_UPSCALING: false caps CVT at the region's native size")
    boolean allowUpscaling() default true;

    @AttributeDefinition(description = "INTERPOLATION: 0 nearest neighbour, 1 smooth", min = "0", max = "1")
    int interpolation() default 1;

    @AttributeDefinition(description = "URI_MAP: prefix=>protocol (iip, zoomify or deepzoom)", required = false)
    String uriMap() default "";

    @AttributeDefinition(description = "VERBOSITY: 0 warnings only ... 5+ everything (the log level itself is the "
            + "OSGi runtime's)")
    int verbosity() default 1;

    @AttributeDefinition(description = "POOL_MAX_TOTAL: decoders open at once (and decoder threads); "
            + "0: max(24, 8 x cores)")
    int poolMaxTotal() default 0;

    @AttributeDefinition(description = "POOL_MAX_PER_FILE: decoders of one file in use at once (a single-tile file keeps this many open per level)")
    int poolMaxPerFile() default 4;

    @AttributeDefinition(description = "POOL_IDLE_SECONDS: an idle decoder is closed after this")
    int poolIdleSeconds() default 300;

    @AttributeDefinition(description = "MAX_DECODE_PIXELS: largest area decoded in one step; 0: heap/64 bytes, 1-16 M")
    long maxDecodePixels() default 0;

    @AttributeDefinition(description = "IIIF_PREFIX: path of the IIIF endpoints")
    String iiifPrefix() default "/iiif";

    @AttributeDefinition(description = "IIIF_CORS: Access-Control-Allow-Origin on IIIF responses; "
            + "left out: CORS when set, else *", required = false)
    String iiifCors() default "*";

    @AttributeDefinition(description = "IIIF_MAX_AREA: IIIF maxArea in pixels; 0: MAX_CVT squared (at most 2^30)")
    long iiifMaxArea() default 0;

    @AttributeDefinition(description = "MAX_IMAGE_CACHE_SIZE: in-memory cache of encoded images in MB "
            + "(1 MB = 1024000 bytes, as iipsrv); 0 turns it off")
    double maxImageCacheSize() default 10;

    @AttributeDefinition(description = "MEMCACHED_SERVERS: memcached shared by several nodes, host[:port] comma "
            + "separated (same order on every node); empty for none", required = false)
    String memcachedServers() default "";

    @AttributeDefinition(description = "MEMCACHED_TIMEOUT: seconds an image stays in memcached")
    int memcachedTimeout() default 86400;

    @AttributeDefinition(description = "LEVEL_CACHE_SIZE: memory outside the heap in MB (of 1024000 bytes) for whole "
            + "decoded resolution levels being viewed (up to 1 megapixel each, 4 for single-tile files), within "
            + "MEMORY_BUDGET; -1: half the heap's size, 4-128 MB; 0 off")
    double levelCacheSize() default -1;

    @AttributeDefinition(description = "MEMORY_BUDGET: memory in MB (of 1024000 bytes) that open decoders (native, "
            + "estimated), whole decoded levels and cached images may hold together; the least valuable go first")
    double memoryBudget() default 320;

    @AttributeDefinition(description = "DISK_CACHE_DIR: a folder for encoded images that survives restarts and may be "
            + "shared by several nodes (local disk or NFS); only images anyone may see go there; empty for none",
            required = false)
    String diskCacheDir() default "";

    @AttributeDefinition(description = "DISK_CACHE_SIZE: the most DISK_CACHE_DIR may hold, in MB (of 1024000 bytes); "
            + "least recently used out first; 0 off")
    double diskCacheSize() default 1000;

    @AttributeDefinition(description = "WEBP_QUALITY: quality 1-100 of .webp output (libwebp, when installed)")
    int webpQuality() default 75;

    @AttributeDefinition(description = "AVIF_QUALITY: quality 1-100 of .avif output (libavif, when installed)")
    int avifQuality() default 60;

    @AttributeDefinition(description = "AVIF_SPEED: libavif's encoder speed 0-10, 10 fastest")
    int avifSpeed() default 10;

    @AttributeDefinition(description = "The image the viewer page at / opens (not an iipsrv setting); "
            + "empty: the first JPEG 2000 file of the image folder", required = false)
    String viewerImage() default "";
}
