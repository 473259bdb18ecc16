package org.vellum.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vellum.api.Caller;
import org.vellum.api.ForbiddenPathException;
import org.vellum.api.ImageObject;
import org.vellum.api.ImageNotFoundException;
import org.vellum.api.ImageResolver;
import org.vellum.api.ResolvedImage;

/**
 * iipsrv's FILESYSTEM_PREFIX + identifier + FILESYSTEM_SUFFIX, confined to the prefix folder: {@code ..},
 * absolute paths and symbolic links that lead out of it are refused, whatever their encoding was.
 *
 * <p>A folder is an object: its pages are its JPEG 2000 files (by extension, or by FILESYSTEM_SUFFIX when one is set)
 * in {@link NaturalOrder}, described by its {@link Sidecar}; its members are its sub-folders that hold pages or
 * folders. Listings are kept while the folder's and the sidecar's mtimes stay the same.
 */
public final class FilesystemResolver implements ImageResolver {
    private static final Logger LOG = LoggerFactory.getLogger(FilesystemResolver.class);
    private static final Set<String> JPEG2000 = Set.of("jp2", "jpx", "jpf", "jph", "j2k", "j2c", "jpc");
    private static final int LISTINGS = 512;

    private record Listing(long folderModified, long sidecarModified, ImageObject object) {
    }

    private final Map<Path, Listing> listings = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Path, Listing> eldest) {
            return size() > LISTINGS;
        }
    };
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

    /**
     * The folder {@code identifier} names ("" or "/": the image folder itself) as an object. The same confinement as
     * {@link #resolve}: nothing outside the image folder, through {@code ..} or a link, is listed.
     */
    @Override
    public ImageObject object(String identifier, Caller caller) throws ImageNotFoundException, ForbiddenPathException {
        String relative = identifier == null ? "" : identifier.replace('\\', '/');
        while (relative.startsWith("/")) relative = relative.substring(1);
        while (relative.endsWith("/")) relative = relative.substring(0, relative.length() - 1);
        if (relative.indexOf('\0') >= 0) throw new ImageNotFoundException(identifier + " is not a folder");
        Path candidate;
        try {
            candidate = root.resolve(relative).normalize();
        } catch (InvalidPathException e) {
            throw new ImageNotFoundException(identifier + " is not a folder");
        }
        if (!candidate.startsWith(root)) throw new ForbiddenPathException("Path outside the image root: " + identifier);
        Path real;
        long folderModified;
        try {
            real = candidate.toRealPath();
            BasicFileAttributes a = Files.readAttributes(real, BasicFileAttributes.class);
            if (!a.isDirectory()) throw new ImageNotFoundException(identifier + " is not a folder");
            folderModified = a.lastModifiedTime().toMillis();
        } catch (IOException | SecurityException e) {
            throw new ImageNotFoundException(identifier + " is not a folder");
        }
        if (!real.startsWith(realRoot)) throw new ForbiddenPathException("Path outside the image root: " + identifier);
        Path sidecarFile = real.resolve(Sidecar.NAME);
        long sidecarModified = modified(sidecarFile);
        synchronized (listings) {
            Listing l = listings.get(real);
            if (l != null && l.folderModified() == folderModified && l.sidecarModified() == sidecarModified) {
                return l.object();
            }
        }
        String id = root.relativize(candidate).toString().replace('\\', '/');
        Sidecar sidecar = sidecarModified < 0 ? Sidecar.NONE : Sidecar.read(sidecarFile);
        List<String> pageNames = new ArrayList<>();
        List<ImageObject.Member> members = new ArrayList<>();
        try (var entries = Files.newDirectoryStream(real)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.startsWith(".")) continue;
                Kind kind = kind(entry);
                if (kind == Kind.PAGE) {
                    pageNames.add(name);
                } else if (kind == Kind.FOLDER) {
                    Kind inside = contents(entry);
                    if (inside != null) {
                        members.add(new ImageObject.Member(join(id, name), name, inside == Kind.FOLDER));
                    }
                }
            }
        } catch (IOException | SecurityException e) {
            LOG.warn("Folder {} cannot be listed: {}", real, e.toString());
            throw new ImageNotFoundException(identifier + " cannot be listed");
        }
        pageNames.sort(NaturalOrder.INSTANCE);
        members.sort((a, b) -> NaturalOrder.INSTANCE.compare(a.label(), b.label()));
        List<ImageObject.Page> pages = new ArrayList<>(pageNames.size());
        for (String name : pageNames) {
            String page = name.substring(0, name.length() - suffix.length());
            pages.add(new ImageObject.Page(join(id, page), sidecar.pageLabels().get(name)));
        }
        String label = sidecar.title() != null ? sidecar.title()
                : id.isEmpty() ? String.valueOf(root.getFileName()) : candidate.getFileName().toString();
        ImageObject object = new ImageObject(id, label, pages, members, sidecar.description(),
                Math.max(folderModified, sidecarModified),
                Long.toHexString(folderModified) + "-" + Long.toHexString(sidecarModified), false);
        synchronized (listings) {
            listings.put(real, new Listing(folderModified, sidecarModified, object));
        }
        return object;
    }

    private enum Kind { PAGE, FOLDER, OTHER }

    /** A page, a folder inside the root (links followed only when they stay inside), or anything else. */
    private Kind kind(Path entry) {
        try {
            BasicFileAttributes a = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (a.isSymbolicLink()) {
                if (!entry.toRealPath().startsWith(realRoot)) return Kind.OTHER;
                a = Files.readAttributes(entry, BasicFileAttributes.class);
            }
            if (a.isDirectory()) return Kind.FOLDER;
            if (a.isRegularFile() && isImageName(entry.getFileName().toString())) return Kind.PAGE;
        } catch (IOException | SecurityException e) {
            LOG.warn("{} cannot be read: {}", entry, e.toString());
        }
        return Kind.OTHER;
    }

    /** PAGE: the folder holds pages (an object); FOLDER: only folders (a collection); null: neither. */
    private Kind contents(Path folder) {
        boolean folders = false;
        try (var entries = Files.newDirectoryStream(folder)) {
            for (Path entry : entries) {
                if (entry.getFileName().toString().startsWith(".")) continue;
                Kind k = kind(entry);
                if (k == Kind.PAGE) return Kind.PAGE;
                if (k == Kind.FOLDER) folders = true;
            }
        } catch (IOException | SecurityException e) {
            LOG.warn("Folder {} cannot be listed: {}", folder, e.toString());
        }
        return folders ? Kind.FOLDER : null;
    }

    private boolean isImageName(String name) {
        if (!suffix.isEmpty()) return name.endsWith(suffix) && name.length() > suffix.length();
        int dot = name.lastIndexOf('.');
        return dot > 0 && JPEG2000.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static String join(String folder, String name) {
        return folder.isEmpty() ? name : folder + "/" + name;
    }

    /** Milliseconds, or -1 when there is no such file. */
    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException | SecurityException e) {
            return -1;
        }
    }
}
