package org.vellum.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A complete HTTP answer: status, headers in order, body. Protocols build these; servlets write them. */
public final class Response {
    private final int status;
    private final List<String[]> headers = new ArrayList<>();
    private final byte[] body;

    public Response(int status, byte[] body) {
        this.status = status;
        this.body = body == null ? new byte[0] : body;
    }

    public static Response text(int status, String contentType, String body) {
        Response r = new Response(status, body.getBytes(StandardCharsets.UTF_8));
        if (contentType != null) r.header("Content-Type", contentType);
        return r;
    }

    public Response header(String name, String value) {
        if (value != null) headers.add(new String[] {name, value});
        return this;
    }

    public int status() {
        return status;
    }

    public List<String[]> headers() {
        return headers;
    }

    public String header(String name) {
        for (String[] h : headers) if (h[0].equalsIgnoreCase(name)) return h[1];
        return null;
    }

    public byte[] body() {
        return body;
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
