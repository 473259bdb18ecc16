package org.vellum.fedora;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What was read from a file, kept while the file is unchanged: each use compares the file's modification time, size
 * and identity (inode) with those it had when it was read, so a file Fedora rewrites (an inventory, moved into place
 * by a rename) is read again and nothing is trusted past its change. Bounded, least recently used first out.
 */
final class FileCache<T> {
    /** Reads and parses the file. */
    @FunctionalInterface
    interface Reader<T> {
        T read(Path file) throws IOException;
    }

    private record Stamp(long modified, long size, Object key) {
        static Stamp of(BasicFileAttributes a) {
            return new Stamp(a.lastModifiedTime().toMillis(), a.size(), a.fileKey());
        }
    }

    private record Entry<T>(Stamp stamp, T value) {
    }

    private final Map<Path, Entry<T>> map;
    private final Reader<T> reader;
    private long reads;

    FileCache(int maxEntries, Reader<T> reader) {
        this.reader = reader;
        this.map = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Path, Entry<T>> eldest) {
                return size() > maxEntries;
            }
        };
    }

    /**
     * The file's parsed content, read again when it changed; null when the file does not exist or is not a regular
     * file (symbolic links are not followed).
     */
    T get(Path file) throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException gone) {
            remove(file);
            return null;
        }
        if (!a.isRegularFile()) return null;
        Stamp stamp = Stamp.of(a);
        synchronized (this) {
            Entry<T> e = map.get(file);
            if (e != null && e.stamp().equals(stamp)) return e.value();
        }
        T value = reader.read(file);
        synchronized (this) {
            reads++;
            map.put(file, new Entry<>(stamp, Objects.requireNonNull(value)));
        }
        return value;
    }

    synchronized void remove(Path file) {
        map.remove(file);
    }

    /** Files read (not answered from memory) so far. */
    synchronized long reads() {
        return reads;
    }
}
