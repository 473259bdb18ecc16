package org.vellum.pipeline;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A complete HTTP answer: status, headers in order, body. The pipeline builds these; servlets write them. */
public final class Answer {
    private final int status;
    private final List<Header> headers = new ArrayList<>();
    private final byte[] body;

    public Answer(int status, byte[] body) {
        this.status = status;
        this.body = body == null ? new byte[0] : body;
    }

    /** A header line; a null value adds nothing. */
    public Answer header(String name, String value) {
        if (value != null) headers.add(new Header(name, value));
        return this;
    }

    public int status() {
        return status;
    }

    public List<Header> headers() {
        return List.copyOf(headers);
    }

    /** The first value of the named header, or null. */
    public String header(String name) {
        for (Header h : headers) if (h.name().equalsIgnoreCase(name)) return h.value();
        return null;
    }

    public byte[] body() {
        return body;
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
