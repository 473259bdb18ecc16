package org.vellum.http;

import java.io.IOException;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vellum.api.Caller;
import org.vellum.ops.VellumMetrics;
import org.vellum.pipeline.Answer;
import org.vellum.pipeline.HttpPolicy;
import org.vellum.pipeline.Representation;

/**
 * GET, HEAD and OPTIONS (and POST where the protocol takes it) for every protocol: the protocol turns the request into
 * an {@link Answer}, this writes it and counts it (protocol, kind, status, time, bytes). A bug becomes a plain 500,
 * never a stack trace in the body.
 */
public abstract class ProtocolServlet extends HttpServlet {
    private static final Logger LOG = LoggerFactory.getLogger(ProtocolServlet.class);
    /** What a request asked for, as the metrics count it. */
    protected static final String INFO = "info";
    protected static final String TILE = "tile";
    protected static final String REGION = "region";

    private final String protocol;
    private final HttpPolicy policy;
    private final VellumMetrics metrics;

    /** @param protocol the protocol's name in the metrics (iip, iiif, zoomify, deepzoom) */
    protected ProtocolServlet(String protocol, HttpPolicy policy, VellumMetrics metrics) {
        this.protocol = protocol;
        this.policy = policy;
        this.metrics = metrics;
    }

    protected abstract Answer answer(HttpServletRequest req, Caller caller);

    /** {@link #INFO}, {@link #TILE} or {@link #REGION}: read cheaply from the request, whatever its answer. */
    protected abstract String kind(HttpServletRequest req);

    /** The methods this endpoint takes, as OPTIONS and a 405 name them. */
    protected String methods() {
        return "GET, HEAD, OPTIONS";
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        long start = System.nanoTime();
        Caller caller = Callers.of(req);
        Answer a;
        try {
            a = answer(req, caller);
        } catch (RuntimeException | OutOfMemoryError e) {
            LOG.error("Bug while answering {}", caller.requestUri(), e);
            a = policy.render(Representation.text(500, "text/plain; charset=utf-8", "Internal error"), caller);
        }
        AnswerWriter.write(a, req, resp);
        boolean head = "HEAD".equals(req.getMethod());
        metrics.request(protocol, kind(req), a.status(), head ? 0 : a.body().length, System.nanoTime() - start);
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} {} -> {} ({} bytes, {} ms)", req.getMethod(), caller.requestUri(), a.status(),
                    a.body().length, (System.nanoTime() - start) / 1_000_000);
        }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (methods().contains("POST")) {
            doGet(req, resp);
            return;
        }
        Caller caller = Callers.of(req);
        AnswerWriter.write(policy.render(Representation.text(405, "text/plain; charset=utf-8",
                "Method not allowed\n").with("Allow", methods()), caller), req, resp);
    }

    @Override
    protected void doHead(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        doGet(req, resp);
    }

    @Override
    protected void doOptions(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        AnswerWriter.write(policy.preflight(methods(), Callers.of(req)), req, resp);
    }
}
