package org.vellum.http;

import java.io.IOException;
import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** Writes a protocol's {@link Response} to the servlet response; HEAD gets the headers only. */
public final class ResponseWriter {
    private ResponseWriter() {
    }

    public static void write(Response r, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setStatus(r.status());
        boolean hasLength = false;
        for (String[] h : r.headers()) {
            if (h[0].equalsIgnoreCase("Content-Type")) {
                resp.setContentType(h[1]);
            } else {
                resp.addHeader(h[0], h[1]);
            }
            hasLength |= h[0].equalsIgnoreCase("Content-Length");
        }
        if (r.status() == 304 || r.status() == 204) return;
        if (!hasLength) resp.setContentLength(r.body().length);
        if (!"HEAD".equals(req.getMethod().toUpperCase(Locale.ROOT))) {
            resp.getOutputStream().write(r.body());
        }
    }

    /** The context a protocol sees: headers, and the base URI after X-Forwarded-* / Forwarded. */
    public static RequestContext context(HttpServletRequest req) {
        String scheme = req.getScheme();
        String host = req.getHeader("Host");
        String forwarded = req.getHeader("Forwarded");
        if (forwarded != null) {
            for (String part : forwarded.split(",")[0].split(";")) {
                String[] kv = part.trim().split("=", 2);
                if (kv.length != 2) continue;
                String v = kv[1].replace("\"", "");
                if (kv[0].equalsIgnoreCase("proto")) scheme = v;
                if (kv[0].equalsIgnoreCase("host")) host = v;
            }
        }
        if (req.getHeader("X-Forwarded-Proto") != null) scheme = req.getHeader("X-Forwarded-Proto").split(",")[0].trim();
        if (req.getHeader("X-Forwarded-Host") != null) host = req.getHeader("X-Forwarded-Host").split(",")[0].trim();
        if (host == null || host.isBlank()) host = req.getServerName() + ":" + req.getServerPort();
        String uri = req.getRequestURI() + (req.getQueryString() == null ? "" : "?" + req.getQueryString());
        return new RequestContext(req.getMethod(), req::getHeader, scheme + "://" + host, uri);
    }
}
