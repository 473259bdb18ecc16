package org.vellum.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.vellum.config.Settings;
import org.vellum.ops.VellumMetrics;

/**
 * {@code /metrics} in the Prometheus text format, for whom METRICS allows: nobody (404, as if there were no such
 * path), clients on this machine that did not come through a proxy (a request carrying any header a proxy adds came
 * from elsewhere, even if the proxy is local: 404), or anyone with {@code Authorization: Bearer METRICS_TOKEN}
 * (else 401).
 */
public final class MetricsServlet extends HttpServlet {
    /** What nginx, Apache, HAProxy and the like add; docs/deployment.md's nginx example sets only X-Forwarded-Proto/-Host. */
    private static final List<String> PROXY_HEADERS = List.of("Forwarded", "X-Forwarded-For", "X-Forwarded-Host",
            "X-Forwarded-Proto", "X-Forwarded-Port", "X-Forwarded-Server", "X-Real-IP", "Via");
    private final VellumMetrics metrics;
    private final Settings.MetricsAccess access;
    private final byte[] token;

    public MetricsServlet(VellumMetrics metrics, Settings settings) {
        this.metrics = metrics;
        this.token = ("Bearer " + settings.metricsToken()).getBytes(StandardCharsets.UTF_8);
        // token mode without a token would let "Bearer " in: off instead
        this.access = settings.metrics() == Settings.MetricsAccess.TOKEN && settings.metricsToken().isBlank()
                ? Settings.MetricsAccess.OFF : settings.metrics();
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        switch (access) {
            case OFF -> {
                text(resp, 404, "Not found\n", req);
                return;
            }
            case LOOPBACK -> {
                if (!fromThisMachine(req)) {
                    text(resp, 404, "Not found\n", req);
                    return;
                }
            }
            case TOKEN -> {
                String given = req.getHeader("Authorization");
                if (given == null || !MessageDigest.isEqual(token, given.trim().getBytes(StandardCharsets.UTF_8))) {
                    resp.setHeader("WWW-Authenticate", "Bearer realm=\"metrics\"");
                    text(resp, 401, "Unauthorized\n", req);
                    return;
                }
            }
        }
        byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
        resp.setStatus(200);
        resp.setContentType(VellumMetrics.CONTENT_TYPE);
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentLength(body.length);
        if (!"HEAD".equals(req.getMethod())) resp.getOutputStream().write(body);
    }

    private static boolean fromThisMachine(HttpServletRequest req) {
        for (String h : PROXY_HEADERS) {
            if (req.getHeader(h) != null) return false;
        }
        try {
            return InetAddress.getByName(req.getRemoteAddr()).isLoopbackAddress();   // a literal: no lookup
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static void text(HttpServletResponse resp, int status, String text, HttpServletRequest req)
            throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        resp.setStatus(status);
        resp.setContentType("text/plain; charset=utf-8");
        resp.setContentLength(body.length);
        if (!"HEAD".equals(req.getMethod())) resp.getOutputStream().write(body);
    }
}
