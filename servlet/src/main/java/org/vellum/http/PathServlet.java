package org.vellum.http;

import jakarta.servlet.http.HttpServletRequest;

import org.vellum.api.Caller;
import org.vellum.pipeline.Answer;
import org.vellum.pipeline.HttpPolicy;
import org.vellum.protocol.PathEndpoint;
import org.vellum.protocol.iip.IipQuery;

/** Zoomify and Deep Zoom at their own path prefixes: the path after the prefix is the protocol argument. */
public final class PathServlet extends ProtocolServlet {
    private final PathEndpoint endpoint;

    public PathServlet(PathEndpoint endpoint, HttpPolicy policy) {
        super(policy);
        this.endpoint = endpoint;
    }

    @Override
    protected Answer answer(HttpServletRequest req, Caller caller) {
        String uri = req.getRequestURI();
        String prefix = req.getContextPath() + req.getServletPath();
        String rest = uri.length() > prefix.length() ? uri.substring(prefix.length() + 1) : "";
        return endpoint.answer(IipQuery.decode(rest.replace("+", "%2B")), caller);
    }
}
