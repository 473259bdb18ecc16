package org.vellum.dspace;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.UUID;

import org.vellum.api.ImageNotFoundException;
import org.vellum.api.ResolverException;

/**
 * DSpace's REST API: {@code /api/core/bitstreams/{uuid}/content}, for bytes not on local disk and for READ checks.
 * Every request carries a Range header: BitstreamRestController counts each GET without one as a download in DSpace's
 * statistics, so neither a check nor a cache fill inflates them.
 */
final class DspaceRest {
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();

    private final String serverUrl;

    DspaceRest(String serverUrl) {
        this.serverUrl = serverUrl;
    }

    private URI content(UUID uuid) {
        return URI.create(serverUrl + "/api/core/bitstreams/" + uuid + "/content");
    }

    /**
     * Whether DSpace lets the holder of these credentials download the bitstream: 200 yes, 401 DSpace does not take the
     * token for a login, 403 no. A one-byte ranged GET of the content runs exactly DSpace's download authorisation
     * and, being ranged, is not counted as a view in DSpace's statistics.
     */
    int canRead(UUID uuid, Credentials credentials) throws ResolverException {
        HttpRequest.Builder b = HttpRequest.newBuilder().timeout(Duration.ofSeconds(10))
                .header("Range", "bytes=0-0").GET();
        b.uri(credentials.applyTo(b, content(uuid)));
        try {
            HttpResponse<InputStream> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            r.body().close();                       // a server ignoring Range must not make us read the whole file
            int s = r.statusCode();
            if (s == 200 || s == 206) return 200;
            if (s == 401 || s == 403) return s;         // 401: DSpace did not take the token for a login
            if (s == 404) return 403;
            throw new ResolverException(503, "DSpace answered " + s + " to an authorisation check");
        } catch (IOException e) {
            throw new ResolverException(503, "DSpace REST API unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ResolverException(503, "Interrupted");
        }
    }

    /**
     * The first {@code n} bytes of the content, asked for anonymously (a file's signature), or null when DSpace does
     * not give them.
     */
    byte[] head(UUID uuid, int n) throws ResolverException {
        HttpRequest r = HttpRequest.newBuilder(content(uuid)).timeout(Duration.ofSeconds(10))
                .header("Range", "bytes=0-" + (n - 1)).GET().build();
        try {
            HttpResponse<InputStream> response = CLIENT.send(r, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                int s = response.statusCode();
                return s == 200 || s == 206 ? body.readNBytes(n) : null;
            }
        } catch (IOException e) {
            throw new ResolverException(503, "DSpace REST API unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ResolverException(503, "Interrupted");
        }
    }

    /**
     * Downloads the content into {@code target} (written beside it first, then moved), checking its length; content
     * longer than {@code maxBytes} is refused (by its Content-Length before any byte is read, else while reading).
     * Asked as the range {@code bytes=0-} (the whole file, 206), so that DSpace does not count a download.
     */
    void download(UUID uuid, Credentials credentials, Path target, long maxBytes)
            throws ResolverException, ImageNotFoundException {
        HttpRequest.Builder b = HttpRequest.newBuilder().timeout(Duration.ofMinutes(10))
                .header("Range", "bytes=0-").GET();
        b.uri(credentials.applyTo(b, content(uuid)));
        Path part = target.resolveSibling(target.getFileName() + "." + Thread.currentThread().getId() + ".part");
        try {
            HttpResponse<InputStream> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            long expected;
            try (InputStream body = r.body()) {
                int s = r.statusCode();
                if (s == 404) throw new ImageNotFoundException("DSpace has no bitstream " + uuid);
                if (s == 401 || s == 403) throw new ResolverException(s, "DSpace refuses bitstream " + uuid);
                if (s != 200 && s != 206) {
                    throw new ResolverException(503, "DSpace answered " + s + " for bitstream " + uuid);
                }
                if (s == 206 && !whole(r.headers().firstValue("Content-Range").orElse(""))) {
                    throw new ResolverException(503, "DSpace sent part of bitstream " + uuid + " only");
                }
                expected = r.headers().firstValueAsLong("Content-Length").orElse(-1);
                if (expected > maxBytes) throw ContentCache.tooLarge(uuid, expected);
                try (var out = Files.newOutputStream(part)) {
                    byte[] buf = new byte[1 << 16];
                    long total = 0;
                    for (int n; (n = body.read(buf)) > 0; ) {
                        total += n;
                        if (total > maxBytes) throw ContentCache.tooLarge(uuid, total);
                        out.write(buf, 0, n);
                    }
                }
            }
            if (expected >= 0 && Files.size(part) != expected) {
                throw new ResolverException(503, "Incomplete download of bitstream " + uuid);
            }
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new ResolverException(503, "DSpace REST API unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ResolverException(503, "Interrupted");
        } finally {
            try {
                Files.deleteIfExists(part);
            } catch (IOException ignored) {
                // best effort: a stale .part is removed when the cache starts
            }
        }
    }

    /** {@code bytes 0-(n-1)/n}: the range is the whole file. */
    static boolean whole(String contentRange) {
        var m = java.util.regex.Pattern.compile("bytes 0-([0-9]+)/([0-9]+)").matcher(contentRange.trim());
        return m.matches() && Long.parseLong(m.group(1)) + 1 == Long.parseLong(m.group(2));
    }
}
