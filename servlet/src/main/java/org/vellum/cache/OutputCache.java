package org.vellum.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

import org.vellum.config.Settings;
import org.vellum.memory.MemoryBudget;

/**
 * Encoded images by the description of what produced them: first this node's memory (MAX_IMAGE_CACHE_SIZE, least
 * recently used out first), then a folder that survives restarts and may be shared by nodes (DISK_CACHE_DIR), then
 * memcached shared by several nodes (MEMCACHED_SERVERS), then the producer, whose result goes into all three; a hit
 * fills the faster tiers above it. Concurrent requests for the same image wait for the first one's result instead of
 * decoding it again; a failure reaches them all and is never stored.
 *
 * <p>The description must name everything that changes the bytes, the file's version included; it is hashed into
 * the key, so its length does not matter.
 */
public final class OutputCache implements AutoCloseable {
    /** Changes when what a key stands for changes, so nodes of different versions never share an entry. */
    private static final String KEY_PREFIX = "vellum1:";

    /** Makes the image on a miss. */
    @FunctionalInterface
    public interface Producer<E extends Exception> {
        byte[] produce() throws E;
    }

    /**
     * @param localHits   answered from this node's memory
     * @param diskHits    answered from DISK_CACHE_DIR
     * @param sharedHits  answered from memcached
     * @param produced    made by the producer (decoded and encoded)
     * @param coalesced   waited for a concurrent request's result instead
     * @param entries     images held in memory now
     * @param bytes       bytes held in memory now, as counted against MAX_IMAGE_CACHE_SIZE
     * @param evictions   images this node's memory gave up, for room or for the memory budget
     */
    public record Stats(long localHits, long diskHits, long sharedHits, long produced, long coalesced, int entries,
            long bytes, long evictions) {
    }

    private final ByteLru local;
    private final MemoryBudget budget;
    private final DiskCache disk;
    private final Memcached shared;
    private final ConcurrentHashMap<String, CompletableFuture<byte[]>> inFlight = new ConcurrentHashMap<>();
    private final AtomicLong localHits = new AtomicLong();
    private final AtomicLong diskHits = new AtomicLong();
    private final AtomicLong sharedHits = new AtomicLong();
    private final AtomicLong produced = new AtomicLong();
    private final AtomicLong coalesced = new AtomicLong();

    /** @param localBytes 0 for no memory cache; @param shared null for no memcached */
    public OutputCache(long localBytes, Memcached shared) {
        this(localBytes, null, shared);
    }

    /** @param disk null for no disk cache; closed with this cache */
    public OutputCache(long localBytes, DiskCache disk, Memcached shared) {
        this(localBytes, disk, shared, MemoryBudget.unlimited());
    }

    /**
     * @param budget the memory bound the images kept in memory share with decoders and whole levels: within
     *               {@code localBytes}, those that save least per byte leave first when the budget is short
     */
    public OutputCache(long localBytes, DiskCache disk, Memcached shared, MemoryBudget budget) {
        this.local = localBytes > 0 ? new ByteLru(localBytes) : null;
        this.disk = disk;
        this.shared = shared;
        this.budget = budget;
        if (local != null) budget.register(local);
    }

    /**
     * As the settings say: MAX_IMAGE_CACHE_SIZE, DISK_CACHE_DIR and DISK_CACHE_SIZE, MEMCACHED_SERVERS and
     * MEMCACHED_TIMEOUT.
     */
    public static OutputCache of(Settings settings) {
        return of(settings, MemoryBudget.unlimited());
    }

    /** As {@link #of(Settings)}, keeping the images in memory within {@code budget} too. */
    public static OutputCache of(Settings settings, MemoryBudget budget) {
        return new OutputCache(settings.imageCacheBytes(),
                DiskCache.of(settings.diskCacheDir(), settings.diskCacheBytes()),
                Memcached.of(settings.memcachedServers(), settings.memcachedTimeout()), budget);
    }

    /**
     * The image {@code description} stands for, from a cache or from {@code producer}.
     *
     * @param shareable false keeps it out of the disk cache and memcached, which other nodes read (an image served
     *                  only on the caller's credentials)
     */
    public <E extends Exception> byte[] get(String description, boolean shareable, Producer<E> producer) throws E {
        String key = keyOf(description);
        byte[] hit = local == null ? null : local.get(key);
        if (hit != null) {
            localHits.incrementAndGet();
            return hit;
        }
        CompletableFuture<byte[]> mine = new CompletableFuture<>();
        CompletableFuture<byte[]> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            coalesced.incrementAndGet();
            return await(running, producer);
        }
        try {
            // the request this one just missed may have stored it in between
            long start = System.nanoTime();
            byte[] value = local == null ? null : local.get(key);
            if (value != null) {
                localHits.incrementAndGet();
            } else if (shareable && disk != null && (value = disk.get(key)) != null) {
                diskHits.incrementAndGet();
                keep(key, value, start);
            } else if (shareable && shared != null && (value = shared.get(key)) != null) {
                sharedHits.incrementAndGet();
                keep(key, value, start);
                mine.complete(value);
                if (disk != null) disk.put(key, value);   // next time from the disk, without the network
                return value;
            }
            if (value != null) {
                mine.complete(value);
                return value;
            }
            value = producer.produce();
            produced.incrementAndGet();
            keep(key, value, start);
            mine.complete(value);                         // the waiters need not wait for the disk or memcached
            if (shareable && disk != null) disk.put(key, value);
            if (shareable && shared != null) shared.set(key, value);
            return value;
        } catch (Exception | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    /** Keeps the image in memory, valued at what getting it took since {@code start}, and lets the budget weigh it. */
    private void keep(String key, byte[] value, long start) {
        if (local == null) return;
        local.put(key, value, System.nanoTime() - start);
        budget.fit();
    }

    /** The concurrent request's result or its failure; a waiter that is interrupted makes the image itself. */
    @SuppressWarnings("unchecked")
    private static <E extends Exception> byte[] await(CompletableFuture<byte[]> running, Producer<E> producer)
            throws E {
        try {
            return running.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return producer.produce();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) throw re;
            if (cause instanceof Error err) throw err;
            throw (E) cause;                              // what the same description's producer throws
        }
    }

    static String keyOf(String description) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(description.getBytes(StandardCharsets.UTF_8));
            return KEY_PREFIX + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    public Stats stats() {
        return new Stats(localHits.get(), diskHits.get(), sharedHits.get(), produced.get(), coalesced.get(),
                local == null ? 0 : local.size(), local == null ? 0 : local.bytes(),
                local == null ? 0 : local.evictions());
    }

    /** The memory bound in bytes, 0 when the memory cache is off. */
    public long capacity() {
        return local == null ? 0 : local.capacity();
    }

    public boolean sharesThroughMemcached() {
        return shared != null;
    }

    /** The disk cache's figures; all 0 when DISK_CACHE_DIR is not set. */
    public DiskCache.Stats diskStats() {
        return disk == null ? DiskCache.Stats.NONE : disk.stats();
    }

    /** The memcached client's figures; all 0 when MEMCACHED_SERVERS is not set. */
    public Memcached.Stats memcachedStats() {
        return shared == null ? Memcached.Stats.NONE : shared.stats();
    }

    /** Empties this node's memory (the disk and memcached are shared with other nodes and keep their entries). */
    public void clear() {
        if (local != null) local.clear();
    }

    @Override
    public void close() {
        if (local != null) budget.unregister(local);
        clear();
        if (disk != null) disk.close();
        if (shared != null) shared.close();
    }
}
