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

    private final String restUrl;
    private final HttpClient client;
    private final TtlCache<String, Integer> answers;

    FedoraForward(String restUrl, Duration ttl, int size) {
        this.restUrl = restUrl;
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.answers = new TtlCache<>(size, ttl, System::nanoTime);
    }

    /** Fedora's status for a HEAD on the resource with these credentials (null: none); 503 when Fedora is down. */
    int status(String id, String authorization) {
        String key = digest(authorization) + " " + id;
        Integer known = answers.get(key);
        if (known != null) return known;
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(id)).method("HEAD", HttpRequest.BodyPublishers
                .noBody()).timeout(Duration.ofSeconds(10));
        if (authorization != null) request.header("Authorization", authorization);
        int status;
        try {
            status = client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            LOG.warn("Fedora at {}: {}", restUrl, e.toString());
            return 503;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 503;
        }
        if (status >= 500) {
            LOG.warn("Fedora at {} answered {} for {}", restUrl, status, id);
            return 503;
        }
        if (status == 307 || status == 302 || status == 303) status = 200;   // a binary Fedora redirects to
        answers.put(key, status);
        return status;
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
