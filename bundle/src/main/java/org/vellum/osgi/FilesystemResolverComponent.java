package org.vellum.osgi;

import java.nio.file.Path;

import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.vellum.source.FilesystemResolver;
import org.vellum.api.ForbiddenPathException;
import org.vellum.api.Caller;
import org.vellum.api.ImageNotFoundException;
import org.vellum.api.ImageObject;
import org.vellum.api.ImageResolver;
import org.vellum.api.ResolvedImage;

/**
 * The image folder (filesystemPrefix + identifier + filesystemSuffix of PID org.vellum) as a resolver service,
 * ranked 0 so that an adapter's resolver with a higher ranking is asked first. A configuration change points it at
 * the new folder in place, so the service never goes away meanwhile.
 */
@Component(service = ImageResolver.class, configurationPid = VellumConfiguration.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = {Constants.SERVICE_RANKING + ":Integer=0", "vellum.resolver=filesystem"})
public class FilesystemResolverComponent implements ImageResolver {
    private volatile FilesystemResolver resolver;

    @Activate
    @Modified
    void activate(VellumConfiguration config) {
        var settings = VellumComponent.settingsOf(config);
        resolver = new FilesystemResolver(settings.filesystemPrefix(), settings.filesystemSuffix(),
                settings.filenamePattern());
    }

    Path root() {
        return resolver.root();
    }

    @Override
    public ResolvedImage resolve(String identifier) throws ImageNotFoundException, ForbiddenPathException {
        return resolver.resolve(identifier);
    }

    @Override
    public ImageObject object(String identifier, Caller caller) throws ImageNotFoundException, ForbiddenPathException {
        return resolver.object(identifier, caller);
    }

    @Override
    public org.vellum.api.ImageSequence sequence(String identifier, Caller caller)
            throws ImageNotFoundException, ForbiddenPathException {
        return resolver.sequence(identifier, caller);
    }
}
