package org.vellum.pipeline;

import java.util.List;

/**
 * What a protocol asks of the pipeline, whatever its syntax.
 *
 * @param identifier the image, as the resolver reads identifiers
 * @param variant    what besides the file decides the answer's bytes (the protocol's request path or query); part
 *                   of the ETag
 * @param vary       request headers the answer depends on besides the URL (IIIF's Accept)
 */
public record Query(String identifier, String variant, List<String> vary) {

    public Query {
        vary = List.copyOf(vary);
    }

    public static Query of(String identifier, String variant) {
        return new Query(identifier, variant, List.of());
    }
}
