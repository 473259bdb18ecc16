package org.vellum.osgi;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.ServiceReference;
import org.vellum.api.Caller;
import org.vellum.api.ForbiddenPathException;
import org.vellum.api.HealthCheck;
import org.vellum.api.ImageNotFoundException;
import org.vellum.api.ImageObject;
import org.vellum.api.ImageResolver;
import org.vellum.api.ResolvedImage;
import org.vellum.api.ResolverException;

/**
 * The ImageResolver services, asked in service order (highest service.ranking first, then oldest) by the rule of
 * {@link org.vellum.source.ResolverChain}, which the WAR shares: the first that finds the image answers; "not found"
 * passes the identifier on to the next one; "forbidden" is final, so no other resolver is asked about a path that tried
 * to leave its folder. An adapter bundle (DSpace, Fedora) registers its resolver with a ranking above 0 to be asked
 * before the file system.
 */
final class ResolverChain implements ImageResolver {
    private record Entry(ServiceReference<?> ref, ImageResolver resolver) {
    }

    private final List<Entry> entries = new CopyOnWriteArrayList<>();

    synchronized void add(ServiceReference<?> ref, ImageResolver resolver) {
        List<Entry> next = new ArrayList<>(entries);
        next.add(new Entry(ref, resolver));
        next.sort(Comparator.comparing(Entry::ref, Comparator.reverseOrder()));   // ServiceReference order: ranking, id
        entries.clear();
        entries.addAll(next);
    }

    synchronized void remove(ImageResolver resolver) {
        entries.removeIf(e -> e.resolver == resolver);
    }

    int size() {
        return entries.size();
    }

    /** The resolvers that report on their backend (an adapter's database), as they are now. */
    List<HealthCheck> healthChecks() {
        List<HealthCheck> checks = new ArrayList<>();
        for (Entry e : entries) {
            if (e.resolver instanceof HealthCheck c) checks.add(c);
        }
        return checks;
    }

    @Override
    public ResolvedImage resolve(String identifier)
            throws ImageNotFoundException, ForbiddenPathException, ResolverException {
        return resolve(identifier, null);
    }

    /** As {@link org.vellum.source.ResolverChain} asks, in service order. */
    @Override
    public ResolvedImage resolve(String identifier, Caller ctx)
            throws ImageNotFoundException, ForbiddenPathException, ResolverException {
        return org.vellum.source.ResolverChain.resolve(entries.stream().map(Entry::resolver).toList(), identifier, ctx);
    }

    /** Objects (books, items) the same way: the first resolver that has one answers. */
    @Override
    public ImageObject object(String identifier, Caller ctx)
            throws ImageNotFoundException, ForbiddenPathException, ResolverException {
        return org.vellum.source.ResolverChain.object(entries.stream().map(Entry::resolver).toList(), identifier, ctx);
    }

    /** Image sequences the same way: the first resolver that knows one answers. */
    @Override
    public org.vellum.api.ImageSequence sequence(String identifier, Caller ctx)
            throws ImageNotFoundException, ForbiddenPathException, ResolverException {
        return org.vellum.source.ResolverChain.sequence(entries.stream().map(Entry::resolver).toList(), identifier,
                ctx);
    }
}
