package org.vellum.cache;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import org.vellum.memory.Demand;
import org.vellum.memory.MemoryBudget;

/**
 * Byte arrays by key, least recently used dropped first once their bytes pass the capacity. Each entry is counted as
 * its value's length plus {@link #ENTRY_OVERHEAD} for its key and bookkeeping, so many tiny entries cannot exceed the
 * bound either. A value larger than the whole capacity is not kept. Under a shared {@link MemoryBudget} it offers the
 * entry that saves least per byte among its least recently used ones.
 */
final class ByteLru implements MemoryBudget.Holder {
    static final int ENTRY_OVERHEAD = 160;
    /** Least recently used entries weighed against each other when the budget asks for one. */
    private static final int CANDIDATES = 16;

    /** An image, what it took to make it, and how much it is asked for. */
    private static final class Entry {
        final byte[] value;
        final double makeMs;
        final Demand demand = new Demand();

        Entry(byte[] value, double makeMs) {
            this.value = value;
            this.makeMs = makeMs;
        }
    }

    private final long capacity;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(256, 0.75f, true);
    private long bytes;
    private long evictions;

    ByteLru(long capacity) {
        this.capacity = capacity;
    }

    synchronized byte[] get(String key) {
        Entry e = entries.get(key);
        if (e == null) return null;
        e.demand.use();
        return e.value;
    }

    /** As {@link #put(String, byte[], long)} for an image that cost nothing to make. */
    void put(String key, byte[] value) {
        put(key, value, 0);
    }

    /** @param makeNanos what producing (or fetching) the value took: what keeping it saves per use */
    synchronized void put(String key, byte[] value, long makeNanos) {
        long cost = cost(value);
        if (cost > capacity) return;
        Entry e = new Entry(value, makeNanos / 1e6);
        e.demand.use();
        Entry old = entries.put(key, e);
        if (old != null) bytes -= cost(old.value);
        bytes += cost;
        Iterator<Map.Entry<String, Entry>> eldest = entries.entrySet().iterator();
        while (bytes > capacity && eldest.hasNext()) {
            bytes -= cost(eldest.next().getValue().value);
            eldest.remove();
            evictions++;
        }
    }

    synchronized void clear() {
        entries.clear();
        bytes = 0;
    }

    @Override
    public synchronized long bytes() {
        return bytes;
    }

    @Override
    public synchronized MemoryBudget.Investment cheapest() {
        String least = null;
        double value = Double.POSITIVE_INFINITY;
        int seen = 0;
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            Entry v = e.getValue();
            double perByte = v.demand.weight() * v.makeMs / cost(v.value);
            if (perByte < value) {
                value = perByte;
                least = e.getKey();
            }
            if (++seen == CANDIDATES) break;
        }
        if (least == null) return null;
        String key = least;
        return new MemoryBudget.Investment(value, () -> remove(key));
    }

    private synchronized boolean remove(String key) {
        Entry gone = entries.remove(key);
        if (gone == null) return false;
        bytes -= cost(gone.value);
        evictions++;
        return true;
    }

    /** Entries given up so far, for room or for the memory budget (clear() is not counted). */
    synchronized long evictions() {
        return evictions;
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
