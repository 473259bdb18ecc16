package org.vellum.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.vellum.config.Settings;
import org.vellum.server.EmbeddedServer;
import org.vellum.source.FilesystemResolver;
import org.vellum.api.ImageResolver;

/** Real HTTP over loopback to an embedded server. */
public final class Http implements AutoCloseable {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final EmbeddedServer server;

    public Http(Settings settings) {
        this(settings, new FilesystemResolver(settings.filesystemPrefix(), settings.filesystemSuffix(),
                settings.filenamePattern()));
    }

    /** A server whose identifiers go to {@code resolver} (a repository adapter under test). */
    public Http(Settings settings, ImageResolver resolver) {
        try {
            this.server = EmbeddedServer.start(settings, resolver, "127.0.0.1", 0, "x.jp2");
        } catch (Exception e) {
            throw new IllegalStateException("server did not start", e);
        }
    }

    public EmbeddedServer server() {
        return server;
    }

    public HttpResponse<byte[]> get(String pathAndQuery, String... headers) {
        return send("GET", pathAndQuery, headers);
    }

    public HttpResponse<byte[]> send(String method, String pathAndQuery, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + pathAndQuery))
                .timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i + 1 < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        try {
            return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + pathAndQuery, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The body of a GET that must answer 200; the assertion names the path and shows the answer's text. */
    public byte[] ok(String pathAndQuery) {
        HttpResponse<byte[]> r = get(pathAndQuery);
        org.junit.jupiter.api.Assertions.assertEquals(200, r.statusCode(), pathAndQuery + ": " + text(r));
        return r.body();
    }

    public static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    public static String header(HttpResponse<byte[]> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
