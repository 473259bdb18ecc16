package org.vellum.api;

import java.util.Optional;

import org.vellum.api.settings.SettingSource;

/**
 * A repository adapter as the WAR and the embedded launcher find it: listed in the adapter jar's
 * {@code META-INF/services/org.vellum.api.ResolverProvider} and loaded with {@link java.util.ServiceLoader} from the
 * server's class path (WEB-INF/lib). The OSGi runtime does not use it; there an adapter registers its
 * {@link ImageResolver} as a service.
 *
 * <p>The server asks every provider once at start, in the order of their {@link #name()}s, and chains the resolvers
 * they give before the file system, with the OSGi runtime's semantics: "not found" (and 400, not one of its own
 * identifiers) passes the identifier on, any other refusal is final. A resolver that is {@link AutoCloseable} is closed
 * when the server stops (the web application is undeployed), after the last request.
 */
public interface ResolverProvider {
    /** Short and stable ("dspace", "fedora"): orders the chain and names the adapter in the log. */
    String name();

    /**
     * The adapter's resolver, configured from {@code settings} (the same source as the server's own settings: the
     * environment, overridden by the web application's context parameters), or empty when those settings do not ask
     * for this adapter (none of its required settings is given).
     *
     * @throws IllegalArgumentException when its settings are given but unreadable or refused: the server does not
     *                                  start
     * @throws Exception                when the resolver cannot be set up (its repository unreachable, say): the server
     *                                  does not start
     */
    Optional<ImageResolver> create(SettingSource settings) throws Exception;
}
