package org.vellum.pipeline;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

import org.vellum.api.Caller;
import org.vellum.api.ResolvedImage;
import org.vellum.config.Settings;

/** Validators for conditional requests: Last-Modified from the file, a strong ETag per file version and request. */
final class Validators {
    private Validators() {
    }

    /** Strong: changes when the file changes, and differs between requests that give different bytes. */
    static String etag(ResolvedImage image, String variant, Settings settings) {
        CRC32 crc = new CRC32();
        crc.update((variant + "|" + settings.jpegQuality() + "|" + settings.maxLayers() + "|" + settings.maxCvt()
                + "|" + settings.interpolation() + "|" + settings.iccProfiles() + "|" + settings.webpQuality() + "|"
                + settings.avifQuality() + "/" + settings.avifSpeed()).getBytes(StandardCharsets.UTF_8));
        return "\"" + image.fingerprint() + "-" + Long.toHexString(crc.getValue()) + "\"";
    }

    /** Strong, for a document made from an object of {@code version} (which changes when the object does). */
    static String etag(String version, String variant) {
        CRC32 crc = new CRC32();
        crc.update(variant.getBytes(StandardCharsets.UTF_8));
        return "\"" + version + "-" + Long.toHexString(crc.getValue()) + "\"";
    }

    /**
     * True when the client's copy is current: If-None-Match naming the ETag, or (without If-None-Match)
     * If-Modified-Since at or after the file's mtime, to the second.
     */
    static boolean notModified(Caller caller, ResolvedImage image, String etag) {
        return notModified(caller, image.lastModified(), etag);
    }

    static boolean notModified(Caller caller, long lastModified, String etag) {
        if (caller == null) return false;
        String inm = caller.header("If-None-Match");
        if (inm != null) {
            for (String candidate : inm.split(",")) {
                String c = candidate.trim();
                if (c.equals("*") || c.equals(etag) || c.equals("W/" + etag)) return true;
            }
            return false;
        }
        long ims = HttpDates.parse(caller.header("If-Modified-Since"));
        return ims >= 0 && lastModified / 1000 <= ims / 1000;
    }
}
