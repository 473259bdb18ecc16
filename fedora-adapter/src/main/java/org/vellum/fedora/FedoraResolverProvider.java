package org.vellum.fedora;

import java.io.IOException;
import java.util.Optional;

import org.vellum.api.ImageResolver;
import org.vellum.api.ResolverProvider;
import org.vellum.api.settings.Setting;
import org.vellum.api.settings.SettingSource;

/**
 * The Fedora adapter for the WAR and the embedded launcher (found through META-INF/services): asked for when
 * FEDORA_OCFL_ROOT or FEDORA_REST_URL is given, read by the same declarations as the OSGi configuration.
 */
public final class FedoraResolverProvider implements ResolverProvider {
    @Override
    public String name() {
        return "fedora";
    }

    @Override
    public Optional<ImageResolver> create(SettingSource settings) throws IOException {
        if (!given(settings, FedoraSettings.OCFL_ROOT) && !given(settings, FedoraSettings.REST_URL)) {
            return Optional.empty();
        }
        return Optional.of(FedoraResolver.create(FedoraSettings.from(settings)));
    }

    private static boolean given(SettingSource settings, Setting<?> setting) {
        Object value = settings.find(setting.property(), setting.variable());
        return value != null && !value.toString().isBlank();
    }
}
