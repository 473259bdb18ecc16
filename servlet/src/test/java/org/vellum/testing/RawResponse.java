package org.vellum.testing;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An HTTP response exactly as it came off the wire: the status line, every header in the order received with
 * names and values untouched, and the body after de-chunking.
 */
public record RawResponse(String statusLine, int status, List<Header> headers, byte[] body) {

    public record Header(String name, String value) {
        @Override
        public String toString() {
            return name + ": " + value;
        }
    }

    public RawResponse {
        headers = List.copyOf(headers);
    }

    /** The first value of a header, name compared case-insensitively. */
    public Optional<String> header(String name) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).findFirst();
    }

    /** Every value of a header, in the order received. */
    public List<String> headerValues(String name) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).toList();
    }

    /** Header names in the order received. */
    public List<String> headerNames() {
        return headers.stream().map(Header::name).toList();
    }

    /** The body read as ISO-8859-1, so every byte maps to one char (CR and LF stay visible to assertions). */
    public String bodyText() {
        return new String(body, StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(statusLine).append('\n');
        headers.forEach(h -> sb.append(h).append('\n'));
        String type = header("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        sb.append('\n');
        if (type.startsWith("image/")) {
            sb.append('<').append(body.length).append(" bytes of ").append(type).append('>');
        } else {
            sb.append(ResponseDiff.escape(body, 0, Math.min(body.length, 600)));
            if (body.length > 600) {
                sb.append("… (").append(body.length).append(" bytes)");
            }
        }
        return sb.toString();
    }
}
