package org.vellum.fedora;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fedora's own answer about a caller: a HEAD on the binary at Fedora's REST API with the caller's
 * {@code Authorization} header (Islandora's JWT, or Basic), whatever Fedora enforces there (WebAC, a JWT valve).
 * Answers are reused for a short while per caller and binary; the caller's credentials are kept only as a digest.
 */
final class FedoraForward {
    private static final Logger LOG = LoggerFactory.getLogger(FedoraForward.class);

    /**
     * Fedora's answer to a HEAD: its status (503 when Fedora cannot be reached), and for a 200 the binary's version
     * (ETag, else null), length (-1: unknown) and Last-Modified (null when absent).
     */
    record Answer(int status, String etag, long length, String lastModified) {
        static Answer of(int status) {
            return new Answer(status, null, -1, null);
        }
    }

    private final String restUrl;
    private final HttpClient client;
    private final TtlCache<String, Answer> answers;

    FedoraForward(String restUrl, Duration ttl, int size) {
        this.restUrl = restUrl;
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.answers = new TtlCache<>(size, ttl, System::nanoTime);
    }

    HttpClient client() {
        return client;
    }

    /** Fedora's status for a HEAD on the resource with these credentials (null: none); 503 when Fedora is down. */
    int status(String id, String authorization) {
        return head(id, authorization).status();
    }

    /** Fedora's answer to a HEAD on the resource with these credentials (null: none), reused for a short while. */
    Answer head(String id, String authorization) {
        String key = digest(authorization) + " " + id;
        Answer known = answers.get(key);
        if (known != null) return known;
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(id)).method("HEAD", HttpRequest.BodyPublishers
                .noBody()).timeout(Duration.ofSeconds(10));
        if (authorization != null) request.header("Authorization", authorization);
        HttpResponse<Void> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            LOG.warn("Fedora at {}: {}", restUrl, e.toString());
            return Answer.of(503);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Answer.of(503);
        }
        int status = response.statusCode();
        if (status >= 500) {
            LOG.warn("Fedora at {} answered {} for {}", restUrl, status, id);
            return Answer.of(503);
        }
        if (status == 307 || status == 302 || status == 303) status = 200;   // a binary Fedora redirects to
        var h = response.headers();
        Answer answer = new Answer(status, h.firstValue("ETag").orElse(null),
                h.firstValueAsLong("Content-Length").orElse(-1), h.firstValue("Last-Modified").orElse(null));
        answers.put(key, answer);
        return answer;
    }

    /** Forgets what Fedora said about the resource (its content changed while it was fetched). */
    void forget(String id, String authorization) {
        answers.remove(digest(authorization) + " " + id);
    }

    /** The resource's URI: the REST root and the id's path, each segment percent-encoded. */
    URI uri(String id) {
        StringBuilder b = new StringBuilder(restUrl);
        String path = id.equals(FedoraResource.ROOT) ? "" : id.substring(FedoraResource.ROOT.length() + 1);
        for (String segment : path.split("/")) {
            b.append('/');
            for (byte c : segment.getBytes(StandardCharsets.UTF_8)) {
                int ch = c & 0xff;
                if (ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9'
                        || "-._~!$&'()*+,;=:@".indexOf(ch) >= 0) {
                    b.append((char) ch);
                } else {
                    b.append('%').append(HexFormat.of().withUpperCase().toHexDigits((byte) ch));
                }
            }
        }
        return URI.create(b.toString());
    }

    private static String digest(String authorization) {
        if (authorization == null) return "-";
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(authorization.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
