package org.vellum.testing;

import java.io.IOException;
import java.net.InetSocketAddress;

import com.sun.net.httpserver.HttpServer;

/**
 * Pages for a browser test on a loopback origin other than Vellum's (as a viewer's site is): each path is answered by
 * {@code route}, and a path it has no page for ({@code null}) is a 404.
 */
public final class PageServer implements AutoCloseable {
    /** What a path serves. */
    public record Page(byte[] body, String type) {
    }

    /** The page for a request path, or null. */
    @FunctionalInterface
    public interface Route {
        Page page(String path) throws IOException;
    }

    private final HttpServer server;

    private PageServer(HttpServer server) {
        this.server = server;
    }

    public static PageServer start(Route route) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            Page page = route.page(exchange.getRequestURI().getPath());
            if (page == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.getResponseHeaders().set("Content-Type", page.type());
                exchange.sendResponseHeaders(200, page.body().length);
                exchange.getResponseBody().write(page.body());
            }
            exchange.close();
        });
        server.start();
        return new PageServer(server);
    }

    /** {@code http://127.0.0.1:<port>} */
    public String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
