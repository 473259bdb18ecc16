package org.vellum.osgi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.Servlet;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.servlet.whiteboard.HttpWhiteboardConstants;
import org.osgi.service.servlet.whiteboard.annotations.RequireHttpWhiteboard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vellum.api.ImageResolver;
import org.vellum.api.settings.SettingSource;
import org.vellum.config.Settings;
import org.vellum.http.Routes;
import org.vellum.server.DefaultImage;
import org.vellum.server.JnaCleaner;
import org.vellum.server.RecordMethodCache;
import org.vellum.server.Vellum;

/**
 * Vellum on the Servlet Whiteboard: owns the {@link Vellum} built from configuration {@value VellumConfiguration#PID}
 * (decoder pool, engine, output cache, metrics, servlets) and registers the IIP, Zoomify, Deep Zoom, IIIF, viewer,
 * health and metrics servlets at the paths the embedded launcher uses; readiness asks every resolver service that is
 * also a {@link org.vellum.api.HealthCheck}. The registered servlets are thin fronts that hand each request to the
 * current generation, so a configuration change builds a new Vellum (new pool size, empty caches sized anew, a new
 * memcached client, new image root), switches the fronts over to it without unregistering anything, and closes the
 * old one once its requests have finished. Deactivation turns new requests away (to the gate, which holds them for
 * the next revision, or with 503 where there is no gate), waits for the ones in flight,
 * then closes the pool and its threads and the memcached sockets, and stops the embedded JNA's cleaner thread, so
 * nothing of this bundle stays reachable after it is uninstalled.
 */
@Component(service = {}, immediate = true, configurationPid = VellumConfiguration.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = VellumConfiguration.class)
@RequireHttpWhiteboard
public class VellumComponent {
    private static final Logger LOG = LoggerFactory.getLogger(VellumComponent.class);
    private static final long DRAIN_MILLIS = 30_000;
    /**
     * Request attributes shared with the gate bundle (org.vellum.osgi.gate), which imports nothing of Vellum: it sets
     * the first on every request to Vellum's paths; a front whose revision is going away sets the second (its route)
     * instead of answering, and the gate then hands the request to the next revision.
     */
    static final String GATE = "org.vellum.gate";
    static final String GATE_RETRY = "org.vellum.gate.retry";

    /**
     * Whiteboard properties an administrator may set in configuration {@value VellumConfiguration#PID} beside the
     * settings; they are copied onto every servlet registration. In Apache Sling, whose servlet context claims "/",
     * {@code osgi.http.whiteboard.context.select} puts Vellum's servlets into Sling's context and a negative
     * {@code service.ranking} leaves "/" to Sling's main servlet (docs/sling.md). Not settings: they place the
     * servlets on a whiteboard and mean nothing to the WAR or the embedded server.
     */
    static final List<String> PLACEMENT = List.of(HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_SELECT,
            HttpWhiteboardConstants.HTTP_WHITEBOARD_TARGET, Constants.SERVICE_RANKING);

    private final ResolverChain resolvers = new ResolverChain();
    private final Map<String, ServiceRegistration<Servlet>> registrations = new LinkedHashMap<>();
    private volatile Generation current;
    private Map<String, Object> placement = Map.of();

    /** At least one (the image folder's, from this bundle), so no request is answered before a resolver is there. */
    @Reference(service = ImageResolver.class, cardinality = ReferenceCardinality.AT_LEAST_ONE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addResolver(ImageResolver resolver, ServiceReference<ImageResolver> ref) {
        resolvers.add(ref, resolver);
    }

    void removeResolver(ImageResolver resolver) {
        resolvers.remove(resolver);
    }

    @Activate
    void activate(BundleContext context, VellumConfiguration config, Map<String, Object> componentProperties) {
        Generation g = new Generation(settingsOf(config), resolvers);
        current = g;
        placement = placementOf(componentProperties);
        for (Routes.Route route : g.routes) {
            registrations.put(route.name(), context.registerService(Servlet.class, new Front(route.name()),
                    properties(route, g.settings(), placement)));
        }
        LOG.info("Vellum serves {} (IIP at {}, IIIF at {}/3 and /2)", g.settings().filesystemPrefix(),
                String.join(", ", Routes.IIP_PATHS), g.settings().iiifPrefix());
    }

    @Modified
    void modified(VellumConfiguration config, Map<String, Object> componentProperties) {
        Generation next = new Generation(settingsOf(config), resolvers);
        Generation old = current;
        current = next;
        Map<String, Object> nextPlacement = placementOf(componentProperties);
        boolean changed = next.settings().redeployWaitMillis() != old.settings().redeployWaitMillis()
                || !nextPlacement.equals(placement);
        placement = nextPlacement;
        for (int i = 0; i < next.routes.size(); i++) {
            Routes.Route route = next.routes.get(i);
            if (changed || !route.patterns().equals(old.routes.get(i).patterns())) {   // e.g. a new IIIF_PREFIX
                registrations.get(route.name()).setProperties(properties(route, next.settings(), placement));
            }
        }
        LOG.info("Vellum reconfigured: serves {}", next.settings().filesystemPrefix());
        old.closeWhenIdle();
    }

    /** The {@link #PLACEMENT} properties present in the component's properties (its configuration). */
    static Map<String, Object> placementOf(Map<String, Object> componentProperties) {
        Map<String, Object> p = new LinkedHashMap<>();
        for (String key : PLACEMENT) {
            Object value = componentProperties.get(key);
            if (value != null) p.put(key, value);
        }
        return Map.copyOf(p);
    }

    /** The typed configuration; a property left out keeps its default (the machine's, where it depends on it). */
    static Settings settingsOf(VellumConfiguration config) {
        return Settings.from(SettingSource.configuration(VellumConfiguration.class, config));
    }

    @Deactivate
    void deactivate() {
        Generation g = current;
        current = null;                                  // from now on the fronts answer 503
        for (ServiceRegistration<Servlet> r : registrations.values()) {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework unregistered it while stopping the bundle
            }
        }
        registrations.clear();
        if (g != null) g.closeWhenIdle();
        JnaCleaner.stopIfOurs();
        RecordMethodCache.forgetOurRecords();
    }

    /**
     * The whiteboard properties of a route; {@code vellum.servlet} lets the gate bundle mirror its patterns and
     * {@code vellum.redeployWait} tells it how long a request may wait for the next revision (REDEPLOY_WAIT, in ms).
     */
    private static Dictionary<String, Object> properties(Routes.Route route, Settings settings,
            Map<String, Object> placement) {
        Hashtable<String, Object> p = new Hashtable<>(placement);
        p.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN, route.patterns().toArray(String[]::new));
        p.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME, "vellum-" + route.name());
        p.put("vellum.servlet", route.name());
        p.put("vellum.redeployWait", settings.redeployWaitMillis());
        return p;
    }

    /** A registered servlet: passes each request to the current generation's servlet of the same name. */
    private final class Front extends HttpServlet {
        private final String name;

        Front(String name) {
            this.name = name;
        }

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
            for (int attempt = 0; attempt < 3; attempt++) {
                Generation g = current;
                if (g == null) break;
                if (!g.enter()) continue;                   // replaced just now: take the new one
                try {
                    g.servlet(name).service(req, resp);
                    return;
                } finally {
                    g.exit();
                }
            }
            if (req.getAttribute(GATE) != null) {
                req.setAttribute(GATE_RETRY, name);         // the gate holds the request for the next revision
                return;
            }
            resp.setStatus(503);
            resp.setHeader("Retry-After", "1");
            resp.setContentType("text/plain; charset=utf-8");
            resp.getWriter().println("Vellum is restarting; try again");
        }
    }

    /** One configuration's Vellum and servlets, with a count of the requests it is answering. */
    private static final class Generation {
        private final Vellum vellum;
        private final List<Routes.Route> routes;
        private final Map<String, HttpServlet> servlets = new LinkedHashMap<>();
        private final AtomicInteger inFlight = new AtomicInteger();
        private volatile boolean closing;

        Generation(Settings settings, ResolverChain resolver) {
            vellum = new Vellum(settings, resolver, resolver::healthChecks);
            String image = settings.viewerImage();
            if (image.isBlank()) image = firstImage(settings.filesystemPrefix());
            routes = vellum.routes(image);
            for (Routes.Route route : routes) servlets.put(route.name(), route.servlet());
            vellum.warmUp(image);
        }

        Settings settings() {
            return vellum.settings();
        }

        HttpServlet servlet(String name) {
            return servlets.get(name);
        }

        boolean enter() {
            inFlight.incrementAndGet();
            if (closing) {
                exit();
                return false;
            }
            return true;
        }

        void exit() {
            if (inFlight.decrementAndGet() == 0 && closing) {
                synchronized (this) {
                    notifyAll();
                }
            }
        }

        /** Refuses new requests, waits (bounded) for those in flight, then closes the pool and its threads. */
        void closeWhenIdle() {
            closing = true;
            long end = System.currentTimeMillis() + DRAIN_MILLIS;
            synchronized (this) {
                while (inFlight.get() > 0 && System.currentTimeMillis() < end) {
                    try {
                        wait(100);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
            }
            if (inFlight.get() > 0) LOG.warn("Closing Vellum with {} requests still running", inFlight.get());
            vellum.close();
        }

        /** The image the viewer page opens by default: the first JPEG 2000 file of the folder, as bin/vellum does. */
        private static String firstImage(Path root) {
            if (!Files.isDirectory(root)) return "";
            try {
                return DefaultImage.first(root, 3);
            } catch (IOException | RuntimeException e) {
                return "";
            }
        }
    }
}
