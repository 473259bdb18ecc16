package org.vellum.fedora;

import java.io.IOException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
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
    private FedoraResolver resolver;

    @Activate
    void activate(FedoraConfiguration config) throws IOException {
        resolver = FedoraResolver.create(settingsOf(config));
    }

    @Deactivate
    void deactivate() {
        if (resolver != null) resolver.close();
        resolver = null;
    }

    /** The typed configuration, read by the same declarations as the environment. */
    static FedoraSettings settingsOf(FedoraConfiguration config) {
        return FedoraSettings.from(SettingSource.configuration(FedoraConfiguration.class, config));
    }

    @Override
    public ResolvedImage resolve(String identifier) throws ImageNotFoundException, ResolverException {
        return resolver.resolve(identifier);
    }

    @Override
    public ResolvedImage resolve(String identifier, Caller caller) throws ImageNotFoundException, ResolverException {
        return resolver.resolve(identifier, caller);
    }

    @Override
    public String name() {
        FedoraResolver r = resolver;
        return r == null ? "fedora-storage" : r.name();
    }

    @Override
    public void check() throws Exception {
        FedoraResolver r = resolver;
        if (r == null) throw new IllegalStateException("not active");
        r.check();
    }
}
