package org.vellum.dspace;

import java.io.IOException;
import java.util.Optional;

import org.vellum.api.ImageResolver;
import org.vellum.api.ResolverProvider;
import org.vellum.api.settings.SettingSource;

/**
 * The DSpace adapter for the WAR and the embedded launcher (found through META-INF/services): asked for when
 * DSPACE_DB_URL is given, read by the same declarations as the OSGi configuration.
 */
public final class DspaceResolverProvider implements ResolverProvider {
    @Override
    public String name() {
        return "dspace";
    }

    @Override
    public Optional<ImageResolver> create(SettingSource settings) throws IOException {
        Object url = settings.find(DspaceSettings.DB_URL.property(), DspaceSettings.DB_URL.variable());
        if (url == null || url.toString().isBlank()) return Optional.empty();
        return Optional.of(DspaceResolver.create(DspaceSettings.from(settings)));
    }
}
