package org.vellum.http;

import jakarta.servlet.http.HttpServletRequest;

import org.vellum.config.Settings;
import org.vellum.protocol.iip.IipProtocol;

/** IIP, plus iipsrv's Zoomify= and DeepZoom= commands, at /iip and iipsrv's own paths. */
public final class IipServlet extends ProtocolServlet {
    private final IipProtocol protocol;
    private final Settings settings;

    public IipServlet(IipProtocol protocol, Settings settings) {
        this.protocol = protocol;
        this.settings = settings;
    }

    @Override
    protected Response answer(HttpServletRequest req, RequestContext ctx) {
        return protocol.handle(req.getQueryString(), ctx);
    }

    @Override
    protected Settings settings() {
        return settings;
    }
}
