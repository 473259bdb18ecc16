package org.vellum.pool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.pool2.BaseKeyedPooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.apache.commons.pool2.impl.GenericKeyedObjectPool;
import org.apache.commons.pool2.impl.GenericKeyedObjectPoolConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vellum.codec.openjpeg.Jp2Reader;
import org.vellum.codec.openjpeg.OpenJpegException;
import org.vellum.memory.Demand;
import org.vellum.memory.MemoryBudget;

/**
 * Open JPEG 2000 decoders kept ready, keyed by file, layer count and (single-tile files) level, so a tile request skips
 * opening the file and parsing its header. A decoder whose file changed (size or mtime) is not reused; one that failed
 * is destroyed. The native memory the decoders hold is bounded: when their estimated total exceeds the budget, the
 * longest-idle ones are closed (a single-tile decoder keeps its whole codestream, so a few large files could otherwise
 * hold gigabytes outside the Java heap).
 * <p>
 * Every native call (open, decode, close) runs on the pool's own threads, never on the caller's: JNA leaves
 * per-thread state (Structure's ThreadLocal) on the threads it runs on, which must not be a container's pooled
 * request threads when the code is unloaded (OSGi update/uninstall, WAR undeploy). {@link #close()} stops them.
 */
public final class DecoderPool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DecoderPool.class);
    private static final Duration MAX_WAIT = Duration.ofSeconds(30);
    private static final Duration WAIT_SLICE = Duration.ofMillis(200);

    private final GenericKeyedObjectPool<DecoderKey, Decoder> pool;
    private final AtomicLong borrowed = new AtomicLong();
    private final AtomicLong waits = new AtomicLong();
    private final AtomicLong invalidated = new AtomicLong();
    private final AtomicLong nativeBytes = new AtomicLong();
    private final ConcurrentHashMap<Object, Turns> turns = new ConcurrentHashMap<>();
    /** Native bytes of the largest decoder of each recently used level, to size its turns before the next borrow. */
    private final Map<DecoderKey, Long> decoderBytes = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<DecoderKey, Long> eldest) {
            return size() > 1024;
        }
    });
    private final int maxPerFile;
    private final long maxNativeBytes;
    private final MemoryBudget budget;
    private final MemoryBudget.Holder holder = new Holder();
    /** What each key's decoders cost to set up again, and how much they are asked for; the budget weighs these. */
    private final ConcurrentHashMap<DecoderKey, KeyUse> uses = new ConcurrentHashMap<>();
    private final Map<DecoderKey, Demand> levelDemands = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<DecoderKey, Demand> eldest) {
            return size() > 4096;
        }
    };
    /**
     * Milliseconds of set-up (opening plus first work) per native byte, a moving average over the decoders opened
     * lately: what a decoder not yet opened is assumed to be worth per byte when the planner asks whether to keep it.
     */
    private volatile double setUpMsPerByte;
    /** Native bytes of idle decoders whose closing has been handed to a pool thread. */
    private final AtomicLong closing = new AtomicLong();
    private final ThreadPoolExecutor natives;
    /** Native work (open, decode) under way at once, granted in arrival order. */
    private final Semaphore working;

    /** A pooled reader with the identity of the file it opened. */
    public static final class Decoder {
        private final Jp2Reader reader;
        private final long size;
        private final long lastModified;
        /** As last counted in the pool's total: a single-tile reader grows at its first decode. */
        private long nativeBytes;
        /** Opening it plus its first work (which reads a single-tile codestream): what it saves when kept. */
        private long setUpNanos;
        private boolean used;

        Decoder(Jp2Reader reader, long size, long lastModified, long openNanos) {
            this.reader = reader;
            this.size = size;
            this.lastModified = lastModified;
            this.nativeBytes = reader.nativeBytes();
            this.setUpNanos = openNanos;
        }

        public Jp2Reader reader() {
            return reader;
        }
    }

    /** Work done with a borrowed decoder. */
    @FunctionalInterface
    public interface DecoderWork<T> {
        T apply(Jp2Reader reader) throws OpenJpegException;
    }

    /** A pool without a native memory budget, decoding as many at once as it has decoders (tests, benchmarks). */
    public DecoderPool(int maxTotal, int maxPerFile, Duration idle) {
        this(maxTotal, maxPerFile, idle, Long.MAX_VALUE, maxTotal);
    }

    /** As {@link #DecoderPool(int, int, Duration, long, int)}, decoding as many at once as it has decoders. */
    public DecoderPool(int maxTotal, int maxPerFile, Duration idle, long maxNativeBytes) {
        this(maxTotal, maxPerFile, idle, maxNativeBytes, maxTotal);
    }

    /**
     * @param maxNativeBytes idle decoders are closed, longest idle first, while the open ones hold more than this
     *                       (estimated); decoders in use are never closed for it
     * @param maxWorking     decoders working at once (opening or decoding, both CPU-bound), whatever their file; the
     *                       others wait in arrival order. A server passes its number of cores: more at once only
     *                       share the cores and each other's CPU caches, and lengthen every decode.
     */
    public DecoderPool(int maxTotal, int maxPerFile, Duration idle, long maxNativeBytes, int maxWorking) {
        this(maxTotal, maxPerFile, idle, new MemoryBudget(maxNativeBytes), maxWorking);
    }

    /**
     * @param budget the memory bound this pool's idle decoders share with the other investments (whole levels, cached
     *               images); the pool registers with it and asks it to make room after each decoder it opens
     */
    public DecoderPool(int maxTotal, int maxPerFile, Duration idle, MemoryBudget budget, int maxWorking) {
        this.budget = budget;
        long maxNativeBytes = budget.limit();
        this.maxPerFile = maxPerFile;
        this.working = new Semaphore(Math.max(1, maxWorking), true);
        this.maxNativeBytes = maxNativeBytes;
        GenericKeyedObjectPoolConfig<Decoder> config = new GenericKeyedObjectPoolConfig<>();
        config.setMaxTotal(maxTotal);
        config.setMaxTotalPerKey(maxPerFile);
        config.setMaxIdlePerKey(maxPerFile);
        config.setMinIdlePerKey(0);
        config.setTestOnBorrow(true);
        config.setBlockWhenExhausted(true);
        config.setMaxWait(MAX_WAIT);
        config.setMinEvictableIdleDuration(idle);
        config.setTimeBetweenEvictionRuns(Duration.ofSeconds(Math.max(1, Math.min(30, idle.toSeconds()))));
        config.setNumTestsPerEvictionRun(Math.max(3, maxTotal));
        config.setJmxEnabled(false);
        this.pool = new GenericKeyedObjectPool<>(new Factory(), config);
        // as many threads as decoders can be open at once; idle ones end after a minute
        this.natives = new ThreadPoolExecutor(maxTotal, maxTotal, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                new NativeThreads());
        this.natives.allowCoreThreadTimeOut(true);
        budget.register(holder);
    }

    /** The pool's own threads, on which every native call runs. */
    private static final class NativeThread extends Thread {
        NativeThread(Runnable r, String name) {
            super(r, name);
        }
    }

    /** Daemon threads without a context class loader, so they pin nothing of the caller's. */
    private static final class NativeThreads implements ThreadFactory {
        private static final AtomicInteger POOLS = new AtomicInteger();
        private final int pool = POOLS.incrementAndGet();
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new NativeThread(r, "vellum-decoder-" + pool + "-" + count.incrementAndGet());
            t.setDaemon(true);
            t.setContextClassLoader(null);
            return t;
        }
    }

    /**
     * Runs {@code work} with a decoder for the key, on one of the pool's threads while the caller waits; a decoder
     * that threw is destroyed, never returned.
     */
    public <T> T withDecoder(DecoderKey key, DecoderWork<T> work) throws OpenJpegException {
        return withDecoder(key, work, true);
    }

    /** As {@link #withDecoder(DecoderKey, DecoderWork)}; keep false closes the decoder afterwards, even if it worked. */
    public <T> T withDecoder(DecoderKey key, DecoderWork<T> work, boolean keep) throws OpenJpegException {
        return onPoolThread(() -> withDecoderHere(key, work, keep));
    }

    private <T> T onPoolThread(Callable<T> task) throws OpenJpegException {
        Future<T> future;
        try {
            future = natives.submit(task);
        } catch (RejectedExecutionException e) {
            throw new Stopped("The decoder pool is closed", e);
        }
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new Stopped("Interrupted while decoding", e);
        } catch (CancellationException e) {
            throw new Stopped("Decoding was cancelled", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof OpenJpegException oe) throw oe;
            if (cause instanceof RuntimeException re) throw re;
            if (cause instanceof Error err) throw err;
            throw new IllegalStateException(cause);
        }
    }

    private <T> T withDecoderHere(DecoderKey key, DecoderWork<T> work, boolean keep) throws OpenJpegException {
        Turns level = takeTurn(key, key.path(), turnsFor(key));
        try {
            Turns file = takeTurn(key.path(), key.path(), turnsFor(key.path()));
            try {
                startWork(key);
                try {
                    return decodeHere(key, work, keep);
                } finally {
                    working.release();
                }
            } finally {
                endTurn(key.path(), file);
            }
        } finally {
            endTurn(key, level);
        }
    }

    private void startWork(DecoderKey key) throws OpenJpegException {
        try {
            if (working.tryAcquire(0, TimeUnit.NANOSECONDS)) return;
            waits.incrementAndGet();
            if (!working.tryAcquire(MAX_WAIT.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new OpenJpegException("No decoder free for " + key.path().getFileName() + " within "
                        + MAX_WAIT.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Stopped("Interrupted while waiting to decode", e);
        }
    }

    private <T> T decodeHere(DecoderKey key, DecoderWork<T> work, boolean keep) throws OpenJpegException {
        KeyUse use = uses.computeIfAbsent(key, k -> new KeyUse(levelDemand(k)));
        use.demand.use();
        Decoder decoder = borrow(key);
        boolean healthy = false;
        long start = System.nanoTime();
        try {
            T result = work.apply(decoder.reader);
            healthy = true;
            return result;
        } finally {
            boolean first = !decoder.used;
            if (first) {
                decoder.used = true;
                decoder.setUpNanos += System.nanoTime() - start;
                use.setUpNanos = decoder.setUpNanos;
            }
            recount(key, decoder);
            if (first && healthy && keep && decoder.nativeBytes > 0) {
                double x = decoder.setUpNanos / 1e6 / decoder.nativeBytes;
                double avg = setUpMsPerByte;
                setUpMsPerByte = avg == 0 ? x : 0.9 * avg + 0.1 * x;
            }
            use.bytes = decoder.nativeBytes;
            if (healthy && keep) {
                pool.returnObject(key, decoder);
            } else if (healthy) {
                retire(key, decoder);
            } else {
                invalidate(key, decoder);
            }
            if (pool.getNumIdle(key) == 0 && pool.getNumActive(key) == 0) uses.remove(key, use);
            budget.fit();
            if (LOG.isDebugEnabled()) stats();
        }
    }

    /**
     * A key's decoders as the budget sees them: set-up cost, native bytes each, and the demand for their level (all
     * keys of one file, layer count and level share it, so that the decoders just opened for a level being viewed,
     * such as its quarters', are worth what the level is).
     */
    private static final class KeyUse {
        final Demand demand;
        volatile long setUpNanos;
        volatile long bytes;

        KeyUse(Demand demand) {
            this.demand = demand;
        }
    }

    /** The demand for the level of {@code key}'s decoders, remembered for the most recently used levels. */
    private Demand levelDemand(DecoderKey key) {
        synchronized (levelDemands) {
            return levelDemands.computeIfAbsent(levelOf(key), k -> new Demand());
        }
    }

    /** The pool's side of the memory budget: its open decoders' bytes, and its idle ones as investments. */
    private final class Holder implements MemoryBudget.Holder {
        @Override
        public long bytes() {
            return Math.max(0, nativeBytes.get() - closing.get());
        }

        @Override
        public MemoryBudget.Investment cheapest() {
            DecoderKey least = null;
            double value = Double.POSITIVE_INFINITY;
            for (Map.Entry<DecoderKey, KeyUse> e : uses.entrySet()) {
                KeyUse u = e.getValue();
                if (pool.getNumIdle(e.getKey()) == 0 || u.bytes <= 0) continue;
                double v = u.demand.weight() * (u.setUpNanos / 1e6) / u.bytes;
                if (v < value) {
                    value = v;
                    least = e.getKey();
                }
            }
            if (least == null) return null;
            DecoderKey key = least;
            return new MemoryBudget.Investment(value, () -> closeIdle(key));
        }
    }

    /**
     * Closes the key's idle decoders: here on a pool thread, else handed to one (native calls never run on a caller's
     * thread), counted as gone meanwhile.
     */
    private boolean closeIdle(DecoderKey key) {
        int idle = pool.getNumIdle(key);
        if (idle == 0) return false;
        if (Thread.currentThread() instanceof NativeThread) {
            pool.clear(key);
            return true;
        }
        KeyUse u = uses.get(key);
        long bytes = u == null ? 0 : u.bytes * idle;
        closing.addAndGet(bytes);
        try {
            natives.execute(() -> {
                try {
                    pool.clear(key);
                } finally {
                    closing.addAndGet(-bytes);
                }
            });
        } catch (RejectedExecutionException e) {
            closing.addAndGet(-bytes);
            return false;
        }
        return true;
    }

    /**
     * Decoders in use at once under one owner, granted in arrival order. The owner is a file or one level of a
     * single-tile file ({@link #turnsFor(DecoderKey)}). Decoders of one file, whatever their level: maxPerFile, and
     * fewer when its decoders are so large
     * that that many would not fit in the native budget with one to spare ({@link #turnsFor(Path)}). The pool bounds each
     * key; a single-tile file has a key per level, so without this one busy file could take every decoder, and with
     * more decoders in use than the budget holds, each one returned would be closed at once and the next request
     * would set up a codec again.
     */
    private static final class Turns {
        int holders; // guarded by turns.compute
        private int inUse;

        /** Callers waiting for a turn, oldest first: turns are given in arrival order. */
        private final ArrayDeque<Object> queue = new ArrayDeque<>();

        /** False if no turn came before the deadline; {@code queued} runs once if the caller has to wait in line. */
        synchronized boolean enter(int limit, long deadline, Runnable queued) throws InterruptedException {
            if (inUse < limit && queue.isEmpty()) {
                inUse++;
                return true;
            }
            Object me = new Object();
            queue.addLast(me);
            queued.run();
            try {
                while (queue.peekFirst() != me || inUse >= limit) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) return false;
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
                inUse++;
                return true;
            } finally {
                queue.remove(me);
                notifyAll(); // the next in line may have a turn too
            }
        }

        synchronized void leave() {
            inUse--;
            notifyAll();
        }
    }

    /** How many decoders of the file may be in use at once, whatever their level. */
    private int turnsFor(Path file) {
        return maxPerFile;
    }

    /**
     * Decoders of one level of a single-tile file in use at once: one when that level's decoders are so large that
     * two would not fit in the memory budget. A second decoder for a busy level would then push out the idle decoders
     * of other levels, which the next requests there set up again (on a 16000x12000 file, a second each): waiting
     * for the level's own decoder costs less. Otherwise, and for tiled files, the file's bound. Measured per level:
     * a level copy's decoder is far smaller than the full resolution's.
     */
    private int turnsFor(DecoderKey key) {
        if (key.reduce() == DecoderKey.ANY_REDUCE) return maxPerFile;
        Long bytes = decoderBytes.get(levelOf(key));
        if (bytes == null || bytes <= 0 || maxNativeBytes == Long.MAX_VALUE) return maxPerFile;
        return maxNativeBytes / bytes >= 2L ? maxPerFile : 1;
    }

    /**
     * The native bytes a decoder for {@code key}'s level was last seen to hold (the largest recently), or 0 when none
     * was opened lately.
     */
    public long levelDecoderBytes(DecoderKey key) {
        Long bytes = decoderBytes.get(levelOf(key));
        return bytes == null ? 0 : bytes;
    }

    /** See {@link #setUpMsPerByte}; 0 before any decoder was opened and used. */
    public double setUpMsPerByte() {
        return setUpMsPerByte;
    }

    /** The key of the whole level {@code key} decodes (its file, layer count and reduce). */
    private static DecoderKey levelOf(DecoderKey key) {
        return new DecoderKey(key.path(), key.layers(), key.reduce());
    }

    /** A turn under {@code owner} (a file's path or a decoder key), of at most {@code limit} at once, in arrival order. */
    private Turns takeTurn(Object owner, Path file, int limit) throws OpenJpegException {
        Turns t = turns.compute(owner, (o, old) -> {
            Turns n = old == null ? new Turns() : old;
            n.holders++;
            return n;
        });
        try {
            if (!t.enter(limit, System.nanoTime() + MAX_WAIT.toNanos(), waits::incrementAndGet)) {
                releaseHolder(owner);
                throw new OpenJpegException("No decoder for " + file.getFileName() + " within " + MAX_WAIT.toSeconds()
                        + " s: " + limit + " are in use");
            }
            return t;
        } catch (InterruptedException e) {
            releaseHolder(owner);
            Thread.currentThread().interrupt();
            throw new Stopped("Interrupted while waiting for a decoder", e);
        }
    }

    private void endTurn(Object owner, Turns t) {
        t.leave();
        releaseHolder(owner);
    }

    private void releaseHolder(Object owner) {
        turns.computeIfPresent(owner, (o, t) -> --t.holders == 0 ? null : t);
    }

    /** Brings the pool's total up to date with what the decoder holds after its use. */
    private void recount(DecoderKey key, Decoder decoder) {
        long now = decoder.reader.nativeBytes();
        if (now != decoder.nativeBytes) {
            nativeBytes.addAndGet(now - decoder.nativeBytes);
            decoder.nativeBytes = now;
            decoderBytes.merge(levelOf(key), now, Math::max);
        }
    }

    private Decoder borrow(DecoderKey key) throws OpenJpegException {
        borrowed.incrementAndGet();
        if (pool.getNumActive() >= pool.getMaxTotal()) {
            waits.incrementAndGet();
        }
        try {
            // Waits in short slices: commons-pool wakes a waiter only when an object comes back or is created for it,
            // and when a decoder is destroyed while the file is broken that creation fails, so the waiter would sleep
            // the whole wait while capacity is free. Each new slice re-checks and creates a decoder itself.
            long deadline = System.nanoTime() + MAX_WAIT.toNanos();
            while (true) {
                try {
                    return pool.borrowObject(key, WAIT_SLICE);
                } catch (NoSuchElementException e) {
                    if (System.nanoTime() > deadline) throw e;
                }
            }
        } catch (OpenJpegException e) {
            throw e;
        } catch (Exception e) {
            Throwable cause = e.getCause() instanceof OpenJpegException oe ? oe : e;
            if (cause instanceof OpenJpegException oe) throw oe;
            throw new OpenJpegException("No decoder for " + key.path().getFileName() + ": " + e.getMessage(), e);
        }
    }

    /** Closes a decoder that worked but is not wanted again. */
    private void retire(DecoderKey key, Decoder decoder) {
        try {
            pool.invalidateObject(key, decoder);
        } catch (Exception e) {
            LOG.warn("Could not close a decoder for {}", key.path(), e);
        }
    }

    private void invalidate(DecoderKey key, Decoder decoder) {
        invalidated.incrementAndGet();
        try {
            pool.invalidateObject(key, decoder);
        } catch (Exception e) {
            LOG.warn("Could not discard a failed decoder for {}", key.path(), e);
        }
    }

    /** Closes idle decoders of every file (for example after the image root changed). */
    public void clear() {
        try {
            onPoolThread(() -> {
                pool.clear();
                return null;
            });
        } catch (OpenJpegException e) {
            LOG.warn("Clearing the decoder pool: {}", e.getMessage());
        }
    }

    public PoolStats stats() {
        PoolStats stats = new PoolStats(pool.getNumActive(), pool.getNumIdle(), pool.getCreatedCount(),
                pool.getDestroyedCount(), borrowed.get(), waits.get(), invalidated.get(), nativeBytes.get(),
                working.getQueueLength() + pool.getNumWaiters());
        LOG.debug("decoder pool {}", stats);
        return stats;
    }

    /**
     * The work was not done because the pool is closing or the waiting thread was interrupted (a bundle stopping, a
     * server shutting down): nothing is wrong with the image, the request should be tried again.
     */
    public static final class Stopped extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        Stopped(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Closes every decoder (on the pool's threads, like every native call), then stops those threads and waits
     * for them to end. Work still queued is abandoned.
     */
    @Override
    public void close() {
        budget.unregister(holder);
        if (natives.isShutdown()) return;
        try {
            natives.submit(pool::close).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            LOG.warn("Closing the decoder pool: {}", e.toString());
            pool.close();
        } finally {
            natives.shutdownNow();
            try {
                if (!natives.awaitTermination(30, TimeUnit.SECONDS)) {
                    LOG.warn("Decoder threads still running 30 s after close");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private final class Factory extends BaseKeyedPooledObjectFactory<DecoderKey, Decoder> {
        @Override
        public Decoder create(DecoderKey key) throws Exception {
            BasicFileAttributes before = Files.readAttributes(key.path(), BasicFileAttributes.class);
            long start = System.nanoTime();
            Jp2Reader reader = Jp2Reader.open(key.path(), key.layers(), Math.max(0, key.reduce()),
                    key.region() == null ? null : key.region().toArray());
            Decoder decoder = new Decoder(reader, before.size(), before.lastModifiedTime().toMillis(),
                    System.nanoTime() - start);
            nativeBytes.addAndGet(decoder.nativeBytes);
            decoderBytes.merge(levelOf(key), decoder.nativeBytes, Math::max);
            LOG.debug("opened decoder for {} ({} layers, reduce {}, region {}, about {} MB native)", key.path(),
                    key.layers(), key.reduce(), key.region() == null ? "all" : key.region(), decoder.nativeBytes >> 20);
            return decoder;
        }

        @Override
        public PooledObject<Decoder> wrap(Decoder value) {
            return new DefaultPooledObject<>(value);
        }

        @Override
        public boolean validateObject(DecoderKey key, PooledObject<Decoder> p) {
            Decoder d = p.getObject();
            if (!d.reader.usable()) return false;
            try {
                BasicFileAttributes now = Files.readAttributes(key.path(), BasicFileAttributes.class);
                return now.size() == d.size && now.lastModifiedTime().toMillis() == d.lastModified;
            } catch (IOException e) {
                return false;
            }
        }

        @Override
        public void destroyObject(DecoderKey key, PooledObject<Decoder> p) {
            p.getObject().reader.close();
            nativeBytes.addAndGet(-p.getObject().nativeBytes);
        }
    }
}
