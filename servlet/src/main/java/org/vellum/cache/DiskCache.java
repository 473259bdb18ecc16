package org.vellum.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encoded images as files below one folder (DISK_CACHE_DIR), which several nodes may share (a local disk, NFS). Nothing
 * about the entries is kept in memory: a file's name is its key, so a new process, or another node, finds what was
 * written before.
 *
 * <ul>
 * <li>A file appears whole or not at all: it is written under a unique temporary name in its final folder and renamed
 * over the final name atomically; two nodes writing the same key write the same bytes, the last rename wins.</li>
 * <li>A header (magic, format version, payload length, CRC-32 of the payload) makes a cut or damaged file a miss, which
 * the next production rewrites; such a file is never served.</li>
 * <li>The folder stays within DISK_CACHE_SIZE: one daemon thread scans it (at start, at least every few minutes to see
 * other nodes' writes, and as soon as this node's writes pass the limit) and deletes the least recently used files
 * down to 90 % of it. Recency is the file's mtime, set again by a hit at most once a minute, so every node sees the
 * same order. Only files named as entries are counted or deleted, so a wrongly set folder loses nothing else.</li>
 * <li>Disk failures (full, read-only, gone) are a miss or a skipped write, never a failed request, and are logged at
 * warn at most once a minute; files vanishing under a scan (another node evicted them) are expected.</li>
 * </ul>
 */
public final class DiskCache implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DiskCache.class);
    /** "VLDC": Vellum disk cache. */
    static final int MAGIC = 0x564C4443;
    static final int FORMAT = 1;
    static final int HEADER = 16;
    /** A hit sets the mtime again only when it is older than this, so hot files cost no write each time. */
    static final long TOUCH_MILLIS = 60_000;
    /** Eviction goes this far below the limit, so the next few writes do not start it again. */
    static final double LOW_WATER = 0.9;
    /** Other nodes' writes are seen only by scanning the folder. */
    static final long RESCAN_MILLIS = 5 * 60_000;
    /** A temporary file this old was left by a writer that died before renaming it. */
    static final long STALE_TEMP_MILLIS = 3_600_000;
    static final long WARN_MILLIS = 60_000;
    static final long CLOSE_WAIT_MILLIS = 10_000;
    /** OutputCache's keys: a version prefix and a SHA-256 in hex; the prefix stays in the file name. */
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9]+:[0-9a-f]{64}");
    private static final Pattern ENTRY = Pattern.compile("[A-Za-z0-9]+-[0-9a-f]{64}");
    private static final Pattern TEMP = Pattern.compile("[A-Za-z0-9]+-[0-9a-f]{64}\\.[0-9a-z-]+\\.tmp");
    private static final Pattern FAN = Pattern.compile("[0-9a-f]{2}");
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    /**
     * @param hits      answered from a file
     * @param misses    no file, or one that was cut, damaged or could not be read
     * @param writes    files written (renamed into place) by this node
     * @param bytes     bytes in the folder as this node counts them: the last scan plus its own writes since
     * @param evictions files this node deleted to stay within the limit
     * @param errors    files that could not be read or written, or were found damaged
     */
    public record Stats(long hits, long misses, long writes, long bytes, long evictions, long errors) {
        public static final Stats NONE = new Stats(0, 0, 0, 0, 0, 0);
    }

    private final Path dir;
    private final long limit;
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();
    private long bytes;                                          // guarded by this
    private long written;                                        // guarded by this: all bytes this node wrote
    private final AtomicLong evictions = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong lastWarning = new AtomicLong();
    private final Object wake = new Object();
    private boolean overLimit;                                   // guarded by wake
    private volatile boolean closed;
    private final Thread evictor;

    private DiskCache(Path dir, long limit) {
        this.dir = dir;
        this.limit = limit;
        this.evictor = new Thread(this::evictLoop, "vellum-disk-cache-" + INSTANCES.incrementAndGet());
        evictor.setDaemon(true);
        evictor.setContextClassLoader(null);                   // pins nothing of a bundle or web application
    }

    /** A cache in {@code folder} holding up to {@code limitBytes}, its eviction thread started. */
    public static DiskCache open(Path folder, long limitBytes) {
        DiskCache cache = new DiskCache(folder.toAbsolutePath().normalize(), limitBytes);
        try {
            Files.createDirectories(cache.dir);
        } catch (IOException e) {
            cache.warn("cannot create", cache.dir, e);           // it may be mounted later; until then every get misses
        }
        LOG.info("Disk cache of encoded images in {}, up to {} bytes ({} MB of 1024000 bytes)", cache.dir, limitBytes,
                limitBytes / 1_024_000);
        cache.evictor.start();
        return cache;
    }

    /** As DISK_CACHE_DIR and DISK_CACHE_SIZE say: null when the folder is empty or the size 0. */
    public static DiskCache of(String folder, long limitBytes) {
        if (folder == null || folder.isBlank() || limitBytes <= 0) return null;
        return open(Path.of(folder.trim()), limitBytes);
    }

    /** The image stored under {@code key}, or null when there is no whole, intact file for it. */
    public byte[] get(String key) {
        Path file = fileOf(key);
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            byte[] value = read(in, file);
            if (value == null) {
                misses.incrementAndGet();
                return null;
            }
            touch(file);
            hits.incrementAndGet();
            return value;
        } catch (NoSuchFileException e) {
            misses.incrementAndGet();
            return null;
        } catch (IOException e) {
            warn("cannot read", file, e);
            errors.incrementAndGet();
            misses.incrementAndGet();
            return null;
        }
    }

    /** The payload, or null (logged) when the header does not match the file. */
    private byte[] read(FileChannel in, Path file) throws IOException {
        long size = in.size();
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        if (size < HEADER || !readFully(in, header)) return damaged(file, "shorter than its header");
        header.flip();
        if (header.getInt() != MAGIC || header.getInt() != FORMAT) return damaged(file, "not an entry of this format");
        int length = header.getInt();
        int crc = header.getInt();
        if (length < 0 || size != HEADER + (long) length) return damaged(file, size + " bytes for " + length);
        byte[] value = new byte[length];
        if (!readFully(in, ByteBuffer.wrap(value))) return damaged(file, "cut short while reading");
        if (crc32(value) != crc) return damaged(file, "checksum differs");
        return value;
    }

    private byte[] damaged(Path file, String why) {
        errors.incrementAndGet();
        warn("ignoring a damaged entry (" + why + ")", file, null);
        return null;
    }

    private static boolean readFully(FileChannel in, ByteBuffer into) throws IOException {
        while (into.hasRemaining()) {
            if (in.read(into) < 0) return false;
        }
        return true;
    }

    /** The file's mtime is the recency every node's eviction reads. */
    private void touch(Path file) {
        try {
            long now = System.currentTimeMillis();
            if (now - Files.getLastModifiedTime(file).toMillis() > TOUCH_MILLIS) {
                Files.setLastModifiedTime(file, FileTime.fromMillis(now));
            }
        } catch (IOException e) {
            LOG.debug("disk cache: cannot touch {}: {}", file, e.toString());   // evicted meanwhile, or read-only
        }
    }

    /** Stores {@code value} under {@code key}; quietly (but logged) does nothing if it cannot. */
    public void put(String key, byte[] value) {
        Path file = fileOf(key);
        Path temp = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + "-"
                + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36) + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel out = FileChannel.open(temp, EnumSet.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE))) {
                ByteBuffer header = ByteBuffer.allocate(HEADER).putInt(MAGIC).putInt(FORMAT).putInt(value.length)
                        .putInt(crc32(value)).flip();
                ByteBuffer payload = ByteBuffer.wrap(value);
                while (header.hasRemaining() || payload.hasRemaining()) out.write(new ByteBuffer[] {header, payload});
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            writes.incrementAndGet();
            if (added(HEADER + (long) value.length) > limit) wakeEvictor();
        } catch (IOException e) {
            warn("cannot write", file, e);
            errors.incrementAndGet();
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // a full or vanished folder: the scan removes stale temporary files later
            }
        }
    }

    private static int crc32(byte[] value) {
        CRC32 crc = new CRC32();
        crc.update(value);
        return (int) crc.getValue();
    }

    /** {@code ab/cd/<prefix>-<hash>}: two levels of 256 folders keep each folder small. */
    Path fileOf(String key) {
        if (!KEY.matcher(key).matches()) throw new IllegalArgumentException("not an output cache key: " + key);
        String hash = key.substring(key.indexOf(':') + 1);
        return dir.resolve(hash.substring(0, 2)).resolve(hash.substring(2, 4)).resolve(key.replace(':', '-'));
    }

    public Path folder() {
        return dir;
    }

    public long limit() {
        return limit;
    }

    public Stats stats() {
        return new Stats(hits.get(), misses.get(), writes.get(), bytes(), evictions.get(), errors.get());
    }

    private synchronized long added(long n) {
        written += n;
        return bytes += n;
    }

    private synchronized long bytes() {
        return bytes;
    }

    private synchronized long written() {
        return written;
    }

    /**
     * The folder's size as a scan that started when this node had written {@code writtenBefore} found it, plus what
     * this node wrote since: a write the scan also saw counts twice until the next scan, which errs towards evicting.
     */
    private synchronized void scanned(long total, long writtenBefore) {
        bytes = total + written - writtenBefore;
    }

    Thread evictor() {
        return evictor;
    }

    private void wakeEvictor() {
        synchronized (wake) {
            overLimit = true;
            wake.notifyAll();
        }
    }

    private void evictLoop() {
        while (!closed) {
            try {
                evictOnce();
            } catch (RuntimeException e) {
                LOG.error("disk cache: eviction in {} failed", dir, e);
            }
            synchronized (wake) {
                long until = System.currentTimeMillis() + RESCAN_MILLIS;
                long left;
                while (!overLimit && !closed && (left = until - System.currentTimeMillis()) > 0) {
                    try {
                        wake.wait(left);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                overLimit = false;
            }
        }
    }

    /** One file the scan found. */
    private record Entry(Path file, long size, long modified) {
    }

    /** Counts the folder's entries and, when they pass the limit, deletes the least recently used ones. */
    void evictOnce() {
        long writtenBefore = written();
        List<Entry> entries = scan();
        if (closed) return;
        long total = 0;
        for (Entry e : entries) total += e.size;
        if (total > limit) {
            entries.sort(Comparator.comparingLong(Entry::modified));
            long target = (long) (limit * LOW_WATER);
            for (Entry e : entries) {
                if (total <= target || closed) break;
                try {
                    if (Files.deleteIfExists(e.file)) evictions.incrementAndGet();
                } catch (IOException ex) {
                    warn("cannot delete", e.file, ex);
                    continue;
                }
                total -= e.size;                                 // deleted by us or, a moment ago, by another node
            }
        }
        scanned(total, writtenBefore);
    }

    /** Every entry file in the fan-out folders; anything else there is left alone, stale temporary files removed. */
    private List<Entry> scan() {
        List<Entry> entries = new ArrayList<>();
        long staleBefore = System.currentTimeMillis() - STALE_TEMP_MILLIS;
        try {
            Files.walkFileTree(dir, EnumSet.noneOf(FileVisitOption.class), 3,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                            if (closed) return FileVisitResult.TERMINATE;
                            return d.equals(dir) || FAN.matcher(d.getFileName().toString()).matches()
                                    ? FileVisitResult.CONTINUE : FileVisitResult.SKIP_SUBTREE;
                        }

                        @Override
                        public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                            if (closed) return FileVisitResult.TERMINATE;
                            if (!attrs.isRegularFile() || dir.relativize(f).getNameCount() != 3) {
                                return FileVisitResult.CONTINUE;
                            }
                            String name = f.getFileName().toString();
                            long modified = attrs.lastModifiedTime().toMillis();
                            if (ENTRY.matcher(name).matches()) {
                                entries.add(new Entry(f, attrs.size(), modified));
                            } else if (modified < staleBefore && TEMP.matcher(name).matches()) {
                                try {
                                    Files.deleteIfExists(f);
                                } catch (IOException e) {
                                    LOG.debug("disk cache: cannot delete {}: {}", f, e.toString());
                                }
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path f, IOException e) {
                            // gone between listing and reading (another node evicted it); the folder itself: warn
                            if (f.equals(dir) && !(e instanceof NoSuchFileException)) warn("cannot list", dir, e);
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult postVisitDirectory(Path d, IOException e) {
                            return FileVisitResult.CONTINUE;
                        }
                    });
        } catch (IOException e) {
            warn("cannot list", dir, e);
        }
        return entries;
    }

    /** At most one warning a minute, however many requests meet the same broken disk; the rest at debug. */
    private void warn(String what, Path file, Exception e) {
        long now = System.currentTimeMillis();
        long last = lastWarning.get();
        String cause = e == null ? "" : " (" + e + ")";
        if (now - last >= WARN_MILLIS && lastWarning.compareAndSet(last, now)) {
            LOG.warn("Disk cache: {} {}{}; requests go on without it (such warnings at most once a minute)", what,
                    file, cause);
        } else {
            LOG.debug("disk cache: {} {}{}", what, file, cause);
        }
    }

    /** Stops the eviction thread and waits for it (bounded); the files stay for the next start and other nodes. */
    @Override
    public void close() {
        closed = true;
        synchronized (wake) {
            wake.notifyAll();
        }
        try {
            evictor.join(CLOSE_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (evictor.isAlive()) LOG.warn("Disk cache: the eviction thread of {} did not stop in time", dir);
    }
}
