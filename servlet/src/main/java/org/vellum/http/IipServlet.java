package org.vellum.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.vellum.api.Caller;
import org.vellum.pipeline.Answer;
import org.vellum.pipeline.HttpPolicy;
import org.vellum.protocol.iip.IipProtocol;

/** IIP, plus iipsrv's Zoomify= and DeepZoom= commands, at /iip and iipsrv's own paths. */
public final class IipServlet extends ProtocolServlet {
    private static final String MAPPED_QUERY = IipServlet.class.getName() + ".query";
    private final IipProtocol protocol;

    public IipServlet(IipProtocol protocol, HttpPolicy policy) {
        super(policy);
        this.protocol = protocol;
    }

    @Override
    protected Answer answer(HttpServletRequest req, Caller caller) {
        String mapped = (String) req.getAttribute(MAPPED_QUERY);
        String query = mapped != null ? mapped : req.getQueryString();
        if ((query == null || query.isEmpty()) && "POST".equals(req.getMethod())) query = postBody(req);
        return protocol.handle(query, caller);
    }

    /** iipsrv reads the request from a POST body when there is no query string. */
    @Override
    protected String methods() {
        return "GET, HEAD, POST, OPTIONS";
    }

    /** A POSTed IIP request (as iipsrv takes it when the query string is empty), at most 64 KiB. */
    private static String postBody(HttpServletRequest req) {
        try {
            byte[] body = req.getInputStream().readNBytes(65536);
            return new String(body, StandardCharsets.ISO_8859_1).strip();
        } catch (IOException e) {
            return null;
        }
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
}
