package org.vellum.protocol.iiif;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.vellum.config.Settings;
import org.vellum.http.ProtocolServlet;
import org.vellum.http.RequestContext;
import org.vellum.http.Response;

/**
 * {@code <prefix>/3/…} and {@code <prefix>/2/…}. Takes the path still encoded, so the handler decodes each segment
 * exactly once. Ids start from BASE_URL when it is set, else from the address the client used (after
 * X-Forwarded-Proto/-Host and Forwarded).
 */
public final class IiifServlet extends ProtocolServlet {
    private final IiifHandler handler;
    private final Settings settings;

    public IiifServlet(IiifHandler handler, Settings settings) {
        this.handler = handler;
        this.settings = settings;
    }

    @Override
    protected Response answer(HttpServletRequest req, RequestContext ctx) {
        String mount = req.getContextPath() + req.getServletPath();
        String uri = req.getRequestURI();
        String rest = uri.startsWith(mount) ? uri.substring(mount.length()) : "";
        if (rest.startsWith("/")) rest = rest.substring(1);
        int slash = rest.indexOf('/');
        IiifVersion version = IiifVersion.of(slash < 0 ? rest : rest.substring(0, slash));
        if (version == null) {
            return Response.text(404, "text/plain; charset=utf-8", "IIIF: Image API versions here are 2 and 3\n")
                    .header("Access-Control-Allow-Origin", settings.cors().isEmpty() ? null : settings.cors());
        }
        String base = settings.baseUrl().isEmpty()
                ? ctx.baseUri() + mount
                : settings.baseUrl().replaceAll("/+$", "") + req.getServletPath();
        return handler.handle(version, slash < 0 ? "" : rest.substring(slash + 1), base + "/" + version.number(), ctx);
    }

    /** IIIF is read-only; ProtocolServlet's POST (an iipsrv habit) does not apply. */
    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws java.io.IOException {
        resp.setHeader("Allow", "GET, HEAD, OPTIONS");
        resp.sendError(405);
    }

    @Override
    protected void doOptions(HttpServletRequest req, HttpServletResponse resp) {
        resp.setStatus(204);
        resp.setHeader("Allow", "GET, HEAD, OPTIONS");
        if (!settings.cors().isEmpty()) {
            resp.setHeader("Access-Control-Allow-Origin", settings.cors());
            resp.setHeader("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS");
            resp.setHeader("Access-Control-Allow-Headers", "Accept, If-Modified-Since, If-None-Match");
            resp.setHeader("Access-Control-Max-Age", "86400");
        }
    }

    @Override
    protected Settings settings() {
        return settings;
    }
}
