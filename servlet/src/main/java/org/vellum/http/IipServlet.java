package org.vellum.http;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.vellum.config.Settings;
import org.vellum.protocol.iip.IipProtocol;

/** IIP, plus iipsrv's Zoomify= and DeepZoom= commands, at /iip and iipsrv's own paths. */
public final class IipServlet extends ProtocolServlet {
    private static final String MAPPED_QUERY = IipServlet.class.getName() + ".query";
    private final IipProtocol protocol;
    private final Settings settings;

    public IipServlet(IipProtocol protocol, Settings settings) {
        this.protocol = protocol;
        this.settings = settings;
    }

    @Override
    protected Response answer(HttpServletRequest req, RequestContext ctx) {
        String mapped = (String) req.getAttribute(MAPPED_QUERY);
        return protocol.handle(mapped != null ? mapped : req.getQueryString(), ctx);
    }

    /** Answers a URI_MAP path as the IIP query it maps to. */
    void answerMapped(HttpServletRequest req, HttpServletResponse resp, String query) throws IOException {
        req.setAttribute(MAPPED_QUERY, query);
        if ("OPTIONS".equals(req.getMethod())) {
            doOptions(req, resp);
        } else {
            doGet(req, resp);
        }
    }

    @Override
    protected Settings settings() {
        return settings;
    }
}
