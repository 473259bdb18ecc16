package org.vellum.http;

import java.util.function.Function;

/**
 * What a protocol may know of the HTTP request besides its path and query.
 *
 * @param method  GET, HEAD, ...
 * @param headers request header lookup by name (case-insensitive), null when absent
 * @param baseUri scheme://host[:port] the client used, after forwarding headers
 * @param requestUri path and query as received
 */
public record RequestContext(String method, Function<String, String> headers, String baseUri, String requestUri) {

    public String header(String name) {
        return headers.apply(name);
    }
}
