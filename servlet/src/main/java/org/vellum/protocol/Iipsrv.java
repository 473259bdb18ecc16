package org.vellum.protocol;

import org.vellum.image.ImageException;
import org.vellum.image.OutputFormat;
import org.vellum.pipeline.Representation;

/** The bodies iipsrv 1.1 gives IIP, Zoomify and Deep Zoom alike, with its X-Powered-By where 1.1 sends it. */
public final class Iipsrv {
    public static final String POWERED_BY = "X-Powered-By";

    private Iipsrv() {
    }

    /** An image (tile, export): with X-Powered-By. */
    public static Representation image(byte[] bytes, OutputFormat format) {
        return Representation.ok(format.mediaType(), bytes).with(POWERED_BY, "IIPImage");
    }

    /** XML and JSON bodies; 1.1 sends these without X-Powered-By. */
    public static Representation text(String contentType, String body) {
        return Representation.text(200, contentType, body);
    }

    /** A file or argument error: the status and a plain message (1.1 names no type; browsers then sniff). */
    public static Representation failure(ImageException e) {
        return Representation.text(e.status(), "text/plain; charset=utf-8", e.getMessage());
    }
}
