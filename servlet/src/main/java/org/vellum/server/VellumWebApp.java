package org.vellum.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vellum.api.settings.SettingSource;
import org.vellum.config.Settings;
import org.vellum.http.Routes;
import org.vellum.source.FilesystemResolver;

/**
 * Vellum as a web application (the WAR, declared in its web.xml): settings from defaults, then the iipsrv environment
 * variables, then the web.xml context parameters of the same names (these win); the repository adapters in WEB-INF/lib
 * that those settings ask for ({@link org.vellum.api.ResolverProvider}) asked before the image folder; the servlets at
 * the same paths as bin/vellum, below the context path; ImageIO started outside the application
 * ({@link JdkImageIo}); when the container stops the application, the decoder pool and the adapters closed, the
 * WAR's own JNA cleaner thread stopped and the JDK's record method cache cleared, so that its class loader can go.
 */
public final class VellumWebApp implements ServletContextListener {
    private static final Logger log = LoggerFactory.getLogger(VellumWebApp.class);
    private static final String VELLUM = Vellum.class.getName();
    private static final String ADAPTERS = Adapters.class.getName();

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        JdkImageIo.startWithoutThisApplication();
        SettingSource source = SettingSource.variables(System.getenv())
                .overriddenBy(SettingSource.variables(contextParameters(context)));
        if (source.find(Settings.FILESYSTEM_PREFIX.property(), Settings.FILESYSTEM_PREFIX.variable()) == null) {
            log.warn("FILESYSTEM_PREFIX is not set (context parameter or environment variable); serving images from "
                    + "the container's working directory {}", Path.of(".").toAbsolutePath().normalize());
        }
        Settings settings = Settings.from(source);
        // the application's loader: WEB-INF/lib, whether or not the container lets its own class path go first
        Adapters adapters = Adapters.load(source, context.getClassLoader());
        Vellum vellum;
        try {
            vellum = new Vellum(settings, adapters.before(
                    new FilesystemResolver(settings.filesystemPrefix(), settings.filesystemSuffix(),
                            settings.filenamePattern())));
        } catch (RuntimeException e) {
            adapters.close();
            throw e;
        }
        String image = settings.viewerImage().isEmpty() ? firstImage(settings.filesystemPrefix())
                : settings.viewerImage();
        try {
            for (Routes.Route route : vellum.routes(image)) {
                ServletRegistration.Dynamic registration = context.addServlet(route.name(), route.servlet());
                if (registration == null) throw new IllegalStateException("servlet name taken: " + route.name());
                registration.setLoadOnStartup(1);
                var conflicts = registration.addMapping(route.patterns().toArray(String[]::new));
                if (!conflicts.isEmpty()) log.warn("Paths already mapped by the container, left to it: {}", conflicts);
            }
        } catch (RuntimeException e) {
            vellum.close();
            adapters.close();
            throw e;
        }
        context.setAttribute(VELLUM, vellum);
        context.setAttribute(ADAPTERS, adapters);
        vellum.warmUp(image);
        log.info("Vellum serves {}{} at {}/ (IIP at /iip, IIIF at {})",
                adapters.names().isEmpty() ? "" : String.join(", ", adapters.names()) + " and ",
                settings.filesystemPrefix(), context.getContextPath(), settings.iiifPrefix());
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        if (context.getAttribute(VELLUM) instanceof Vellum v) {
            context.removeAttribute(VELLUM);
            v.close();
        }
        // after the engine: no request is left that could still ask an adapter
        if (context.getAttribute(ADAPTERS) instanceof Adapters a) {
            context.removeAttribute(ADAPTERS);
            a.close();
        }
        JnaCleaner.stopIfOurs();
        RecordMethodCache.forgetOurRecords();
    }

    /** The context parameters, which override the environment variables of the same names. */
    private static Map<String, String> contextParameters(ServletContext context) {
        Map<String, String> parameters = new HashMap<>();
        for (String name : Collections.list(context.getInitParameterNames())) {
            parameters.put(name, context.getInitParameter(name));
        }
        return parameters;
    }

    /**
     * The image the viewer page opens without {@code ?image=}: the first JPEG 2000 file directly in the folder. Only
     * the top level is listed, so deploying next to a large archive does not walk it.
     */
    private static String firstImage(Path root) {
        try {
            return DefaultImage.first(root, 1);
        } catch (IOException e) {
            log.warn("Cannot list the image folder {}: {}", root, e.toString());
            return "";
        }
    }
}
