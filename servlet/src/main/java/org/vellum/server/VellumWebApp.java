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

/**
 * Vellum as a web application (the WAR, declared in its web.xml): settings from defaults, then the iipsrv environment
 * variables, then the web.xml context parameters of the same names (these win); the servlets at the same paths as
 * bin/vellum, below the context path; when the container stops the application, the decoder pool closed, the WAR's
 * own JNA cleaner thread stopped and the JDK's record method cache cleared, so that its class loader can go.
 */
public final class VellumWebApp implements ServletContextListener {
    private static final Logger log = LoggerFactory.getLogger(VellumWebApp.class);
    private static final String VELLUM = Vellum.class.getName();

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        SettingSource source = SettingSource.variables(System.getenv())
                .overriddenBy(SettingSource.variables(contextParameters(context)));
        if (source.find(Settings.FILESYSTEM_PREFIX.property(), Settings.FILESYSTEM_PREFIX.variable()) == null) {
            log.warn("FILESYSTEM_PREFIX is not set (context parameter or environment variable); serving images from "
                    + "the container's working directory {}", Path.of(".").toAbsolutePath().normalize());
        }
        Settings settings = Settings.from(source);
        Vellum vellum = new Vellum(settings);
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
            throw e;
        }
        context.setAttribute(VELLUM, vellum);
        vellum.warmUp(image);
        log.info("Vellum serves {} at {}/ (IIP at /iip, IIIF at {})", settings.filesystemPrefix(),
                context.getContextPath(), settings.iiifPrefix());
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        Object vellum = event.getServletContext().getAttribute(VELLUM);
        if (vellum instanceof Vellum v) {
            event.getServletContext().removeAttribute(VELLUM);
            v.close();
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
