package org.vellum.http;

import jakarta.servlet.http.HttpServletRequest;

import org.vellum.api.Caller;

/** The caller of a servlet request: its headers, and the address it used after X-Forwarded-* / Forwarded. */
final class Callers {
    private Callers() {
    }

    static Caller of(HttpServletRequest req) {
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
        return new Caller(req.getMethod(), req::getHeader, scheme + "://" + host, uri);
    }
}
