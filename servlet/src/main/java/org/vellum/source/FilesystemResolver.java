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
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vellum.api.Caller;
import org.vellum.api.ForbiddenPathException;
import org.vellum.api.ImageObject;
import org.vellum.api.ImageNotFoundException;
import org.vellum.api.ImageResolver;
import org.vellum.api.ImageSequence;
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
    private final String pattern;

    public FilesystemResolver(Path root, String suffix) {
        this(root, suffix, "_pyr_");
    }

    /** @param pattern iipsrv's FILENAME_PATTERN: an identifier naming no file names the sequence around it */
    public FilesystemResolver(Path root, String suffix, String pattern) {
        this.root = root.toAbsolutePath().normalize();
        Path real;
        try {
            real = this.root.toRealPath();
        } catch (IOException e) {
            real = this.root;
        }
        this.realRoot = real;
        this.suffix = suffix == null ? "" : suffix;
        this.pattern = pattern == null ? "" : pattern;
    }

    public Path root() {
        return root;
    }

    /**
     * The file {@code identifier} names, or else, as iipsrv does, the default view (000_090) of the image sequence it
     * names; a sequence member's own identifier ({@code <base><pattern>001_090.jp2}) is found without the suffix.
     */
    @Override
    public ResolvedImage resolve(String identifier) throws ImageNotFoundException, ForbiddenPathException {
        try {
            return file(identifier, suffix);
        } catch (ImageNotFoundException e) {
            if (!suffix.isEmpty() && isMember(identifier)) return file(identifier, "");
            ImageSequence sequence = sequence(identifier, null);
            if (sequence == null) throw e;
            ResolvedImage first = file(sequence.member(0, 90), "");
            return new ResolvedImage(identifier, first.path(), first.lastModified(), first.size());
        }
    }

    /**
     * iipsrv's image sequence: when {@code identifier} names no file but exactly one file
     * {@code <identifier><pattern>000_090.<ext>} exists, its views are the files of that name with other numbers.
     */
    @Override
    public ImageSequence sequence(String identifier, Caller caller) throws ImageNotFoundException,
            ForbiddenPathException {
        if (pattern.isEmpty() || identifier == null || identifier.isEmpty() || identifier.indexOf('\0') >= 0) {
            return null;
        }
        String relative = identifier.replace('\\', '/');
        while (relative.startsWith("/")) relative = relative.substring(1);
        if (relative.isEmpty() || relative.endsWith("/")) return null;
        try {
            file(identifier, suffix);
            return null;                                     // a file: a single image
        } catch (ImageNotFoundException e) {
            // not a file: perhaps a sequence
        }
        Path candidate;
        try {
            candidate = root.resolve(relative).normalize();
        } catch (InvalidPathException e) {
            return null;
        }
        if (!candidate.startsWith(root)) throw new ForbiddenPathException("Path outside the image root: " + identifier);
        if (candidate.equals(root)) return null;
        Path folder;
        try {
            folder = candidate.getParent().toRealPath();
        } catch (IOException | SecurityException e) {
            return null;
        }
        if (!folder.startsWith(realRoot)) throw new ForbiddenPathException("Path outside the image root: " + identifier);
        String prefix = candidate.getFileName() + pattern;
        Pattern member = Pattern.compile(Pattern.quote(prefix) + "(\\d{3,9})_(\\d{3,9})\\.([^./]+)");
        List<String[]> views = new ArrayList<>();
        try (var entries = Files.newDirectoryStream(folder)) {
            for (Path entry : entries) {
                Matcher m = member.matcher(entry.getFileName().toString());
                if (m.matches() && Files.isRegularFile(entry)) views.add(new String[] {m.group(1), m.group(2), m.group(3)});
            }
        } catch (IOException | SecurityException e) {
            LOG.warn("Folder {} cannot be listed: {}", folder, e.toString());
            return null;
        }
        List<String> extensions = views.stream().filter(v -> v[0].equals("000") && v[1].equals("090"))
                .map(v -> v[2]).toList();
        if (extensions.isEmpty()) return null;
        if (extensions.size() > 1) {
            throw new ImageNotFoundException("There are multiple file extensions matching " + identifier + pattern
                    + "000_090.*");
        }
        String extension = extensions.get(0);
        TreeSet<Integer> horizontal = new TreeSet<>();
        TreeSet<Integer> vertical = new TreeSet<>();
        for (String[] v : views) {
            if (!v[2].equals(extension)) continue;
            int h = Integer.parseInt(v[0]);
            int a = Integer.parseInt(v[1]);
            // only names iipsrv's %03d_%03d gives back: "0001_090" is no view
            if (!String.format(Locale.ROOT, "%03d_%03d", h, a).equals(v[0] + "_" + v[1])) continue;
            if (a == 90) horizontal.add(h);
            if (h == 0) vertical.add(a);
        }
        String base = root.relativize(candidate.getParent()).toString().replace('\\', '/');
        if (!base.isEmpty()) base += "/";
        return new ImageSequence(base + prefix, extension, List.copyOf(horizontal), List.copyOf(vertical));
    }

    private boolean isMember(String identifier) {
        return !pattern.isEmpty() && identifier != null
                && identifier.matches(".*" + Pattern.quote(pattern) + "\\d{3,9}_\\d{3,9}\\.[^./]+");
    }

    private ResolvedImage file(String identifier, String suffix) throws ImageNotFoundException,
            ForbiddenPathException {
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
