package org.vellum.fedora;

import java.io.IOException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vellum.api.Caller;
import org.vellum.api.ImageNotFoundException;
import org.vellum.api.HealthCheck;
import org.vellum.api.ImageResolver;
import org.vellum.api.ResolvedImage;
import org.vellum.api.ResolverException;
import org.vellum.api.settings.SettingSource;

/**
 * The Fedora resolver as an OSGi Declarative Services component: configured through ConfigAdmin (PID
 * {@code org.vellum.fedora}), registered as an {@link ImageResolver} with {@code vellum.resolver.prefix=fedora}, so a
 * Felix runtime that installs this bundle answers Fedora identifiers without a change to the core. It only adapts the
 * plain {@link FedoraResolver}, which the embedded launcher uses directly.
 */
@Component(service = ImageResolver.class, configurationPid = "org.vellum.fedora",
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = {"vellum.resolver.prefix=fedora", "service.ranking:Integer=100"})
@Designate(ocd = FedoraConfiguration.class)
public final class FedoraResolverComponent implements ImageResolver, HealthCheck {
    private static final Logger LOG = LoggerFactory.getLogger(FedoraResolverComponent.class);

    private volatile FedoraResolver resolver;
    /** why the configuration given cannot be served, or null */
    private volatile String failure;

    /**
     * A configuration that cannot be served (a setting refused, no storage root, a root authorization file missing or
     * unparsable) does not leave the component unregistered, which the readiness check could not see: it stays, answers
     * 503 and reports not ready, naming the problem, until ConfigAdmin hands over a good configuration.
     */
    @Activate
    void activate(FedoraConfiguration config) {
        try {
            resolver = FedoraResolver.create(settingsOf(config));
            failure = null;
        } catch (IOException | IllegalArgumentException e) {
            failure = e.getMessage();
            LOG.error("The Fedora adapter (configuration {}) cannot start: {}; it answers 503 and /health/ready "
                    + "reports it until the configuration is fixed", FedoraConfiguration.PID, failure);
        }
    }

    @Deactivate
    void deactivate() {
        FedoraResolver r = resolver;
        resolver = null;
        if (r != null) r.close();
    }

    private FedoraResolver started() throws ResolverException {
        FedoraResolver r = resolver;
        if (r == null) throw new ResolverException(503, "The Fedora adapter cannot start (see the log)");
        return r;
    }

    /** The typed configuration, read by the same declarations as the environment. */
    static FedoraSettings settingsOf(FedoraConfiguration config) {
        return FedoraSettings.from(SettingSource.configuration(FedoraConfiguration.class, config));
    }

    @Override
    public ResolvedImage resolve(String identifier) throws ImageNotFoundException, ResolverException {
        return started().resolve(identifier);
    }

    @Override
    public ResolvedImage resolve(String identifier, Caller caller) throws ImageNotFoundException, ResolverException {
        return started().resolve(identifier, caller);
    }

    @Override
    public String name() {
        FedoraResolver r = resolver;
        return r == null ? "fedora-storage" : r.name();
    }

    @Override
    public void check() throws Exception {
        FedoraResolver r = resolver;
        if (r == null) {
            throw new IllegalStateException(failure == null ? "not active" : "cannot start: " + failure);
        }
        r.check();
    }
}
