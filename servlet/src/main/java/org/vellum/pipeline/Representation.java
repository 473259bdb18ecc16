package org.vellum.pipeline;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a protocol renders: status, media type, body, and the headers its own specification prescribes (a
 * Content-Disposition, a Link, iipsrv's X-Powered-By). Everything else an answer carries (validators, caching, CORS,
 * auth challenges) is {@link HttpPolicy}'s.
 *
 * @param noCache the protocol prescribes {@code Cache-Control: no-cache} for this (error) body
 */
public record Representation(int status, String contentType, byte[] body, List<Header> headers, boolean noCache) {

    public Representation {
        headers = List.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    /** A 200 with this body. */
    public static Representation ok(String contentType, byte[] body) {
        return new Representation(200, contentType, body, List.of(), false);
    }

    public static Representation text(int status, String contentType, String body) {
        return new Representation(status, contentType, body.getBytes(StandardCharsets.UTF_8), List.of(), false);
    }

    /** The same with one more protocol header (none when {@code value} is null). */
    public Representation with(String name, String value) {
        if (value == null) return this;
        List<Header> more = new ArrayList<>(headers);
        more.add(new Header(name, value));
        return new Representation(status, contentType, body, more, noCache);
    }

    public Representation withNoCache() {
        return new Representation(status, contentType, body, headers, true);
    }

    public boolean success() {
        return status == 200;
    }
}
