package org.vellum.image;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whole decoded resolution levels that are small enough to keep (LEVEL_CACHE_SIZE), least recently used out first.
 * A viewer asks for every tile of the small levels; each of those levels costs one decode of the whole level instead
 * of one per tile. For a tiled file a tile of a small level spans many codestream tiles; for a single-tile file
 * OpenJPEG 2.5 parses every packet header of the whole tile and decodes the coarse code-blocks again for any area, so
 * there a whole level of up to {@link #MAX_SINGLE_TILE_LEVEL_PIXELS} costs what 5 to 12 of its 256x256 tiles cost
 * (measured on 8000x6000 and 16000x12000 files) and is kept too. Levels are stored with one byte per band and pixel.
 * Concurrent first requests for a level wait for one decode.
 */
final class LevelCache {
    /** A level is kept only if it takes at most this share of the cache, so a few levels always fit. */
    private static final int LEVELS_AT_LEAST = 4;

    /** Larger levels of a tiled file are not decoded whole: the first tile of such a level would wait too long. */
    static final long MAX_LEVEL_PIXELS = 1L << 20;

    /** The same for a single-tile file, where one tile there costs a twelfth to a fifth of the whole level. */
    static final long MAX_SINGLE_TILE_LEVEL_PIXELS = 4L << 20;

    /** A whole level is decoded in bands of about this many pixels, so its decode needs little more heap than it. */
    static final long BAND_PIXELS = 1L << 20;

    interface Decoder {
        Level decode() throws ImageException;
    }

    /**
     * A decoded level, {@code bands} bytes a pixel (grey, grey+alpha, RGB, RGBA), rows top to bottom.
     * Grey levels keep one sample of the grey pixel (decoded grey pixels have equal red, green and blue).
     */
    static final class Level {
        private final int width;
        private final int height;
        private final int bands;
        private final byte[] samples;

        Level(int width, int height, int bands) {
            if (bands < 1 || bands > 4) throw new IllegalArgumentException("bands " + bands);
            this.width = width;
            this.height = height;
            this.bands = bands;
            this.samples = new byte[Math.multiplyExact(Math.multiplyExact(width, height), bands)];
        }

        long bytes() {
            return samples.length;
        }

        /** Stores {@code rows}, as wide as the level, from row y0 down. */
        void put(Pixels rows, int y0) {
            if (rows.width() != width || y0 < 0 || y0 + rows.height() > height) {
                throw new IllegalArgumentException(rows.width() + "x" + rows.height() + " at row " + y0 + " of "
                        + width + "x" + height);
            }
            int[] argb = rows.argb();
            int o = y0 * width * bands;
            for (int p : argb) {
                switch (bands) {
                    case 1 -> samples[o++] = (byte) (p >> 16);
                    case 2 -> {
                        samples[o++] = (byte) (p >> 16);
                        samples[o++] = (byte) (p >>> 24);
                    }
                    case 3 -> {
                        samples[o++] = (byte) (p >> 16);
                        samples[o++] = (byte) (p >> 8);
                        samples[o++] = (byte) p;
                    }
                    default -> {
                        samples[o++] = (byte) (p >> 16);
                        samples[o++] = (byte) (p >> 8);
                        samples[o++] = (byte) p;
                        samples[o++] = (byte) (p >>> 24);
                    }
                }
            }
        }

        /** The w x h area at (x, y), which must lie inside, as pixels (opaque where the level has no alpha). */
        Pixels crop(int x, int y, int w, int h) {
            if (x < 0 || y < 0 || w < 0 || h < 0 || x + w > width || y + h > height) {
                throw new IllegalArgumentException(w + "x" + h + "+" + x + "+" + y + " outside " + width + "x" + height);
            }
            int[] out = new int[Math.multiplyExact(w, h)];
            int k = 0;
            for (int row = 0; row < h; row++) {
                int i = ((y + row) * width + x) * bands;
                for (int col = 0; col < w; col++) {
                    int a = 0xFF;
                    int r;
                    int g;
                    int b;
                    if (bands <= 2) {
                        r = g = b = samples[i++] & 0xFF;
                        if (bands == 2) a = samples[i++] & 0xFF;
                    } else {
                        r = samples[i++] & 0xFF;
                        g = samples[i++] & 0xFF;
                        b = samples[i++] & 0xFF;
                        if (bands == 4) a = samples[i++] & 0xFF;
                    }
                    out[k++] = a << 24 | r << 16 | g << 8 | b;
                }
            }
            return new Pixels(w, h, out, bands);
        }
    }

    private final long capacity;
    private final LinkedHashMap<String, Level> levels = new LinkedHashMap<>(16, 0.75f, true);
    private final ConcurrentHashMap<String, Object> decoding = new ConcurrentHashMap<>();
    private long bytes;
    private long hits;
    private long decodes;

    LevelCache(long capacityBytes) {
        this.capacity = capacityBytes;
    }

    /** True when a level of this many pixels and bands (of a single-tile file or not) is decoded whole and kept. */
    boolean keeps(long pixels, int bands, boolean singleTile) {
        long most = singleTile ? MAX_SINGLE_TILE_LEVEL_PIXELS : MAX_LEVEL_PIXELS;
        return pixels > 0 && pixels <= most && pixels * bands * LEVELS_AT_LEAST <= capacity;
    }

    /** The level under {@code key}, decoded by {@code decoder} if no one has it. */
    Level get(String key, Decoder decoder) throws ImageException {
        Level p = lookup(key);
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

    private synchronized Level lookup(String key) {
        Level p = levels.get(key);
        if (p != null) hits++;
        return p;
    }

    private synchronized void store(String key, Level p) {
        decodes++;
        if (p.bytes() > capacity) return;
        Level old = levels.put(key, p);
        if (old != null) bytes -= old.bytes();
        bytes += p.bytes();
        Iterator<Map.Entry<String, Level>> eldest = levels.entrySet().iterator();
        while (bytes > capacity && eldest.hasNext()) {
            Level gone = eldest.next().getValue();
            bytes -= gone.bytes();
            eldest.remove();
        }
    }

    /** Levels kept, their bytes, lookups answered from memory and whole-level decodes made. */
    synchronized long[] stats() {
        return new long[] {levels.size(), bytes, hits, decodes};
    }
}
