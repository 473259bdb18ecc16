package org.vellum.fedora;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/** A bounded least-recently-used map whose entries expire: Fedora's answers to forwarded requests. */
final class TtlCache<K, V> {
    private record Entry<V>(V value, long expiresAt) {
    }

    private final long ttlNanos;
    private final LongSupplier clock;
    private final Map<K, Entry<V>> map;

    TtlCache(int maxEntries, Duration ttl, LongSupplier nanoClock) {
        this.ttlNanos = ttl.toNanos();
        this.clock = nanoClock;
        this.map = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, Entry<V>> eldest) {
                return size() > maxEntries;
            }
        };
    }

    synchronized V get(K key) {
        Entry<V> e = map.get(key);
        if (e == null) return null;
        if (clock.getAsLong() - e.expiresAt > 0) {
            map.remove(key);
            return null;
        }
        return e.value;
    }

    synchronized void remove(K key) {
        map.remove(key);
    }

    synchronized void put(K key, V value) {
        map.put(key, new Entry<>(value, clock.getAsLong() + ttlNanos));
    }
}
