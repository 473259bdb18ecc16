package org.vellum.dspace;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in for DSpace's {@code GET /server/api/core/bitstreams/{uuid}/content} on loopback, answering as
 * BitstreamRestController does: Content-Type, Content-Length, ETag (the checksum), Accept-Ranges and 206 for a
 * Range, 404 for an unknown bitstream, 401 without and 403 with the wrong credentials for a restricted one.
 */
final class FakeDspaceRest implements AutoCloseable {
    /** @param token null: public; else the Bearer token or dsAuthorization cookie value that may read it */
    record Content(byte[] bytes, String checksum, String token) {
    }

    private final HttpServer server;
    final Map<UUID, Content> contents = new ConcurrentHashMap<>();
    /** "GET uuid full|range" per request */
    final List<String> requests = new CopyOnWriteArrayList<>();
    /** "uuid Authorization Cookie" (null when absent) per request: the credentials DSpace was asked with */
    final List<String> credentials = new CopyOnWriteArrayList<>();

    FakeDspaceRest() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/server/api/core/bitstreams/", this::handle);
        server.start();
    }

    String serverUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/server";
    }

    long count(String what) {
        return requests.stream().filter(r -> r.endsWith(what)).count();
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String[] parts = x.getRequestURI().getPath().split("/");
            // /server/api/core/bitstreams/{uuid}/content
            if (parts.length != 7 || !"content".equals(parts[6])) {
                x.sendResponseHeaders(404, -1);
                return;
            }
            String range = x.getRequestHeaders().getFirst("Range");
            requests.add(x.getRequestMethod() + " " + parts[5] + " " + (range == null ? "full" : "range"));
            Content c;
            try {
                c = contents.get(UUID.fromString(parts[5]));
            } catch (IllegalArgumentException e) {
                c = null;
            }
            if (c == null) {
                x.sendResponseHeaders(404, -1);
                return;
            }
            String auth = x.getRequestHeaders().getFirst("Authorization");
            String cookie = x.getRequestHeaders().getFirst("Cookie");
            credentials.add(parts[5] + " " + auth + " " + cookie);
            if (c.token() != null) {
                if (auth == null && cookie == null) {
                    x.sendResponseHeaders(401, -1);
                    return;
                }
                if (!("Bearer " + c.token()).equals(auth) && !("dsAuthorization=" + c.token()).equals(cookie)) {
                    x.sendResponseHeaders(403, -1);
                    return;
                }
            }
            x.getResponseHeaders().add("Content-Type", "image/jp2");
            x.getResponseHeaders().add("ETag", "\"" + c.checksum() + "\"");
            x.getResponseHeaders().add("Accept-Ranges", "bytes");
            if (range != null && range.equals("bytes=0-0")) {
                x.getResponseHeaders().add("Content-Range", "bytes 0-0/" + c.bytes().length);
                x.sendResponseHeaders(206, 1);
                x.getResponseBody().write(c.bytes(), 0, 1);
                return;
            }
            x.sendResponseHeaders(200, c.bytes().length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(c.bytes());
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
