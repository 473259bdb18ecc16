package org.vellum.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

import org.vellum.api.ForbiddenPathException;
import org.vellum.api.ImageNotFoundException;
import org.vellum.api.ImageResolver;
import org.vellum.api.ResolvedImage;

/**
 * iipsrv's FILESYSTEM_PREFIX + identifier + FILESYSTEM_SUFFIX, confined to the prefix folder: {@code ..},
 * absolute paths and symbolic links that lead out of it are refused, whatever their encoding was.
 */
public final class FilesystemResolver implements ImageResolver {
    private final Path root;
    private final Path realRoot;
    private final String suffix;

    public FilesystemResolver(Path root, String suffix) {
        this.root = root.toAbsolutePath().normalize();
        Path real;
        try {
            real = this.root.toRealPath();
        } catch (IOException e) {
            real = this.root;
        }
        this.realRoot = real;
        this.suffix = suffix == null ? "" : suffix;
    }

    public Path root() {
        return root;
    }

    @Override
    public ResolvedImage resolve(String identifier) throws ImageNotFoundException, ForbiddenPathException {
        if (identifier == null || identifier.isEmpty() || identifier.indexOf('\0') >= 0) {
            throw new ImageNotFoundException(identifier + " is neither a file nor part of an image sequence");
        }
        String relative = identifier.replace('\\', '/');
        while (relative.startsWith("/")) relative = relative.substring(1);   // iipsrv concatenates, so "/x" is "x"
        Path candidate;
        try {
            candidate = root.resolve(relative + suffix).normalize();
        } catch (InvalidPathException e) {
            throw new ImageNotFoundException(identifier + " is neither a file nor part of an image sequence");
        }
        if (!candidate.startsWith(root)) {
            throw new ForbiddenPathException("Path outside the image root: " + identifier);
        }
        Path real;
        BasicFileAttributes attributes;
        try {
            real = candidate.toRealPath();
            attributes = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | SecurityException e) {
            throw new ImageNotFoundException(identifier + " is neither a file nor part of an image sequence");
        }
        if (!real.startsWith(realRoot)) {
            throw new ForbiddenPathException("Path outside the image root: " + identifier);
        }
        if (!attributes.isRegularFile() || !Files.isReadable(real)) {
            throw new ImageNotFoundException(identifier + " is neither a file nor part of an image sequence");
        }
        return new ResolvedImage(identifier, real, attributes.lastModifiedTime().toMillis(), attributes.size());
    }
}
