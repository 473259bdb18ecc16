package org.vellum.server;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vellum.api.ImageResolver;
import org.vellum.api.ResolverProvider;
import org.vellum.api.settings.SettingSource;
import org.vellum.source.ResolverChain;

/**
 * The repository adapters on the class path ({@link ResolverProvider}s: WEB-INF/lib for the WAR, the launcher's
 * class path) that the settings ask for, their resolvers chained before the file system's. Closing it closes them, in
 * the reverse order of their creation.
 */
final class Adapters implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Adapters.class);

    private record Created(String name, ImageResolver resolver) {
    }

    private final List<Created> created;

    private Adapters(List<Created> created) {
        this.created = List.copyOf(created);
    }

    /**
     * Asks each provider {@code loader} finds, by name. A provider that fails stops it all: those already created are
     * closed and the failure is thrown, naming the adapter.
     */
    static Adapters load(SettingSource settings, ClassLoader loader) {
        List<ResolverProvider> providers = new ArrayList<>();
        ServiceLoader.load(ResolverProvider.class, loader).forEach(providers::add);
        providers.sort(Comparator.comparing(ResolverProvider::name));
        List<Created> created = new ArrayList<>();
        for (ResolverProvider p : providers) {
            Optional<ImageResolver> resolver;
            try {
                resolver = p.create(settings);
            } catch (Exception e) {
                new Adapters(created).close();
                if (e instanceof IllegalArgumentException) {
                    throw new IllegalArgumentException("The " + p.name() + " adapter: " + e.getMessage(), e);
                }
                throw new IllegalStateException("The " + p.name() + " adapter cannot start: " + e, e);
            }
            if (resolver.isPresent()) {
                created.add(new Created(p.name(), resolver.get()));
                LOG.info("The {} adapter answers before the image folder", p.name());
            } else {
                LOG.info("The {} adapter is on the class path but not configured: not asked", p.name());
            }
        }
        return new Adapters(created);
    }

    /** The adapters' names, in the order they are asked. */
    List<String> names() {
        return created.stream().map(Created::name).toList();
    }

    /** The adapters' resolvers, then {@code last}; {@code last} alone when no adapter is configured. */
    ImageResolver before(ImageResolver last) {
        if (created.isEmpty()) return last;
        List<ImageResolver> chain = new ArrayList<>();
        created.forEach(c -> chain.add(c.resolver()));
        chain.add(last);
        return new ResolverChain(chain);
    }

    @Override
    public void close() {
        for (int i = created.size() - 1; i >= 0; i--) {
            if (created.get(i).resolver() instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    LOG.warn("Closing the {} adapter: {}", created.get(i).name(), e.toString());
                }
            }
        }
    }
}
