package org.vellum.fedora;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vellum.api.ImageNotFoundException;
import org.vellum.api.ResolverException;

/**
 * Binaries Vellum cannot read where they lie (Fedora on {@code ocfl-s3}, or on another host): fetched through Fedora's
 * REST API in range requests of a bounded size, each conditional on the version the HEAD named ({@code If-Range}
 * with its strong ETag), into a bounded folder, least recently used out first. A file is named after the resource
 * and its version (ETag, else Last-Modified and length), so a new version is a new file and an unchanged one is never
 * fetched twice. The first bytes are checked as they arrive: what is not a JPEG 2000 is not fetched further.
 */
final class FedoraFetch {
    private static final Logger LOG = LoggerFactory.getLogger(FedoraFetch.class);
    private static final byte[] JP2 = {0, 0, 0, 0x0C, 'j', 'P', ' ', ' ', 0x0D, 0x0A, (byte) 0x87, 0x0A};
    private static final byte[] J2K = {(byte) 0xFF, 0x4F, (byte) 0xFF, 0x51};
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
    static final int CHUNK = 8 << 20;

    private final Path dir;
    private final long maxBytes;
    private final HttpClient client;
    private final int chunk;
    private final Map<String, Object> fills = new ConcurrentHashMap<>();
    /** file name to size, in access order */
    private final LinkedHashMap<String, Long> files = new LinkedHashMap<>(64, 0.75f, true);
    private long total;

    FedoraFetch(Path dir, long maxBytes, HttpClient client, int chunk) throws IOException {
        this.dir = Files.createDirectories(dir).toRealPath();
        this.maxBytes = maxBytes;
        this.client = client;
        this.chunk = chunk;
        try (Stream<Path> existing = Files.list(this.dir)) {
            for (Path p : (Iterable<Path>) existing::iterator) {
                String name = p.getFileName().toString();
                if (name.endsWith(".part")) {
                    Files.deleteIfExists(p);
                } else if (Files.isRegularFile(p)) {
                    long size = Files.size(p);
                    files.put(name, size);
                    total += size;
                }
            }
        }
    }

    /** The local copy of the resource's version Fedora's HEAD named, fetched now if not yet held. */
    Path get(URI uri, String id, FedoraForward.Answer head, String authorization) throws ResolverException,
            ImageNotFoundException {
        if (head.length() > maxBytes) throw tooLarge(id, head.length());
        String version = head.etag() != null ? head.etag() : head.lastModified() + "/" + head.length();
        String name = hex(id).substring(0, 32) + "-" + hex(version).substring(0, 16);
        Path file = dir.resolve(name);
        synchronized (this) {
            if (files.get(name) != null && Files.isRegularFile(file)) return file;
        }
        Object lock = fills.computeIfAbsent(name, k -> new Object());
        synchronized (lock) {                     // one download per version; the others wait for it
            try {
                synchronized (this) {
                    if (files.get(name) != null && Files.isRegularFile(file)) return file;
                }
                long size = download(uri, id, head, authorization, file);
                synchronized (this) {
                    Long old = files.put(name, size);
                    total += size - (old == null ? 0 : old);
                    evict(name);
                }
                return file;
            } finally {
                fills.remove(name);
            }
        }
    }

    private long download(URI uri, String id, FedoraForward.Answer head, String authorization, Path file)
            throws ResolverException, ImageNotFoundException {
        Path part = file.resolveSibling(file.getFileName() + "." + Thread.currentThread().getId() + ".part");
        String strongEtag = head.etag() != null && !head.etag().startsWith("W/") ? head.etag() : null;
        long length = head.length();
        long offset = 0;
        try (OutputStream out = Files.newOutputStream(part)) {
            while (length < 0 || offset < length) {
                long last = offset + chunk - 1;
                if (length >= 0) last = Math.min(last, length - 1);
                HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                        .header("Range", "bytes=" + offset + "-" + last);
                if (strongEtag != null) request.header("If-Range", strongEtag);
                if (authorization != null) request.header("Authorization", authorization);
                HttpResponse<InputStream> r = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream body = r.body()) {
                    int status = r.statusCode();
                    if (status == 401 || status == 403) throw new ResolverException(status, "Fedora refused " + id);
                    if (status == 404 || status == 410) throw new ImageNotFoundException("No binary in Fedora: " + id);
                    boolean whole = status == 200;
                    if (whole) {
                        // Range ignored, or (If-Range) the binary changed since the HEAD: a whole body is usable
                        // only from the start and only if it is still the version asked for
                        String etag = r.headers().firstValue("ETag").orElse(null);
                        if (offset > 0 || strongEtag != null && !strongEtag.equals(etag)) {
                            throw new ResolverException(503, "Fedora's binary " + id + " changed while fetched");
                        }
                    } else if (status == 206) {
                        Matcher m = CONTENT_RANGE.matcher(r.headers().firstValue("Content-Range").orElse(""));
                        if (!m.matches() || Long.parseLong(m.group(1)) != offset) {
                            throw new ResolverException(503, "Fedora answered a range other than asked for " + id);
                        }
                        if (!m.group(3).equals("*")) length = Long.parseLong(m.group(3));
                    } else {
                        throw new ResolverException(503, "Fedora answered " + status + " fetching " + id);
                    }
                    if (length > maxBytes) throw tooLarge(id, length);
                    if (offset == 0) {
                        byte[] start = body.readNBytes(JP2.length);
                        if (!jpeg2000(start)) throw new ImageNotFoundException(id + " is not a JPEG 2000");
                        out.write(start);
                        offset += start.length;
                    }
                    long copied = copy(body, out, whole ? maxBytes - offset : last + 1 - offset);
                    offset += copied;
                    if (whole) {
                        if (length >= 0 && offset != length) throw new ResolverException(503, "Fedora's binary "
                                + id + " ended early");
                        length = offset;
                    } else if (copied == 0) {
                        throw new ResolverException(503, "Fedora's binary " + id + " ended early");
                    }
                }
            }
        } catch (IOException e) {
            LOG.warn("Fetching {} from Fedora: {}", uri, e.toString());
            deleteQuietly(part);
            throw new ResolverException(503, "Fedora's binary " + id + " could not be fetched");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            deleteQuietly(part);
            throw new ResolverException(503, "Interrupted");
        } catch (ResolverException | ImageNotFoundException e) {
            deleteQuietly(part);
            throw e;
        }
        try {
            Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            deleteQuietly(part);
            throw new ResolverException(503, "Fedora's binary " + id + " could not be kept");
        }
        return length;
    }

    /** Copies at most {@code limit} bytes; the count copied. */
    private static long copy(InputStream in, OutputStream out, long limit) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long n = 0;
        while (n < limit) {
            int r = in.read(buffer, 0, (int) Math.min(buffer.length, limit - n));
            if (r < 0) break;
            out.write(buffer, 0, r);
            n += r;
        }
        return n;
    }

    private static boolean jpeg2000(byte[] head) {
        return head.length == JP2.length && Arrays.equals(head, JP2)
                || head.length >= J2K.length && Arrays.equals(Arrays.copyOf(head, J2K.length), J2K);
    }

    private ResolverException tooLarge(String id, long bytes) {
        LOG.warn("Fedora binary {} ({} bytes) is larger than the whole fetch folder (FEDORA_FETCH_MB): not served",
                id, bytes);
        return new ResolverException(503, "Fedora binary " + id + " is larger than this server's cache for it");
    }

    private void evict(String keep) {
        var it = files.entrySet().iterator();
        while (total > maxBytes && it.hasNext()) {
            var e = it.next();
            if (e.getKey().equals(keep)) continue;
            deleteQuietly(dir.resolve(e.getKey()));        // an open decoder keeps reading the unlinked file
            total -= e.getValue();
            it.remove();
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warn("Could not delete {}: {}", p, e.toString());
        }
    }

    private static String hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    synchronized long totalBytes() {
        return total;
    }
}
