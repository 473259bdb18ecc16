package org.vellum.source;

/** Maps an identifier from a request onto an image file. Repository adapters provide their own. */
public interface ImageResolver {
    ResolvedImage resolve(String identifier) throws ImageNotFoundException, ForbiddenPathException;
}
