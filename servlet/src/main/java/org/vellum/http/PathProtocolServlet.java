package org.vellum.http;

import java.util.function.BiFunction;

import jakarta.servlet.http.HttpServletRequest;

import org.vellum.config.Settings;
import org.vellum.protocol.iip.IipQuery;

/** Zoomify and Deep Zoom at their own path prefixes: the path after the prefix is the protocol argument. */
public final class PathProtocolServlet extends ProtocolServlet {
    private final BiFunction<String, RequestContext, Response> handler;
    private final Settings settings;

    public PathProtocolServlet(BiFunction<String, RequestContext, Response> handler, Settings settings) {
        this.handler = handler;
        this.settings = settings;
    }

    @Override
    protected Response answer(HttpServletRequest req, RequestContext ctx) {
        String uri = req.getRequestURI();
        String prefix = req.getContextPath() + req.getServletPath();
        String rest = uri.length() > prefix.length() ? uri.substring(prefix.length() + 1) : "";
        return handler.apply(IipQuery.decode(rest.replace("+", "%2B")), ctx);
    }

    @Override
    protected Settings settings() {
        return settings;
    }
}
