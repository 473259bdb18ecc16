package org.vellum.http;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

import org.vellum.config.Settings;
import org.vellum.source.ResolvedImage;

/** Validators for conditional requests: Last-Modified from the file, a strong ETag per file version and request. */
public final class Caching {
    private Caching() {
    }

    /** Strong: changes when the file changes, and differs between requests that give different bytes. */
    public static String etag(ResolvedImage image, String requestKey, Settings settings) {
        CRC32 crc = new CRC32();
        crc.update((requestKey + "|" + settings.jpegQuality() + "|" + settings.maxLayers() + "|" + settings.maxCvt()
                + "|" + settings.interpolation()).getBytes(StandardCharsets.UTF_8));
        return "\"" + image.fingerprint() + "-" + Long.toHexString(crc.getValue()) + "\"";
    }

    /**
     * True when the client's copy is current: If-None-Match naming the ETag, or (without If-None-Match)
     * If-Modified-Since at or after the file's mtime, to the second.
     */
    public static boolean notModified(RequestContext ctx, ResolvedImage image, String etag) {
        String inm = ctx.header("If-None-Match");
        if (inm != null) {
            for (String candidate : inm.split(",")) {
                String c = candidate.trim();
                if (c.equals("*") || c.equals(etag) || c.equals("W/" + etag)) return true;
            }
            return false;
        }
        long ims = HttpDates.parse(ctx.header("If-Modified-Since"));
        return ims >= 0 && image.lastModified() / 1000 <= ims / 1000;
    }
}
