package org.vellum.source;

import org.vellum.http.RequestContext;

/** Maps an identifier from a request onto an image file. Repository adapters provide their own. */
public interface ImageResolver {
    ResolvedImage resolve(String identifier) throws ImageNotFoundException, ForbiddenPathException, ResolverException;

    /**
     * The same, for a resolver whose answer depends on who asks (a repository that checks the caller's credentials).
     * Protocols that know the request call this one; {@code ctx} may be null.
     */
    default ResolvedImage resolve(String identifier, RequestContext ctx)
            throws ImageNotFoundException, ForbiddenPathException, ResolverException {
        return resolve(identifier);
    }
}
