package org.vellum.http;

import jakarta.servlet.http.HttpServletRequest;

import org.vellum.api.Caller;
import org.vellum.ops.VellumMetrics;
import org.vellum.pipeline.Answer;
import org.vellum.pipeline.HttpPolicy;
import org.vellum.protocol.PathEndpoint;
import org.vellum.protocol.iip.IipQuery;

/** Zoomify and Deep Zoom at their own path prefixes: the path after the prefix is the protocol argument. */
public final class PathServlet extends ProtocolServlet {
    private final PathEndpoint endpoint;

    public PathServlet(String protocol, PathEndpoint endpoint, HttpPolicy policy, VellumMetrics metrics) {
        super(protocol, policy, metrics);
        this.endpoint = endpoint;
    }

    @Override
    protected Answer answer(HttpServletRequest req, Caller caller) {
        String uri = req.getRequestURI();
        String prefix = req.getContextPath() + req.getServletPath();
        String rest = uri.length() > prefix.length() ? uri.substring(prefix.length() + 1) : "";
        return endpoint.answer(IipQuery.decode(rest.replace("+", "%2B")), caller);
    }

    /** Zoomify's TileGroupN/ and Deep Zoom's _files/ hold tiles; ImageProperties.xml and .dzi describe the image. */
    @Override
    protected String kind(HttpServletRequest req) {
        return isTilePath(req.getRequestURI()) ? TILE : INFO;
    }

    static boolean isTilePath(String path) {
        return path.contains("/TileGroup") || path.contains("_files/");
    }
}
