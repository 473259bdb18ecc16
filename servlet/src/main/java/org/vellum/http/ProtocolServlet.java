package org.vellum.http;

import java.io.IOException;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vellum.config.Settings;

/** GET, HEAD and OPTIONS for every protocol; a bug becomes a plain 500, never a stack trace in the body. */
public abstract class ProtocolServlet extends HttpServlet {
    private static final Logger LOG = LoggerFactory.getLogger(ProtocolServlet.class);

    protected abstract Response answer(HttpServletRequest req, RequestContext ctx);

    protected abstract Settings settings();

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        long start = System.nanoTime();
        Response r;
        try {
            r = answer(req, ResponseWriter.context(req));
        } catch (RuntimeException | OutOfMemoryError e) {
            LOG.error("Bug while answering {}?{}", req.getRequestURI(), req.getQueryString(), e);
            r = Response.text(500, "text/plain; charset=utf-8", "Internal error");
        }
        ResponseWriter.write(r, req, resp);
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} {}?{} -> {} ({} bytes, {} ms)", req.getMethod(), req.getRequestURI(), req.getQueryString(),
                    r.status(), r.body().length, (System.nanoTime() - start) / 1_000_000);
        }
    }

    /** iipsrv reads the request from a POST body when there is no query string; subclasses may too. */
    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        doGet(req, resp);
    }

    @Override
    protected void doHead(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        doGet(req, resp);
    }

    @Override
    protected void doOptions(HttpServletRequest req, HttpServletResponse resp) {
        resp.setStatus(204);
        resp.setHeader("Allow", "GET, HEAD, POST, OPTIONS");
        String cors = settings().cors();
        if (!cors.isEmpty()) {
            resp.setHeader("Access-Control-Allow-Origin", cors);
            resp.setHeader("Access-Control-Allow-Methods", "GET, HEAD, POST, OPTIONS");
            resp.setHeader("Access-Control-Allow-Headers", "X-Requested-With, If-Modified-Since, If-None-Match");
            resp.setHeader("Access-Control-Max-Age", "86400");
        }
    }
}
