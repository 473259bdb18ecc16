package org.vellum.osgi;

import java.lang.reflect.Array;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.vellum.config.Settings;

/**
 * Configuration properties to {@link Settings}: each property is handed to {@link Settings#fromEnvironment} under
 * its iipsrv name, so defaults, clamping and derived values (IIIF_CORS from CORS, IIIF_MAX_AREA from MAX_CVT) are
 * exactly the environment's. Nothing here reads System.getenv.
 */
final class ConfigurationSettings {
    /** Property name → iipsrv environment variable. */
    static final Map<String, String> NAMES = new LinkedHashMap<>();

    static {
        NAMES.put("filesystemPrefix", "FILESYSTEM_PREFIX");
        NAMES.put("filesystemSuffix", "FILESYSTEM_SUFFIX");
        NAMES.put("filenamePattern", "FILENAME_PATTERN");
        NAMES.put("jpegQuality", "JPEG_QUALITY");
        NAMES.put("maxCvt", "MAX_CVT");
        NAMES.put("maxLayers", "MAX_LAYERS");
        NAMES.put("cacheControl", "CACHE_CONTROL");
        NAMES.put("cors", "CORS");
        NAMES.put("baseUrl", "BASE_URL");
        NAMES.put("allowUpscaling", "ALLOW_UPSCALING");
        NAMES.put("interpolation", "INTERPOLATION");
        NAMES.put("uriMap", "URI_MAP");
        NAMES.put("verbosity", "VERBOSITY");
        NAMES.put("poolMaxTotal", "POOL_MAX_TOTAL");
        NAMES.put("poolMaxPerFile", "POOL_MAX_PER_FILE");
        NAMES.put("poolIdleSeconds", "POOL_IDLE_SECONDS");
        NAMES.put("maxDecodePixels", "MAX_DECODE_PIXELS");
        NAMES.put("iiifPrefix", "IIIF_PREFIX");
        NAMES.put("iiifCors", "IIIF_CORS");
        NAMES.put("iiifMaxArea", "IIIF_MAX_AREA");
        NAMES.put("maxImageCacheSize", "MAX_IMAGE_CACHE_SIZE");
        NAMES.put("memcachedServers", "MEMCACHED_SERVERS");
        NAMES.put("levelCacheSize", "LEVEL_CACHE_SIZE");
        NAMES.put("memoryBudget", "MEMORY_BUDGET");
        NAMES.put("memcachedTimeout", "MEMCACHED_TIMEOUT");
        NAMES.put("diskCacheDir", "DISK_CACHE_DIR");
        NAMES.put("diskCacheSize", "DISK_CACHE_SIZE");
        NAMES.put("webpQuality", "WEBP_QUALITY");
        NAMES.put("avifQuality", "AVIF_QUALITY");
        NAMES.put("avifSpeed", "AVIF_SPEED");
    }

    /** Where 0 means "the machine-dependent default", as the OCD says. */
    private static final java.util.Set<String> ZERO_IS_AUTOMATIC =
            java.util.Set.of("poolMaxTotal", "maxDecodePixels", "iiifMaxArea");

    private ConfigurationSettings() {
    }

    static Settings of(Map<String, ?> properties) {
        Map<String, String> env = new HashMap<>();
        NAMES.forEach((property, variable) -> {
            String v = text(properties.get(property));
            if (v == null) return;
            if (ZERO_IS_AUTOMATIC.contains(property) && v.trim().equals("0")) return;
            if (property.equals("allowUpscaling")) v = v.trim().equalsIgnoreCase("false") || v.trim().equals("0") ? "0" : "1";
            env.put(variable, v);
        });
        return Settings.fromEnvironment(env);
    }

    static String text(Object v) {
        if (v == null) return null;
        if (v.getClass().isArray()) return Array.getLength(v) == 0 ? null : text(Array.get(v, 0));
        return v.toString();
    }
}
