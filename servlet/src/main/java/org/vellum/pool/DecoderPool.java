package org.vellum.pool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.NoSuchElementException;
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

/**
 * Open JPEG 2000 decoders kept ready, keyed by file and layer count, so a tile request skips opening the file
 * and parsing its header. A decoder whose file changed (size or mtime) is not reused; one that failed is destroyed.
 */
public final class DecoderPool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DecoderPool.class);
    private static final Duration MAX_WAIT = Duration.ofSeconds(30);
    private static final Duration WAIT_SLICE = Duration.ofMillis(200);

    private final GenericKeyedObjectPool<DecoderKey, Decoder> pool;
    private final AtomicLong borrowed = new AtomicLong();
    private final AtomicLong waits = new AtomicLong();
    private final AtomicLong invalidated = new AtomicLong();
    private final int maxPerFile;

    /** A pooled reader with the identity of the file it opened. */
    public static final class Decoder {
        private final Jp2Reader reader;
        private final long size;
        private final long lastModified;

        Decoder(Jp2Reader reader, long size, long lastModified) {
            this.reader = reader;
            this.size = size;
            this.lastModified = lastModified;
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

    public DecoderPool(int maxTotal, int maxPerFile, Duration idle) {
        this.maxPerFile = maxPerFile;
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
    }

    /** Runs {@code work} with a decoder for the key; a decoder that threw is destroyed, never returned. */
    public <T> T withDecoder(DecoderKey key, DecoderWork<T> work) throws OpenJpegException {
        Decoder decoder = borrow(key);
        boolean healthy = false;
        try {
            T result = work.apply(decoder.reader);
            healthy = true;
            return result;
        } finally {
            if (healthy) {
                pool.returnObject(key, decoder);
            } else {
                invalidate(key, decoder);
            }
            if (LOG.isDebugEnabled()) stats();
        }
    }

    private Decoder borrow(DecoderKey key) throws OpenJpegException {
        borrowed.incrementAndGet();
        if (pool.getNumActive(key) >= maxPerFile || pool.getNumActive() >= pool.getMaxTotal()) {
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
        pool.clear();
    }

    public PoolStats stats() {
        PoolStats stats = new PoolStats(pool.getNumActive(), pool.getNumIdle(), pool.getCreatedCount(),
                pool.getDestroyedCount(), borrowed.get(), waits.get(), invalidated.get());
        LOG.debug("decoder pool {}", stats);
        return stats;
    }

    @Override
    public void close() {
        pool.close();
    }

    private static final class Factory extends BaseKeyedPooledObjectFactory<DecoderKey, Decoder> {
        @Override
        public Decoder create(DecoderKey key) throws Exception {
            BasicFileAttributes before = Files.readAttributes(key.path(), BasicFileAttributes.class);
            Jp2Reader reader = Jp2Reader.open(key.path(), key.layers());
            LOG.debug("opened decoder for {} ({} layers)", key.path(), key.layers());
            return new Decoder(reader, before.size(), before.lastModifiedTime().toMillis());
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
        }
    }
}
