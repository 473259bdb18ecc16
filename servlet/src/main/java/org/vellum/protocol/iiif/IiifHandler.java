package org.vellum.protocol.iiif;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.vellum.api.Caller;
import org.vellum.config.Settings;
import org.vellum.image.Dimension;
import org.vellum.image.ImageException;
import org.vellum.image.ImageInfo;
import org.vellum.image.Rect;
import org.vellum.pipeline.Answer;
import org.vellum.pipeline.ImageService;
import org.vellum.pipeline.Query;
import org.vellum.pipeline.Representation;
import org.vellum.pipeline.Subject;

/**
 * IIIF Image API 2.1 and 3.0 at level 2: the path is parsed into an {@link IiifRequest}, and the pipeline does the
 * rest; this class renders info.json and images with their Link headers, and words failures as IIIF does.
 */
public final class IiifHandler {
    private final ImageService service;
    private final Settings settings;

    public IiifHandler(ImageService service) {
        this.service = service;
        this.settings = service.settings();
    }

    /**
     * @param rawPath     the path after {@code <prefix>/<version>/}, still URL-encoded
     * @param serviceBase the public URI of the version's endpoint, {@code scheme://host/prefix/<version>}
     */
    public Answer handle(IiifVersion version, String rawPath, String serviceBase, Caller caller) {
        IiifRequest request;
        try {
            request = IiifRequest.parse(rawPath, version);
        } catch (IiifException e) {
            return service.policy().render(failure(e.status(), e.getMessage()), caller);
        }
        String id = serviceBase + "/" + IiifRequest.encode(request.identifier());
        String variant = "iiif" + version.number() + ":" + rawPath;
        if (request instanceof IiifRequest.Base) {
            return service.serve(Query.of(request.identifier(), variant), caller,
                    s -> new Representation(303, null, null, List.of(), false).with("Location", id + "/info.json"),
                    IiifHandler::failure);
        }
        if (request instanceof IiifRequest.Info) {
            String accept = caller == null ? null : caller.header("Accept");
            boolean ld = accept != null && accept.contains("application/ld+json");
            String type = ld ? "application/ld+json;profile=\"" + version.context() + "\"" : "application/json";
            Query query = new Query(request.identifier(), variant + "|" + id + "|" + type + "|"
                    + settings.iiifMaxArea() + "|" + settings.allowUpscaling(), List.of("Accept"));
            return service.serve(query, caller, s -> info(version, id, s, type, ld), IiifHandler::failure);
        }
        IiifRequest.Image image = (IiifRequest.Image) request;
        return service.serve(Query.of(request.identifier(), variant), caller, s -> image(version, image, id, s),
                IiifHandler::failure);
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

    private Representation info(IiifVersion version, String id, Subject s, String type, boolean ld) {
        var doc = version == IiifVersion.V3 ? InfoJson.v3(id, s.info(), limits()) : InfoJson.v2(id, s.info(), limits());
        Representation r = Representation.ok(type, Json.write(doc).getBytes(StandardCharsets.UTF_8));
        // plain JSON points at its JSON-LD context, as JSON-LD 1.0 section 6.8 has it
        return ld ? r : r.with("Link", "<" + version.context() + ">;rel=\"http://www.w3.org/ns/json-ld#context\";"
                + "type=\"application/ld+json\"");
    }

    private Representation image(IiifVersion version, IiifRequest.Image req, String id, Subject s)
            throws ImageException {
        ImageInfo info = s.info();
        Rect region;
        Dimension size;
        try {
            region = req.region().resolve(info.width(), info.height());
            size = req.size().resolve(region, info, limits());
        } catch (IiifException e) {
            throw new ImageException(e.status(), e.getMessage());
        }
        String canonical = id + "/" + canonicalRegion(region, info) + "/"
                + canonicalSize(version, info, region, size) + "/" + req.rotation().canonical() + "/"
                + ("color".equals(req.quality()) && info.colourBands() < 3 ? "default" : req.quality())
                + "." + req.format().extension();
        byte[] bytes = service.produce(service.request(s, region).size(size.width(), size.height())
                .rotation(req.rotation().degrees(), req.rotation().mirror()).colour(req.colour())
                .format(req.format()).build());
        return Representation.ok(req.format().mediaType(), bytes)
                .with("Link", "<" + version.level2Profile() + ">;rel=\"profile\"")
                .with("Link", "<" + canonical + ">;rel=\"canonical\"");
    }

    /** full when the region is the whole image, else x,y,w,h in pixels (both versions). */
    private static String canonicalRegion(Rect r, ImageInfo info) {
        if (r.x() == 0 && r.y() == 0 && r.width() == info.width() && r.height() == info.height()) return "full";
        return r.x() + "," + r.y() + "," + r.width() + "," + r.height();
    }

    /** v3: max when unscaled, else w,h; v2.1: full when unscaled, w, when the aspect is kept, else w,h. */
    private static String canonicalSize(IiifVersion version, ImageInfo info, Rect region, Dimension size) {
        boolean unscaled = size.width() == region.width() && size.height() == region.height();
        if (version == IiifVersion.V3) return unscaled ? "max" : size.width() + "," + size.height();
        if (unscaled) return "full";
        long keptH = Size.levelSide(info, region, true, size.width());
        return keptH == size.height() ? size.width() + "," : size.width() + "," + size.height();
    }

    private static Representation failure(ImageException e) {
        return failure(e.status(), e.getMessage());
    }

    /** IIIF's failures: the status the Image API prescribes and a one-line reason, never cached. */
    static Representation failure(int status, String message) {
        return Representation.text(status, "text/plain; charset=utf-8", "IIIF: " + message + "\n").withNoCache();
    }
}
