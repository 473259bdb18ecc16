package org.vellum.protocol;

import org.vellum.http.Caching;
import org.vellum.http.RequestContext;
import org.vellum.image.ImageEngine;
import org.vellum.image.ImageException;
import org.vellum.image.ImageInfo;
import org.vellum.source.ResolvedImage;

/**
 * The image a request names, its facts and the ETag of the answer: what every protocol looks up first.
 *
 * @param cacheKey what, besides the file, decides the answer's bytes (the request path or query)
 */
public record Target(ResolvedImage image, ImageInfo info, String etag) {

    /** Resolved on behalf of the request's caller: a resolver may check the credentials its headers carry. */
    public static Target of(ImageEngine engine, String identifier, String cacheKey, RequestContext ctx)
            throws ImageException {
        ResolvedImage image = engine.resolve(identifier, ctx);
        return new Target(image, engine.info(image), Caching.etag(image, cacheKey, engine.settings()));
    }

    /** The client's copy is current (If-None-Match / If-Modified-Since). */
    public boolean notModified(RequestContext ctx) {
        return Caching.notModified(ctx, image, etag);
    }
}
