package org.vellum.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.vellum.image.ImageException;

/** The output cache on its own: memory bound, least recently used first out, one production per concurrent key. */
class OutputCacheTest {
    private static final int WAITERS = 7;

    @Test
    void theMemoryCacheNeverHoldsMoreBytesThanItsCapacity() throws ImageException {
        long capacity = 10_000;
        OutputCache cache = new OutputCache(capacity, null);
        for (int i = 0; i < 100; i++) {
            byte[] value = new byte[300 + i * 7];
            cache.get("image " + i, true, () -> value);
            assertTrue(cache.stats().bytes() <= capacity, "after " + i + ": " + cache.stats());
        }
        assertTrue(cache.stats().entries() < 100, "older entries were evicted");
        assertTrue(cache.stats().bytes() > capacity / 2, "but the space is used: " + cache.stats());
    }

    @Test
    void theLeastRecentlyUsedImageLeavesFirst() {
        ByteLru lru = new ByteLru(3 * (100 + ByteLru.ENTRY_OVERHEAD));
        lru.put("a", new byte[100]);
        lru.put("b", new byte[100]);
        lru.put("c", new byte[100]);
        assertNotNull(lru.get("a"));                          // a is now the most recently used
        lru.put("d", new byte[100]);
        assertNull(lru.get("b"), "b was the least recently used");
        assertNotNull(lru.get("a"));
        assertNotNull(lru.get("c"));
        assertNotNull(lru.get("d"));
    }

    @Test
    void anImageLargerThanTheWholeCacheIsNotKept() throws ImageException {
        OutputCache cache = new OutputCache(1000, null);
        cache.get("small", true, () -> new byte[100]);
        cache.get("huge", true, () -> new byte[5000]);
        assertEquals(1, cache.stats().entries(), "the huge one did not push out the small one");
    }

    @Test
    void concurrentRequestsForTheSameImageProduceItOnce() throws Exception {
        OutputCache cache = new OutputCache(0, null);          // memory off: only coalescing can save the work
        AtomicInteger productions = new AtomicInteger();
        byte[] image = {1, 2, 3};
        OutputCache.Producer slow = () -> {
            productions.incrementAndGet();
            awaitWaiters(cache);
            return image;
        };
        ExecutorService threads = Executors.newFixedThreadPool(WAITERS + 1);
        try {
            List<Future<byte[]>> results = new ArrayList<>();
            for (int i = 0; i <= WAITERS; i++) results.add(threads.submit(() -> cache.get("same", true, slow)));
            for (Future<byte[]> r : results) assertSame(image, r.get(10, TimeUnit.SECONDS));
        } finally {
            threads.shutdownNow();
        }
        assertEquals(1, productions.get());
        assertEquals(WAITERS, cache.stats().coalesced());
        assertEquals(1, cache.stats().produced());
    }

    @Test
    void aFailureReachesEveryWaiterAndIsNotCached() throws Exception {
        OutputCache cache = new OutputCache(1_000_000, null);
        AtomicInteger productions = new AtomicInteger();
        OutputCache.Producer failing = () -> {
            productions.incrementAndGet();
            awaitWaiters(cache);
            throw new ImageException(404, "no such tile");
        };
        ExecutorService threads = Executors.newFixedThreadPool(WAITERS + 1);
        try {
            List<Future<byte[]>> results = new ArrayList<>();
            for (int i = 0; i <= WAITERS; i++) results.add(threads.submit(() -> cache.get("bad", true, failing)));
            for (Future<byte[]> r : results) {
                try {
                    r.get(10, TimeUnit.SECONDS);
                    fail("a waiter got a value");
                } catch (java.util.concurrent.ExecutionException e) {
                    ImageException ie = (ImageException) e.getCause();
                    assertEquals(404, ie.status());
                    assertEquals("no such tile", ie.getMessage());
                }
            }
        } finally {
            threads.shutdownNow();
        }
        assertEquals(1, productions.get(), "the waiters shared the one failure");
        assertEquals(0, cache.stats().entries());
        assertArrayEquals(new byte[] {9}, cache.get("bad", true, () -> new byte[] {9}), "asked again, not stored");
    }

    @Test
    void aKeyIsShortAndPlainEnoughForMemcached() {
        String key = OutputCache.keyOf("/images/a b.jp2|" + "x".repeat(5000));
        assertTrue(key.length() <= 250);
        assertFalse(key.chars().anyMatch(c -> c <= ' ' || c >= 127));
    }

    @Test
    void memcachedServersAreHostAndOptionalPortCommaSeparated() {
        try (Memcached m = Memcached.of(" a.example , b.example:11212,[::1]:11213,::1 ,", 60)) {
            assertEquals(List.of("a.example:11211", "b.example:11212", "[::1]:11213", "[::1]:11211"), m.servers());
        }
        assertNull(Memcached.of(" , ", 60), "an empty list is no memcached");
    }

    /** Holds the first request until the others have all found it running and are waiting for it. */
    private static void awaitWaiters(OutputCache cache) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (cache.stats().coalesced() < WAITERS) {
            if (System.nanoTime() > end) throw new IllegalStateException("the others never came: " + cache.stats());
            Thread.onSpinWait();
        }
    }
}
