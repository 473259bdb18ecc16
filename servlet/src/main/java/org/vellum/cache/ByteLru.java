package org.vellum.cache;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Byte arrays by key, least recently used dropped first once their bytes pass the capacity. Each entry is counted as
 * its value's length plus {@link #ENTRY_OVERHEAD} for its key and bookkeeping, so many tiny entries cannot exceed the
 * bound either. A value larger than the whole capacity is not kept.
 */
final class ByteLru {
    static final int ENTRY_OVERHEAD = 160;

    private final long capacity;
    private final LinkedHashMap<String, byte[]> entries = new LinkedHashMap<>(256, 0.75f, true);
    private long bytes;

    ByteLru(long capacity) {
        this.capacity = capacity;
    }

    synchronized byte[] get(String key) {
        return entries.get(key);
    }

    synchronized void put(String key, byte[] value) {
        long cost = cost(value);
        if (cost > capacity) return;
        byte[] old = entries.put(key, value);
        if (old != null) bytes -= cost(old);
        bytes += cost;
        Iterator<Map.Entry<String, byte[]>> eldest = entries.entrySet().iterator();
        while (bytes > capacity && eldest.hasNext()) {
            bytes -= cost(eldest.next().getValue());
            eldest.remove();
        }
    }

    synchronized void clear() {
        entries.clear();
        bytes = 0;
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized int size() {
        return entries.size();
    }

    long capacity() {
        return capacity;
    }

    private static long cost(byte[] value) {
        return value.length + (long) ENTRY_OVERHEAD;
    }
}
