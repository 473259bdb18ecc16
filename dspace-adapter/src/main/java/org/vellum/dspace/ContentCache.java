package org.vellum.dspace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vellum.api.ImageNotFoundException;
import org.vellum.api.ResolverException;

/**
 * Bitstreams that are not on local disk (S3 stores), fetched once through REST and kept in a bounded folder, least
 * recently used out first. A file is named after the bitstream and its checksum, so new content gets a new file. The
 * bound holds strictly: a bitstream larger than the whole folder may hold is refused (503, with a warning naming
 * DSPACE_REST_CACHE_MB) rather than downloaded and kept beyond it.
 */
final class ContentCache {
    private static final Logger LOG = LoggerFactory.getLogger(ContentCache.class);

    private final Path dir;
    private final long maxBytes;
    private final DspaceRest rest;
    private final Map<String, Object> fills = new ConcurrentHashMap<>();
    /** file name to size, in access order */
    private final LinkedHashMap<String, Long> files = new LinkedHashMap<>(64, 0.75f, true);
    private long total;

    ContentCache(Path dir, long maxBytes, DspaceRest rest) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.maxBytes = maxBytes;
        this.rest = rest;
        try (Stream<Path> existing = Files.list(dir)) {
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

    /** The local copy of the bitstream, downloaded now if not yet held; {@code sizeBytes} is DSpace's (0: unknown). */
    Path get(UUID uuid, String checksum, long sizeBytes, Credentials credentials)
            throws ResolverException, ImageNotFoundException {
        if (sizeBytes > maxBytes) throw tooLarge(uuid, sizeBytes);
        String name = uuid + (checksum == null ? "" : "-" + checksum.replaceAll("[^0-9A-Za-z]", ""));
        Path file = dir.resolve(name);
        synchronized (this) {
            if (files.get(name) != null && Files.isRegularFile(file)) return file;
        }
        Object lock = fills.computeIfAbsent(name, k -> new Object());
        synchronized (lock) {                     // one download per bitstream; the others wait for it
            try {
                synchronized (this) {
                    if (files.get(name) != null && Files.isRegularFile(file)) return file;
                }
                rest.download(uuid, credentials, file, maxBytes);
                long size;
                try {
                    size = Files.size(file);
                } catch (IOException e) {
                    throw new ResolverException(503, "Cached copy of " + uuid + " vanished");
                }
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

    static ResolverException tooLarge(UUID uuid, long bytes) {
        LOG.warn("Bitstream {} ({} bytes) is larger than the whole REST cache (DSPACE_REST_CACHE_MB): not served",
                uuid, bytes);
        return new ResolverException(503, "Bitstream " + uuid + " is larger than this server's cache for DSpace files");
    }

    private void evict(String keep) {
        var it = files.entrySet().iterator();
        while (total > maxBytes && it.hasNext()) {
            var e = it.next();
            if (e.getKey().equals(keep)) continue;
            try {
                Files.deleteIfExists(dir.resolve(e.getKey()));   // an open decoder keeps reading the unlinked file
            } catch (IOException ex) {
                LOG.warn("Could not evict {}: {}", dir.resolve(e.getKey()), ex.toString());
            }
            total -= e.getValue();
            it.remove();
        }
    }

    synchronized long totalBytes() {
        return total;
    }
}
