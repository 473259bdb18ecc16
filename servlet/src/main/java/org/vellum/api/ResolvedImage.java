package org.vellum.api;

import java.nio.file.Path;

/**
 * An identifier turned into a file, with what HTTP caching needs.
 *
 * @param identifier   as the client gave it
 * @param path         real path, inside the image root
 * @param lastModified file mtime in milliseconds
 * @param size         file size in bytes
 * @param personal     served only because of the caller's credentials: no shared cache may keep the answer
 */
public record ResolvedImage(String identifier, Path path, long lastModified, long size, boolean personal) {

    /** An image anyone may see. */
    public ResolvedImage(String identifier, Path path, long lastModified, long size) {
        this(identifier, path, lastModified, size, false);
    }

    /** Changes whenever the file is replaced or rewritten; a base for strong ETags. */
    public String fingerprint() {
        return Long.toHexString(size) + "-" + Long.toHexString(lastModified);
    }
}
