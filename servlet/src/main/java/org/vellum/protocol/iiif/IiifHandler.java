package org.vellum.protocol.iiif;

import java.nio.charset.StandardCharsets;

import org.vellum.config.Settings;
import org.vellum.http.Caching;
import org.vellum.http.HttpDates;
import org.vellum.http.RequestContext;
import org.vellum.http.Response;
import org.vellum.image.ImageEngine;
import org.vellum.image.ImageException;
import org.vellum.image.ImageInfo;
import org.vellum.image.ImageRequest;
import org.vellum.image.PixelOps;
import org.vellum.image.Rect;
import org.vellum.protocol.iip.IipResponses;
import org.vellum.source.ResolvedImage;

/**
 * IIIF Image API 2.1 and 3.0 at level 2, translated onto the engine: the path becomes an {@link ImageRequest} (region
 * in full-resolution pixels, output size, rotation, mirror, quality, format) and the engine does the rest, decoding
 * only the level and area needed; a request for a tile of info.json is one area at one stored level.
 */
public final class IiifHandler {
    private final ImageEngine engine;
    private final Settings settings;

    public IiifHandler(ImageEngine engine) {
        this.engine = engine;
        this.settings = engine.settings();
    }

    /**
     * @param rawPath     the path after {@code <prefix>/<version>/}, still URL-encoded
     * @param serviceBase the public URI of the version's endpoint, {@code scheme://host/prefix/<version>}
     */
    public Response handle(IiifVersion version, String rawPath, String serviceBase, RequestContext ctx) {
        try {
            IiifRequest request = IiifRequest.parse(rawPath, version);
            ResolvedImage image = engine.resolve(request.identifier(), ctx);
            String id = serviceBase + "/" + IiifRequest.encode(request.identifier());
            if (request instanceof IiifRequest.Base) {
                Response r = new Response(303, null).header("Location", id + "/info.json");
                return common(r);
            }
            ImageInfo info = info(image);
            if (request instanceof IiifRequest.Info) return info(version, id, image, info, ctx);
            return image(version, (IiifRequest.Image) request, id, image, info, ctx);
        } catch (IiifException e) {
            return error(e.status(), e.getMessage());
        } catch (ImageException e) {
            return error(e.status(), e.getMessage());
        }
    }

    /**
     * The limits every size is held to: MAX_CVT as maxWidth and maxHeight, IIIF_MAX_AREA as maxArea, the latter never
     * above what the engine renders at all (so info.json promises nothing the engine would refuse with 413).
     */
    public Size.Limits limits() {
        long engineMax = Math.min(Math.max(settings.maxDecodePixels(), (long) settings.maxCvt() * settings.maxCvt()),
                Integer.MAX_VALUE / 2);
        return new Size.Limits(settings.maxCvt(), settings.maxCvt(), Math.min(settings.iiifMaxArea(), engineMax),
                settings.allowUpscaling());
    }

    private ImageInfo info(ResolvedImage image) throws ImageException {
        return engine.info(image);
    }

    private Response info(IiifVersion version, String id, ResolvedImage image, ImageInfo info, RequestContext ctx) {
        String accept = ctx.header("Accept");
        boolean ld = accept != null && accept.contains("application/ld+json");
        String type = ld ? "application/ld+json;profile=\"" + version.context() + "\"" : "application/json";
        String etag = Caching.etag(image, "iiif" + version.number() + ":info:" + id + "|" + type + "|"
                + settings.iiifMaxArea() + "|" + settings.allowUpscaling(), settings);
        if (Caching.notModified(ctx, image, etag)) return notModified(image, etag).header("Vary", "Accept");
        var doc = version == IiifVersion.V3 ? InfoJson.v3(id, info, limits()) : InfoJson.v2(id, info, limits());
        Response r = ok(new Response(200, Json.write(doc).getBytes(StandardCharsets.UTF_8)), image, etag);
        r.header("Content-Type", type);
        if (!ld) {
            // plain JSON points at its JSON-LD context, as JSON-LD 1.0 section 6.8 has it
            r.header("Link", "<" + version.context() + ">;rel=\"http://www.w3.org/ns/json-ld#context\";"
                    + "type=\"application/ld+json\"");
        }
        r.header("Vary", "Accept");
        return r;
    }

    private Response image(IiifVersion version, IiifRequest.Image req, String id, ResolvedImage image, ImageInfo info,
                           RequestContext ctx) throws IiifException, ImageException {
        Rect region = req.region().resolve(info.width(), info.height());
        int[] size = req.size().resolve(region, limits());
        String canonical = id + "/" + canonicalRegion(region, info) + "/"
                + canonicalSize(version, region, size) + "/" + req.rotation().canonical() + "/"
                + ("color".equals(req.quality()) && info.colourBands() < 3 ? "default" : req.quality())
                + "." + req.format().extension();
        String etag = Caching.etag(image, "iiif" + version.number() + ":" + canonical.substring(id.length()), settings);
        if (Caching.notModified(ctx, image, etag)) return notModified(image, etag);
        int quality = settings.jpegQuality();
        ImageRequest request = new ImageRequest(image, region, size[0], size[1], req.rotation().degrees(),
                req.rotation().mirror(), req.colour(), PixelOps.NONE, req.format(), 0, quality);
        byte[] bytes = engine.produce(request);
        Response r = ok(new Response(200, bytes), image, etag);
        r.header("Content-Type", req.format().mediaType());
        r.header("Link", "<" + version.level2Profile() + ">;rel=\"profile\"");
        r.header("Link", "<" + canonical + ">;rel=\"canonical\"");
        return r;
    }

    /** full when the region is the whole image, else x,y,w,h in pixels (both versions). */
    private static String canonicalRegion(Rect r, ImageInfo info) {
        if (r.x() == 0 && r.y() == 0 && r.width() == info.width() && r.height() == info.height()) return "full";
        return r.x() + "," + r.y() + "," + r.width() + "," + r.height();
    }

    /** v3: max when unscaled, else w,h; v2.1: full when unscaled, w, when the aspect is kept, else w,h. */
    private String canonicalSize(IiifVersion version, Rect region, int[] size) {
        boolean unscaled = size[0] == region.width() && size[1] == region.height();
        if (version == IiifVersion.V3) return unscaled ? "max" : size[0] + "," + size[1];
        if (unscaled) return "full";
        long keptH = Size.levelSide(region.x(), region.width(), region.y(), region.height(), size[0]);
        return keptH == size[1] ? size[0] + "," : size[0] + "," + size[1];
    }

    private Response ok(Response r, ResolvedImage image, String etag) {
        common(r);
        r.header("Last-Modified", HttpDates.format(image.lastModified()));
        // an image served on the caller's credentials must stay in the caller's own cache
        r.header("Cache-Control", image.personal() ? "private, " + settings.cacheControl() : settings.cacheControl());
        r.header("ETag", etag);
        return r;
    }

    private Response notModified(ResolvedImage image, String etag) {
        return ok(new Response(304, null), image, etag);
    }

    private Response error(int status, String message) {
        Response r = Response.text(status, "text/plain; charset=utf-8", "IIIF: " + message + "\n");
        r.header("Cache-Control", "no-cache");
        if (status == 401) r.header("WWW-Authenticate", "Bearer");   // a resolver wants the caller's credentials
        return common(r);
    }

    private Response common(Response r) {
        r.header("Server", IipResponses.SERVER);
        if (!settings.cors().isEmpty()) r.header("Access-Control-Allow-Origin", settings.cors());
        return r;
    }
}
