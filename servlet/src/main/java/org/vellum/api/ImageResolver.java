package org.vellum.api;

/**
 * Maps an identifier from a request onto an image file, and (optionally) onto an object of several images. Repository
 * adapters provide their own.
 */
public interface ImageResolver {
    ResolvedImage resolve(String identifier) throws ImageNotFoundException, ForbiddenPathException, ResolverException;

    /**
     * The same, for a resolver whose answer depends on who asks (a repository that checks the caller's credentials).
     * Every protocol calls this one; {@code caller} may be null for work the server does on its own.
     */
    default ResolvedImage resolve(String identifier, Caller caller)
            throws ImageNotFoundException, ForbiddenPathException, ResolverException {
        return resolve(identifier);
    }

    /**
     * The object (several images: a folder of pages, a repository item) that {@code identifier} names, with only the
     * pages {@code caller} may see, in reading order. A resolver that knows no objects keeps this default.
     *
     * @throws ImageNotFoundException nothing by that name, or nothing in it the caller may see
     * @since 1.1
     */
    default ImageObject object(String identifier, Caller caller)
            throws ImageNotFoundException, ForbiddenPathException, ResolverException {
        throw new ImageNotFoundException(identifier + ": this resolver serves single images only");
    }

    /**
     * The image sequence {@code identifier} names (iipsrv's FILENAME_PATTERN), or null when it names a single image or
     * nothing. A resolver that knows no sequences keeps this default.
     *
     * @since 1.1
     */
    default ImageSequence sequence(String identifier, Caller caller)
            throws ImageNotFoundException, ForbiddenPathException, ResolverException {
        return null;
    }
}
