package org.vellum.pipeline;

/**
 * What conditional requests and caching need of an answer's subject, an image or a document made from several.
 *
 * @param lastModified milliseconds
 * @param etag         strong, quoted
 * @param personal     exists only because of the caller's credentials: {@code private}, no {@code *} CORS
 */
public record Validated(long lastModified, String etag, boolean personal) {
}
