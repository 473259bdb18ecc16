package org.vellum.pipeline;

import org.vellum.api.ResolvedImage;
import org.vellum.image.ImageInfo;

/**
 * The image a request names, resolved for its caller, with its header facts and the ETag of this request's answer.
 */
public record Subject(ResolvedImage image, ImageInfo info, String etag) {

    public Validated validated() {
        return new Validated(image.lastModified(), etag, image.personal());
    }
}
