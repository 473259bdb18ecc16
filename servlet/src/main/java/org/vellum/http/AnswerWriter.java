package org.vellum.http;

import java.io.IOException;
import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.vellum.pipeline.Answer;
import org.vellum.pipeline.Header;

/** Writes an {@link Answer} to the servlet response; HEAD gets the headers only. */
final class AnswerWriter {
    private AnswerWriter() {
    }

    static void write(Answer a, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setStatus(a.status());
        for (Header h : a.headers()) {
            if (h.name().equalsIgnoreCase("Content-Type")) {
                resp.setContentType(h.value());
            } else {
                resp.addHeader(h.name(), h.value());
            }
        }
        if (a.status() == 304 || a.status() == 204) return;
        resp.setContentLength(a.body().length);
        if (!"HEAD".equals(req.getMethod().toUpperCase(Locale.ROOT))) {
            resp.getOutputStream().write(a.body());
        }
    }
}
