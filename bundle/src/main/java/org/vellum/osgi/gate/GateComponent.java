package org.vellum.osgi.gate;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
 * Keeps Vellum's paths answering while the Vellum bundle is replaced. (1) A servlet on every Vellum pattern with
 * service.ranking -1000: the whiteboard shadows it while Vellum's own servlet is there and activates it when that
 * one goes, so clients get 503 + Retry-After instead of 404. (2) A filter on the same patterns that turns the
 * failure of a request caught in the middle of the switch (Felix's "Servlet has been unregistered", a class of an
 * uninstalled revision) into the same 503, when nothing has been sent yet. The patterns are those of Vellum's own
 * servlet registrations (property {@code vellum.servlet}), read from their service properties and remembered when
 * they go: one route table, Vellum's. Deliberately imports nothing of Vellum and never gets its servlet objects: it
 * must not keep an old Vellum revision wired.
 */
@Component(service = {}, immediate = true)
@RequireHttpWhiteboard
public class GateComponent {
    private final Map<String, String[]> routes = new TreeMap<>();
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private BundleContext context;

    @Reference(service = Servlet.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            target = "(vellum.servlet=*)", updated = "updatedRoute")
    synchronized void bindRoute(ServiceReference<Servlet> ref) {
        remember(ref);
    }

    synchronized void updatedRoute(ServiceReference<Servlet> ref) {
        remember(ref);
    }

    /** Vellum's servlet went (an update under way): its patterns stay, so the gate answers them meanwhile. */
    synchronized void unbindRoute(ServiceReference<Servlet> ref) {
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
        context = null;
    }

    private void remember(ServiceReference<Servlet> ref) {
        Object name = ref.getProperty("vellum.servlet");
        Object patterns = ref.getProperty(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN);
        String[] p = patterns instanceof String[] a ? a : patterns == null ? new String[0]
                : new String[] {patterns.toString()};
        if (name == null || Arrays.equals(routes.get(name.toString()), p)) return;
        routes.put(name.toString(), p);
        refresh();
    }

    /** Registers the servlet and the filter on every pattern remembered, or moves them to the new set. */
    private void refresh() {
        if (context == null || routes.isEmpty()) return;
        String[] patterns = routes.values().stream().flatMap(Arrays::stream).distinct().toArray(String[]::new);
        if (registrations.isEmpty()) {
            registrations.add(context.registerService(Servlet.class, new Unavailable(), props("servlet", patterns)));
            registrations.add(context.registerService(Filter.class, new SwitchFilter(), props("filter", patterns)));
        } else {
            registrations.get(0).setProperties(props("servlet", patterns));
            registrations.get(1).setProperties(props("filter", patterns));
        }
    }

    private static Hashtable<String, Object> props(String kind, String[] patterns) {
        Hashtable<String, Object> p = new Hashtable<>();
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

    static void unavailable(HttpServletResponse resp) throws IOException {
        resp.reset();
        resp.setStatus(503);
        resp.setHeader("Retry-After", "1");
        resp.setContentType("text/plain; charset=utf-8");
        resp.getWriter().println("Vellum is being updated; try again");
    }

    private static final class Unavailable extends HttpServlet {
        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            unavailable(resp);
        }
    }

    private static final class SwitchFilter implements Filter {
        @Override
        public void doFilter(ServletRequest req, ServletResponse resp, FilterChain chain)
                throws IOException, ServletException {
            try {
                chain.doFilter(req, resp);
            } catch (ServletException | RuntimeException | LinkageError e) {
                if (resp.isCommitted() || !(resp instanceof HttpServletResponse http)) throw e;
                unavailable(http);
            }
        }
    }
}
