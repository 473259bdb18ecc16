package org.vellum.api;

import java.util.function.Function;

/**
 * Who asks, as far as an image server can tell: the request's headers (a resolver may check the credentials they
 * carry), the address the client used, and the request line.
 *
 * @param method     GET, HEAD, ...
 * @param headers    request header lookup by name (case-insensitive), null when absent
 * @param baseUri    scheme://host[:port] the client used, after forwarding headers
 * @param requestUri path and query as received
 */
public record Caller(String method, Function<String, String> headers, String baseUri, String requestUri) {

    /** A caller with no headers, for work the server does on its own (warm-up, tests). */
    public static Caller anonymous() {
        return new Caller("GET", name -> null, "", "");
    }

    public String header(String name) {
        return headers.apply(name);
    }
}
