package org.vellum.image;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whole decoded resolution levels that are small enough to keep (LEVEL_CACHE_SIZE), least recently used out first.
 * A viewer asks for every tile of the small levels; each of those levels costs one decode of the whole level (for a
 * tiled file a tile there spans many codestream tiles, for a single-tile file any area costs the set-up of the whole
 * tile) instead of one per tile. Concurrent first requests for a level wait for one decode.
 */
final class LevelCache {
    /** A level is kept only if it takes at most this share of the cache, so a few levels always fit. */
    private static final int LEVELS_AT_LEAST = 4;

    /** Larger levels are not decoded whole: the first tile of such a level would wait too long. */
    static final long MAX_LEVEL_PIXELS = 1L << 20;

    interface Decoder {
        Pixels decode() throws ImageException;
    }

    private final long capacity;
    private final LinkedHashMap<String, Pixels> levels = new LinkedHashMap<>(16, 0.75f, true);
    private final ConcurrentHashMap<String, Object> decoding = new ConcurrentHashMap<>();
    private long bytes;
    private long hits;
    private long decodes;

    LevelCache(long capacityBytes) {
        this.capacity = capacityBytes;
    }

    /** True when a level of this many pixels is decoded whole and kept. */
    boolean keeps(long pixels) {
        return pixels > 0 && pixels <= MAX_LEVEL_PIXELS && cost(pixels) * LEVELS_AT_LEAST <= capacity;
    }

    /** The level under {@code key}, decoded by {@code decoder} if no one has it; never modify what it returns. */
    Pixels get(String key, Decoder decoder) throws ImageException {
        Pixels p = lookup(key);
        if (p != null) return p;
        Object lock = decoding.computeIfAbsent(key, k -> new Object());
        synchronized (lock) {
            try {
                p = lookup(key);                       // decoded meanwhile by the request this one waited for
                if (p != null) return p;
                p = decoder.decode();
                store(key, p);
                return p;
            } finally {
                decoding.remove(key, lock);
            }
        }
    }

    private synchronized Pixels lookup(String key) {
        Pixels p = levels.get(key);
        if (p != null) hits++;
        return p;
    }

    private synchronized void store(String key, Pixels p) {
        decodes++;
        long cost = cost((long) p.width() * p.height());
        if (cost > capacity) return;
        Pixels old = levels.put(key, p);
        if (old != null) bytes -= cost((long) old.width() * old.height());
        bytes += cost;
        Iterator<Map.Entry<String, Pixels>> eldest = levels.entrySet().iterator();
        while (bytes > capacity && eldest.hasNext()) {
            Pixels gone = eldest.next().getValue();
            bytes -= cost((long) gone.width() * gone.height());
            eldest.remove();
        }
    }

    /** Levels kept, their bytes, lookups answered from memory and whole-level decodes made. */
    synchronized long[] stats() {
        return new long[] {levels.size(), bytes, hits, decodes};
    }

    private static long cost(long pixels) {
        return pixels * Integer.BYTES;
    }
}
