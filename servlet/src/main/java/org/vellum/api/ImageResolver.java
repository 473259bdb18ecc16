package org.vellum.api;

/** Maps an identifier from a request onto an image file. Repository adapters provide their own. */
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
}
