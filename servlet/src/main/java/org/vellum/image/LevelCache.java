package org.vellum.image;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.vellum.memory.Demand;
import org.vellum.memory.MemoryBudget;

/**
 * Whole decoded resolution levels, kept so that the tiles of a level being viewed are cut from memory instead of
 * decoded one by one. The engine's planner decides which levels are worth decoding whole; this holds them within
 * LEVEL_CACHE_SIZE and the shared {@link MemoryBudget}, giving up first the level that saves least per byte (its
 * decode time times its demand, over its bytes). Levels are stored with one byte per band and pixel. Concurrent first
 * requests for a level wait for one decode.
 */
final class LevelCache {
    private static final Logger LOG = LoggerFactory.getLogger(LevelCache.class);
    private static final int QUEUED_AT_MOST = 64;

    /** A level is kept only if it takes at most this share of the cache, so a few levels always fit. */
    private static final int LEVELS_AT_LEAST = 3;

    /**
     * Larger levels of a tiled file are not decoded whole. A tile of a small level spans many of the file's tiles (at
     * reduce 4 of a 1024-tiled file, 16 of them), so once a quarter of the level has been asked for, decoding it whole
     * in the background costs less than the rest of its tiles one by one (1 MP until session 16; 4 MP measured 5 %
     * more tiles/s on speed.sh's 15000x54000 file, bench/RESULTS.md).
     */
    static final long MAX_LEVEL_PIXELS = 4L << 20;

    /** A whole level is decoded in bands of about this many pixels, so its decode needs little more heap than it. */
    static final long BAND_PIXELS = 1L << 20;

    interface Decoder {
        Level decode() throws ImageException;
    }

    /**
     * A decoded level, {@code bands} bytes a pixel (grey, grey+alpha, RGB, RGBA), rows top to bottom, outside the Java
     * heap (a direct buffer, freed when the level is no longer reachable), so the levels kept compete with decoders
     * for the memory budget, not with requests for the heap. Grey levels keep one sample of the grey pixel (decoded
     * grey pixels have equal red, green and blue).
     */
    static final class Level {
        private final int width;
        private final int height;
        private final int bands;
        private final ByteBuffer samples;

        private Level(int width, int height, int bands, ByteBuffer samples) {
            this.width = width;
            this.height = height;
            this.bands = bands;
            this.samples = samples;
        }

        Level(int width, int height, int bands) {
            this(width, height, bands, ByteBuffer.allocateDirect(size(width, height, bands)));
        }

        /** A level, or null when the JVM's direct memory (-XX:MaxDirectMemorySize) has no room for it now. */
        static Level allocate(int width, int height, int bands) {
            try {
                return new Level(width, height, bands);
            } catch (OutOfMemoryError e) {
                return null;
            }
        }

        private static int size(int width, int height, int bands) {
            if (bands < 1 || bands > 4) throw new IllegalArgumentException("bands " + bands);
            return Math.multiplyExact(Math.multiplyExact(width, height), bands);
        }

        long bytes() {
            return samples.capacity();
        }

        /** Stores {@code rows}, as wide as the level, from row y0 down. */
        void put(Pixels rows, int y0) {
            if (rows.width() != width || y0 < 0 || y0 + rows.height() > height) {
                throw new IllegalArgumentException(rows.width() + "x" + rows.height() + " at row " + y0 + " of "
                        + width + "x" + height);
            }
            int[] argb = rows.argb();
            byte[] row = new byte[width * bands];
            for (int r = 0; r < rows.height(); r++) {
                int o = 0;
                for (int i = r * width, end = i + width; i < end; i++) {
                    int p = argb[i];
                    switch (bands) {
                        case 1 -> row[o++] = (byte) (p >> 16);
                        case 2 -> {
                            row[o++] = (byte) (p >> 16);
                            row[o++] = (byte) (p >>> 24);
                        }
                        case 3 -> {
                            row[o++] = (byte) (p >> 16);
                            row[o++] = (byte) (p >> 8);
                            row[o++] = (byte) p;
                        }
                        default -> {
                            row[o++] = (byte) (p >> 16);
                            row[o++] = (byte) (p >> 8);
                            row[o++] = (byte) p;
                            row[o++] = (byte) (p >>> 24);
                        }
                    }
                }
                samples.put((y0 + r) * width * bands, row);
            }
        }

        /** The w x h area at (x, y), which must lie inside, as pixels (opaque where the level has no alpha). */
        Pixels crop(int x, int y, int w, int h) {
            if (x < 0 || y < 0 || w < 0 || h < 0 || x + w > width || y + h > height) {
                throw new IllegalArgumentException(w + "x" + h + "+" + x + "+" + y + " outside " + width + "x" + height);
            }
            int[] out = new int[Math.multiplyExact(w, h)];
            byte[] row = new byte[w * bands];
            int k = 0;
            for (int r = 0; r < h; r++) {
                samples.get(((y + r) * width + x) * bands, row);
                int i = 0;
                for (int col = 0; col < w; col++) {
                    int a = 0xFF;
                    int red;
                    int g;
                    int b;
                    if (bands <= 2) {
                        red = g = b = row[i++] & 0xFF;
                        if (bands == 2) a = row[i++] & 0xFF;
                    } else {
                        red = row[i++] & 0xFF;
                        g = row[i++] & 0xFF;
                        b = row[i++] & 0xFF;
                        if (bands == 4) a = row[i++] & 0xFF;
                    }
                    out[k++] = a << 24 | red << 16 | g << 8 | b;
                }
            }
            return new Pixels(w, h, out, bands);
        }
    }

    /** A kept level with what it cost to decode and how much it is asked for. */
    private static final class Entry {
        final Level level;
        final long decodeNanos;
        final Demand demand = new Demand();

        Entry(Level level, long decodeNanos) {
            this.level = level;
            this.decodeNanos = decodeNanos;
        }

        double valuePerByte() {
            return demand.weight() * (decodeNanos / 1e6) / Math.max(1, level.bytes());
        }
    }

    private final long capacity;
    private final MemoryBudget budget;
    private final HashMap<String, Entry> levels = new HashMap<>();
    private final ConcurrentHashMap<String, Object> decoding = new ConcurrentHashMap<>();
    /** One thread for whole-level decodes, ended when idle, without a context class loader (nothing to pin). */
    private final ThreadPoolExecutor background = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(QUEUED_AT_MOST), r -> {
                Thread t = new Thread(r, "vellum-levels");
                t.setDaemon(true);
                t.setContextClassLoader(null);
                return t;
            });
    private final MemoryBudget.Holder holder = new MemoryBudget.Holder() {
        @Override
        public long bytes() {
            synchronized (LevelCache.this) {
                return bytes;
            }
        }

        @Override
        public MemoryBudget.Investment cheapest() {
            String key;
            double value;
            synchronized (LevelCache.this) {
                key = leastValuable();
                if (key == null) return null;
                value = levels.get(key).valuePerByte();
            }
            return new MemoryBudget.Investment(value, () -> remove(key));
        }
    };
    private long bytes;
    private long hits;
    private long decodes;
    private long dropped;

    LevelCache(long capacityBytes) {
        this(capacityBytes, MemoryBudget.unlimited());
    }

    /** @param capacityBytes LEVEL_CACHE_SIZE, a bound of its own on the heap it takes, within the shared budget */
    LevelCache(long capacityBytes, MemoryBudget budget) {
        this.capacity = capacityBytes;
        this.budget = budget;
        background.allowCoreThreadTimeOut(true);
        budget.register(holder);
    }

    /** Leaves the shared budget (the engine is closing). */
    void close() {
        background.shutdownNow();
        try {
            if (!background.awaitTermination(30, TimeUnit.SECONDS)) LOG.warn("a level decode still runs 30 s after close");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        budget.unregister(holder);
        synchronized (this) {
            levels.clear();
            bytes = 0;
        }
    }

    /**
     * True when a level of this many pixels and bands (of a single-tile file or not) may be decoded whole and kept.
     * A single-tile file's level is bounded only by the cache: a window there costs far more per pixel than the whole
     * level does (OpenJPEG decodes the wavelet margin around it at every resolution and parses the whole tile's
     * packets), so a level being viewed repays its decode after a fifth to a quarter of its tiles. With the default
     * LEVEL_CACHE_SIZE of 128 MB that is up to 14 megapixels of RGB, e.g. the 4000x3000 level of an 8000x6000 scan
     * (bench/RESULTS.md, session 17); a larger level is split among quarter decoders instead.
     */
    boolean keeps(long pixels, int bands, boolean singleTile) {
        return pixels > 0 && (singleTile || pixels <= MAX_LEVEL_PIXELS) && pixels * bands * LEVELS_AT_LEAST <= capacity;
    }

    /** The level under {@code key} if it is kept, else null. */
    synchronized Level peek(String key) {
        Entry e = levels.get(key);
        if (e == null) return null;
        hits++;
        e.demand.use();
        return e.level;
    }

    /**
     * Decodes the level under {@code key} on the cache's own thread, unless it is kept or being decoded already, so
     * that no request waits for the investment: the requests meanwhile decode their own areas. Levels queued beyond
     * {@link #QUEUED_AT_MOST} are not decoded (a later request asks again).
     */
    void decodeInBackground(String key, Decoder decoder) {
        if (peek(key) != null || decoding.containsKey(key)) return;
        try {
            background.execute(() -> {
                try {
                    get(key, decoder);
                } catch (ImageException | RuntimeException e) {
                    LOG.debug("decoding level {} whole failed: {}", key, e.toString());
                }
            });
        } catch (RejectedExecutionException e) {
            // queue full or closing: the level stays undecoded for now
        }
    }

    /** True while the level under {@code key} is being decoded. */
    boolean decoding(String key) {
        return decoding.containsKey(key);
    }

    /** Waits until the levels queued for decoding are kept (tests). */
    boolean awaitBackground(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (background.getActiveCount() > 0 || !background.getQueue().isEmpty()) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(5);
        }
        return true;
    }

    /** The level under {@code key}, decoded by {@code decoder} if no one has it; null if the decoder made none. */
    Level get(String key, Decoder decoder) throws ImageException {
        Level p = peek(key);
        if (p != null) return p;
        Object lock = decoding.computeIfAbsent(key, k -> new Object());
        synchronized (lock) {
            try {
                p = peek(key);                       // decoded meanwhile by the request this one waited for
                if (p != null) return p;
                long start = System.nanoTime();
                p = decoder.decode();
                if (p == null) return null;
                store(key, p, System.nanoTime() - start);
            } finally {
                decoding.remove(key, lock);
            }
        }
        budget.fit();
        return p;
    }

    private synchronized void store(String key, Level p, long decodeNanos) {
        decodes++;
        if (p.bytes() > capacity) return;
        Entry e = new Entry(p, decodeNanos);
        e.demand.use();
        Entry old = levels.put(key, e);
        if (old != null) bytes -= old.level.bytes();
        bytes += p.bytes();
        while (bytes > capacity) {
            String least = leastValuable();
            if (least == null || least.equals(key) && levels.size() == 1) break;
            removeLocked(least);
        }
    }

    private synchronized boolean remove(String key) {
        return removeLocked(key);
    }

    private boolean removeLocked(String key) {
        Entry gone = levels.remove(key);
        if (gone == null) return false;
        bytes -= gone.level.bytes();
        dropped++;
        return true;
    }

    /** The kept level that saves least per byte. */
    private String leastValuable() {
        String least = null;
        double value = Double.POSITIVE_INFINITY;
        for (Map.Entry<String, Entry> e : levels.entrySet()) {
            double v = e.getValue().valuePerByte();
            if (v < value) {
                value = v;
                least = e.getKey();
            }
        }
        return least;
    }

    /** Levels kept, their bytes, lookups answered from memory, whole-level decodes made, levels given up. */
    synchronized EngineStats.Levels stats() {
        return new EngineStats.Levels(levels.size(), bytes, hits, decodes, dropped);
    }
}
