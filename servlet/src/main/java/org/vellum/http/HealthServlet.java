package org.vellum.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.vellum.ops.Readiness;

/**
 * {@code /health/live}: 200 while the process answers HTTP at all. {@code /health/ready}: 200 when every part
 * {@link Readiness} checks is up, else 503; both with a small JSON body naming each part. Never cached.
 */
public final class HealthServlet extends HttpServlet {
    private final Readiness readiness;

    public HealthServlet(Readiness readiness) {
        this.readiness = readiness;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo() == null ? "" : req.getPathInfo();
        switch (path) {
            case "/live" -> write(resp, 200, "{\"status\":\"up\"}\n", req);
            case "/ready" -> {
                Readiness.Report report = readiness.check();
                write(resp, report.ready() ? 200 : 503, report.json(), req);
            }
            default -> write(resp, 404, "{\"status\":\"unknown\",\"paths\":[\"/health/live\",\"/health/ready\"]}\n",
                    req);
        }
    }

    private static void write(HttpServletResponse resp, int status, String json, HttpServletRequest req)
            throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentLength(body.length);
        if (!"HEAD".equals(req.getMethod())) resp.getOutputStream().write(body);
    }
}
