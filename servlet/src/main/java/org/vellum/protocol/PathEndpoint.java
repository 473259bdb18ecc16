package org.vellum.protocol;

import org.vellum.api.Caller;
import org.vellum.pipeline.Answer;

/**
 * A protocol addressed by a path (Zoomify, Deep Zoom): at its own path prefix, and as an IIP command of the same
 * name ({@code Zoomify=}, {@code DeepZoom=}) the way iipsrv serves them.
 */
public interface PathEndpoint {
    /** The IIP command that reaches it, lower case. */
    String command();

    /** @param path the request path after the prefix (or the command's argument), URL-decoded */
    Answer answer(String path, Caller caller);
}
