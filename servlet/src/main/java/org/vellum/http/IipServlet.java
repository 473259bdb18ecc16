package org.vellum.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.util.Locale;

import org.vellum.api.Caller;
import org.vellum.ops.VellumMetrics;
import org.vellum.pipeline.Answer;
import org.vellum.pipeline.HttpPolicy;
import org.vellum.protocol.iip.IipProtocol;

/** IIP, plus iipsrv's Zoomify= and DeepZoom= commands, at /iip and iipsrv's own paths. */
public final class IipServlet extends ProtocolServlet {
    private static final String MAPPED_QUERY = IipServlet.class.getName() + ".query";
    private final IipProtocol protocol;

    public IipServlet(IipProtocol protocol, HttpPolicy policy, VellumMetrics metrics) {
        super("iip", policy, metrics);
        this.protocol = protocol;
    }

    @Override
    protected Answer answer(HttpServletRequest req, Caller caller) {
        String mapped = (String) req.getAttribute(MAPPED_QUERY);
        String query = mapped != null ? mapped : req.getQueryString();
        if ((query == null || query.isEmpty()) && "POST".equals(req.getMethod())) query = postBody(req);
        return protocol.handle(query, caller);
    }

    /**
     * JTL, TIL and PTL and the Zoomify= and DeepZoom= tile paths are tiles; CVT is a region; OBJ, the descriptions
     * and anything else is info.
     */
    @Override
    protected String kind(HttpServletRequest req) {
        String mapped = (String) req.getAttribute(MAPPED_QUERY);
        String query = mapped != null ? mapped : req.getQueryString();
        if (query == null) return INFO;
        String q = "&" + query.toLowerCase(Locale.ROOT);
        if (q.contains("&jtl=") || q.contains("&til=") || q.contains("&ptl=")) return TILE;
        if (q.contains("&cvt=")) return REGION;
        if ((q.contains("&zoomify=") || q.contains("&deepzoom=")) && (q.contains("/tilegroup") || q.contains("_files/")
                || q.contains("%2ftilegroup") || q.contains("_files%2f"))) {
            return TILE;
        }
        return INFO;
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
