package org.vellum.source;

import java.util.List;

import org.vellum.api.Caller;
import org.vellum.api.ForbiddenPathException;
import org.vellum.api.ImageNotFoundException;
import org.vellum.api.ImageObject;
import org.vellum.api.ImageResolver;
import org.vellum.api.ImageSequence;
import org.vellum.api.ResolvedImage;
import org.vellum.api.ResolverException;

/**
 * Resolvers asked in order: the first that finds the image answers; "not found" passes the identifier on to the next
 * one, and so does 400 (an identifier that is not one of a resolver's own, e.g. a path for the DSpace resolver);
 * "forbidden" and any other refusal are final, so no other resolver is asked about a path that tried to leave its
 * folder. When nobody has the image, the first "not found" is the answer, else the first 400. The OSGi runtime asks
 * its resolver services this way, the WAR and the embedded launcher the adapters' resolvers and then the file system.
 */
public final class ResolverChain implements ImageResolver {
    private final List<ImageResolver> resolvers;

    public ResolverChain(List<? extends ImageResolver> resolvers) {
        this.resolvers = List.copyOf(resolvers);
    }

    public List<ImageResolver> resolvers() {
        return resolvers;
    }

    @Override
    public ResolvedImage resolve(String identifier)
            throws ImageNotFoundException, ForbiddenPathException, ResolverException {
        return resolve(identifier, null);
    }

    @Override
    public ResolvedImage resolve(String identifier, Caller caller)
            throws ImageNotFoundException, ForbiddenPathException, ResolverException {
        return resolve(resolvers, identifier, caller);
    }

    /** Objects (books, items) by the same rule: the first resolver that has one answers. */
    @Override
    public ImageObject object(String identifier, Caller caller)
            throws ImageNotFoundException, ForbiddenPathException, ResolverException {
        return object(resolvers, identifier, caller);
    }

    /** Image sequences (iipsrv's FILENAME_PATTERN) likewise: the first resolver that knows one answers. */
    @Override
    public ImageSequence sequence(String identifier, Caller caller)
            throws ImageNotFoundException, ForbiddenPathException, ResolverException {
        return sequence(resolvers, identifier, caller);
    }

    /**
     * The first sequence a resolver knows under {@code identifier}, or null; a resolver's "not found" or 400 passes
     * it on, a refusal is final, as for images.
     */
    public static ImageSequence sequence(Iterable<? extends ImageResolver> resolvers, String identifier, Caller caller)
            throws ImageNotFoundException, ForbiddenPathException, ResolverException {
        for (ImageResolver r : resolvers) {
            try {
                ImageSequence found = r.sequence(identifier, caller);
                if (found != null) return found;
            } catch (ImageNotFoundException nf) {
                // not this resolver's
            } catch (ResolverException re) {
                if (re.status() != 400) throw re;
            }
        }
        return null;
    }

    /** The rule above, over resolvers in the order to ask them. */
    public static ResolvedImage resolve(Iterable<? extends ImageResolver> resolvers, String identifier, Caller caller)
            throws ImageNotFoundException, ForbiddenPathException, ResolverException {
        return first(resolvers, identifier, r -> r.resolve(identifier, caller));
    }

    /** The rule above for objects, over resolvers in the order to ask them. */
    public static ImageObject object(Iterable<? extends ImageResolver> resolvers, String identifier, Caller caller)
            throws ImageNotFoundException, ForbiddenPathException, ResolverException {
        return first(resolvers, identifier, r -> r.object(identifier, caller));
    }

    /** One question to one resolver. */
    private interface Question<T> {
        T ask(ImageResolver resolver) throws ImageNotFoundException, ForbiddenPathException, ResolverException;
    }

    private static <T> T first(Iterable<? extends ImageResolver> resolvers, String identifier, Question<T> question)
            throws ImageNotFoundException, ForbiddenPathException, ResolverException {
        ImageNotFoundException notFound = null;
        ResolverException malformed = null;
        for (ImageResolver r : resolvers) {
            try {
                return question.ask(r);
            } catch (ImageNotFoundException nf) {
                if (notFound == null) notFound = nf;
            } catch (ResolverException re) {
                if (re.status() != 400) throw re;
                if (malformed == null) malformed = re;
            }
        }
        if (notFound != null) throw notFound;
        if (malformed != null) throw malformed;
        throw new ImageNotFoundException(identifier + ": no image resolver is available");
    }
}
