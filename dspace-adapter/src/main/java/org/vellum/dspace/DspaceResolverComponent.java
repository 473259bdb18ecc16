package org.vellum.dspace;

import java.io.IOException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.vellum.api.Caller;
import org.vellum.api.HealthCheck;
import org.vellum.api.ImageNotFoundException;
import org.vellum.api.ImageResolver;
import org.vellum.api.ResolvedImage;
import org.vellum.api.ResolverException;
import org.vellum.api.settings.SettingSource;

/**
 * The DSpace resolver as an OSGi Declarative Services component: configured through ConfigAdmin (PID
 * {@code org.vellum.dspace}), registered as an {@link ImageResolver} with {@code vellum.resolver.prefix=dspace}, so a
 * Felix runtime that installs this bundle answers DSpace identifiers without a change to the core. It only adapts the
 * plain {@link DspaceResolver}, which the embedded launcher uses directly.
 */
@Component(service = ImageResolver.class, configurationPid = "org.vellum.dspace",
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = {"vellum.resolver.prefix=dspace", "service.ranking:Integer=100"})
@Designate(ocd = DspaceConfiguration.class)
public final class DspaceResolverComponent implements ImageResolver, HealthCheck {
    private DspaceResolver resolver;

    @Activate
    void activate(DspaceConfiguration config) throws IOException {
        resolver = DspaceResolver.create(settingsOf(config));
    }

    @Deactivate
    void deactivate() {
        if (resolver != null) resolver.close();
        resolver = null;
    }

    /** The typed configuration, read by the same declarations as the environment. */
    static DspaceSettings settingsOf(DspaceConfiguration config) {
        return DspaceSettings.from(SettingSource.configuration(DspaceConfiguration.class, config));
    }

    @Override
    public String name() {
        return "dspace-database";
    }

    @Override
    public void check() throws Exception {
        DspaceResolver r = resolver;
        if (r == null) throw new IllegalStateException("not active");
        r.check();
    }

    @Override
    public ResolvedImage resolve(String identifier) throws ImageNotFoundException, ResolverException {
        return resolver.resolve(identifier);
    }

    @Override
    public ResolvedImage resolve(String identifier, Caller ctx)
            throws ImageNotFoundException, ResolverException {
        return resolver.resolve(identifier, ctx);
    }
}
