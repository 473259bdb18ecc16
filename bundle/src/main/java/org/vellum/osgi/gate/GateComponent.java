package org.vellum.osgi.gate;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.HashMap;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.whiteboard.HttpWhiteboardConstants;
import org.osgi.service.servlet.whiteboard.annotations.RequireHttpWhiteboard;

/**
 * Keeps Vellum's paths answering while the Vellum bundle is replaced, so that a redeploy goes unnoticed: a request that
 * arrives while no Vellum revision serves waits (REDEPLOY_WAIT, 5 s by default) for the next revision and is then
 * answered by it; only when none comes up in time does it get 503 + Retry-After. Two whiteboard services on every
 * Vellum pattern: (1) a servlet with service.ranking -1000, which the whiteboard shadows while Vellum's own servlet is
 * there and activates when that one goes (Felix would otherwise answer 404); (2) a filter that catches a request
 * caught in the middle of the switch: the old revision's front turning it away (request attribute
 * {@value #RETRY}), Felix's "Servlet has been unregistered", or a class of an uninstalled revision, when nothing has
 * been sent yet. Both hand the held request to the next revision's servlet of the same route, taken from the service
 * registry for that one request. The patterns and the wait are those of Vellum's own servlet registrations (service
 * properties {@code vellum.servlet}, {@code vellum.redeployWait}), remembered when they go: one route table,
 * Vellum's. Imports nothing of Vellum and keeps no reference to a revision that is gone, so none stays wired.
 */
@Component(service = {}, immediate = true)
@RequireHttpWhiteboard
public class GateComponent {
    /** Set on every request passing the gate; Vellum's front then leaves a request it cannot serve to the gate. */
    static final String GATE = "org.vellum.gate";
    /** Set by Vellum's front (to its route) on a request its revision, going away, did not answer. */
    static final String RETRY = "org.vellum.gate.retry";
    private static final long DEFAULT_WAIT_MILLIS = 5000;

    /** A registered Vellum servlet; {@code seq} orders the registrations the gate has seen. */
    private record Binding(ServiceReference<Servlet> ref, long seq) {
    }

    private final Map<String, String[]> routes = new TreeMap<>();
    private final Map<String, Binding> bound = new HashMap<>();
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private long seq;
    private long waitMillis = DEFAULT_WAIT_MILLIS;
    /** The servlet context Vellum's servlets chose (Apache Sling's, say): the gate goes there too. */
    private Map<String, Object> placement = Map.of();
    private BundleContext context;

    @Reference(service = Servlet.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            target = "(vellum.servlet=*)", updated = "updatedRoute")
    synchronized void bindRoute(ServiceReference<Servlet> ref) {
        remember(ref);
        bound.put(ref.getProperty("vellum.servlet").toString(), new Binding(ref, ++seq));
        notifyAll();
    }

    synchronized void updatedRoute(ServiceReference<Servlet> ref) {
        remember(ref);
    }

    /** Vellum's servlet went (an update under way): its patterns stay, so the gate answers them meanwhile. */
    synchronized void unbindRoute(ServiceReference<Servlet> ref) {
        String name = ref.getProperty("vellum.servlet").toString();
        Binding b = bound.get(name);
        if (b != null && b.ref().equals(ref)) bound.remove(name);
    }

    @Activate
    synchronized void activate(BundleContext context) {
        this.context = context;
        refresh();
    }

    @Deactivate
    synchronized void deactivate() {
        for (ServiceRegistration<?> r : registrations) {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // unregistered by the framework
            }
        }
        registrations.clear();
        bound.clear();
        context = null;
        notifyAll();
    }

    private void remember(ServiceReference<Servlet> ref) {
        Object name = ref.getProperty("vellum.servlet");
        Object patterns = ref.getProperty(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN);
        if (ref.getProperty("vellum.redeployWait") instanceof Number n) waitMillis = Math.max(0, n.longValue());
        String[] p = patterns instanceof String[] a ? a : patterns == null ? new String[0]
                : new String[] {patterns.toString()};
        Map<String, Object> place = new HashMap<>();
        for (String key : new String[] {HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_SELECT,
                HttpWhiteboardConstants.HTTP_WHITEBOARD_TARGET}) {
            if (ref.getProperty(key) != null) place.put(key, ref.getProperty(key));
        }
        boolean moved = !place.equals(placement);
        placement = Map.copyOf(place);
        if (name == null || (Arrays.equals(routes.get(name.toString()), p) && !moved)) return;
        routes.put(name.toString(), p);
        refresh();
    }

    /** Registers the servlet and the filter on every pattern remembered, or moves them to the new set. */
    private void refresh() {
        if (context == null || routes.isEmpty()) return;
        String[] patterns = routes.values().stream().flatMap(Arrays::stream).distinct().toArray(String[]::new);
        if (registrations.isEmpty()) {
            registrations.add(context.registerService(Servlet.class, new Waiting(), props("servlet", patterns)));
            registrations.add(context.registerService(Filter.class, new SwitchFilter(), props("filter", patterns)));
        } else {
            registrations.get(0).setProperties(props("servlet", patterns));
            registrations.get(1).setProperties(props("filter", patterns));
        }
    }

    private Hashtable<String, Object> props(String kind, String[] patterns) {
        Hashtable<String, Object> p = new Hashtable<>(placement);
        p.put(Constants.SERVICE_RANKING, -1000);
        if (kind.equals("servlet")) {
            p.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN, patterns);
            p.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME, "vellum-gate");
        } else {
            p.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_FILTER_PATTERN, patterns);
            p.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_FILTER_NAME, "vellum-gate");
        }
        return p;
    }

    /** The registration count now: a request that saw it waits for a registration made after it. */
    private synchronized long seq() {
        return seq;
    }

    private synchronized long deadline() {
        return System.nanoTime() + waitMillis * 1_000_000;
    }

    /**
     * The route a path within the context belongs to, by the servlet specification's order: exact pattern, longest
     * path prefix, extension, default.
     */
    synchronized String routeOf(String path) {
        String best = null;
        int bestLength = -1;
        String extension = null;
        String fallback = null;
        for (Map.Entry<String, String[]> e : routes.entrySet()) {
            for (String p : e.getValue()) {
                if (p.equals(path)) return e.getKey();
                if (p.endsWith("/*")) {
                    String prefix = p.substring(0, p.length() - 2);
                    if ((path.equals(prefix) || path.startsWith(prefix + "/")) && prefix.length() > bestLength) {
                        best = e.getKey();
                        bestLength = prefix.length();
                    }
                } else if (p.startsWith("*.") && path.endsWith(p.substring(1))) {
                    extension = e.getKey();
                } else if (p.equals("/")) {
                    fallback = e.getKey();
                }
            }
        }
        return best != null ? best : extension != null ? extension : fallback;
    }

    /** Whether the route's servlet has gone or been replaced since the registration count was {@code seen}. */
    private synchronized boolean switching(String route, long seen) {
        Binding b = route == null ? null : bound.get(route);
        return b == null || b.seq() > seen || b.ref().getBundle() == null;
    }

    /**
     * Waits until a servlet of {@code route} registered after {@code after} is there (or the deadline passes), and
     * returns it, or null.
     */
    private synchronized Binding await(String route, long after, long deadline) throws InterruptedException {
        while (true) {
            Binding b = bound.get(route);
            if (b != null && b.seq() > after) return b;
            if (context == null) return null;
            long left = deadline - System.nanoTime();
            if (left <= 0) return null;
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /**
     * Answers a held request with the first revision of its route registered after {@code after}, and again with a
     * later one if that too is going away; 503 once the deadline has passed.
     */
    void serveHeld(HttpServletRequest req, HttpServletResponse resp, String route, long after, long deadline)
            throws ServletException, IOException {
        while (route != null) {
            Binding b;
            try {
                b = await(route, after, deadline);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (b == null) break;
            BundleContext ctx;
            synchronized (this) {
                ctx = context;
            }
            Servlet next = ctx == null ? null : ctx.getService(b.ref());
            after = b.seq();
            if (next == null) continue;                      // gone again before we got it: the one after
            try {
                req.removeAttribute(RETRY);
                next.service(req, resp);
            } catch (ServletException | RuntimeException | LinkageError e) {
                if (resp.isCommitted() || !switching(route, b.seq())) throw e;
                resp.reset();
                continue;
            } finally {
                ctx.ungetService(b.ref());
            }
            if (req.getAttribute(RETRY) == null) return;
            resp.reset();
        }
        req.removeAttribute(RETRY);
        unavailable(resp);
    }

    private static String pathOf(HttpServletRequest req) {
        String info = req.getPathInfo();
        return req.getServletPath() + (info == null ? "" : info);
    }

    static void unavailable(HttpServletResponse resp) throws IOException {
        resp.reset();
        resp.setStatus(503);
        resp.setHeader("Retry-After", "1");
        resp.setContentType("text/plain; charset=utf-8");
        resp.getWriter().println("Vellum is being updated; try again");
    }

    /** Active while no Vellum servlet is registered on the path: holds the request for the next revision. */
    private final class Waiting extends HttpServlet {
        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
            serveHeld(req, resp, routeOf(pathOf(req)), -1, deadline());
        }
    }

    /** Sees every request to Vellum's paths; holds the ones the switch caught. */
    private final class SwitchFilter implements Filter {
        @Override
        public void doFilter(ServletRequest req, ServletResponse resp, FilterChain chain)
                throws IOException, ServletException {
            if (!(req instanceof HttpServletRequest hreq) || !(resp instanceof HttpServletResponse hresp)) {
                chain.doFilter(req, resp);
                return;
            }
            long seen = seq();
            long deadline = deadline();
            req.setAttribute(GATE, Boolean.TRUE);
            try {
                chain.doFilter(req, resp);
                if (req.getAttribute(RETRY) == null) return;
            } catch (ServletException | RuntimeException | LinkageError e) {
                if (resp.isCommitted() || !switching(routeOf(pathOf(hreq)), seen)) throw e;   // a failure of its own
            }
            if (resp.isCommitted()) return;
            hresp.reset();
            Object route = req.getAttribute(RETRY);
            serveHeld(hreq, hresp, route != null ? route.toString() : routeOf(pathOf(hreq)), seen, deadline);
        }
    }
}
