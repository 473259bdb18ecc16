package org.vellum.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DISK_CACHE_DIR through the output cache: entries outlive the process and are shared by nodes, appear whole or not at
 * all, are checked before they are served, stay within their size, hold only images anyone may see, and a broken disk
 * never fails a request.
 */
class DiskCacheTest {
    private static final long LIMIT = 100_000_000;

    @TempDir
    Path folder;

    /** A node: memory off, so every answer comes from the disk or the producer. */
    private OutputCache node(Path dir) {
        return new OutputCache(0, DiskCache.open(dir, LIMIT), null);
    }

    private static byte[] image(int seed, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) b[i] = (byte) (i * 31 + seed);
        return b;
    }

    /** A producer that counts its calls. */
    private static OutputCache.Producer counting(AtomicInteger calls, byte[] value) {
        return () -> {
            calls.incrementAndGet();
            return value;
        };
    }

    private static List<Path> files(Path dir) throws IOException {
        while (true) {
            try (Stream<Path> s = Files.walk(dir)) {
                return s.filter(Files::isRegularFile).toList();
            } catch (UncheckedIOException e) {
                if (!(e.getCause() instanceof NoSuchFileException)) throw e;
                // the cache evicted a file while the walk passed it: walk again
            }
        }
    }

    private static long sizeOf(Path dir) throws IOException {
        long total = 0;
        for (Path f : files(dir)) {
            try {
                total += Files.size(f);
            } catch (NoSuchFileException e) {
                // evicted while we looked
            }
        }
        return total;
    }

    @Test
    void anImageProducedOnceIsServedFromDiskByANewCache() throws Exception {
        byte[] tile = image(1, 20_000);
        AtomicInteger calls = new AtomicInteger();
        try (OutputCache before = new OutputCache(1_000_000, DiskCache.open(folder, LIMIT), null)) {
            assertArrayEquals(tile, before.get("tile 1", true, counting(calls, tile)));
            assertEquals(1, before.diskStats().writes());
        }
        try (OutputCache after = node(folder)) {
            byte[] served = after.get("tile 1", true, () -> fail("produced again after the restart"));
            assertArrayEquals(tile, served);
            assertEquals(1, after.stats().diskHits());
            assertEquals(0, after.stats().produced());
        }
        assertEquals(1, calls.get());
    }

    @Test
    void aDiskHitAlsoFillsTheMemoryCache() throws Exception {
        byte[] tile = image(2, 5_000);
        try (OutputCache writer = node(folder)) {
            writer.get("tile 2", true, () -> tile);
        }
        try (OutputCache reader = new OutputCache(1_000_000, DiskCache.open(folder, LIMIT), null)) {
            reader.get("tile 2", true, () -> fail("on disk"));
            assertArrayEquals(tile, reader.get("tile 2", true, () -> fail("in memory")));
            assertEquals(1, reader.stats().diskHits());
            assertEquals(1, reader.stats().localHits());
        }
    }

    @Test
    void twoCachesSharingOneFolderSeeEachOthersEntries() throws Exception {
        byte[] a = image(3, 8_000);
        byte[] b = image(4, 9_000);
        try (OutputCache nodeA = node(folder); OutputCache nodeB = node(folder)) {
            nodeA.get("a", true, () -> a);
            nodeB.get("b", true, () -> b);
            assertArrayEquals(b, nodeA.get("b", true, () -> fail("node B made it")));
            assertArrayEquals(a, nodeB.get("a", true, () -> fail("node A made it")));
            assertEquals(1, nodeA.stats().produced());
            assertEquals(1, nodeB.stats().produced());
            assertEquals(1, nodeA.diskStats().hits());
            assertEquals(1, nodeB.diskStats().hits());
        }
    }

    @Test
    void writesAreAtomicNoPartialFileIsEverVisible() throws Exception {
        String key = OutputCache.keyOf("contended");
        // different contents and lengths per writer, so a mix of two or a cut file cannot pass for a whole one
        int writers = 4;
        List<byte[]> values = new ArrayList<>();
        for (int w = 0; w < writers; w++) values.add(image(w, 200_000 + w * 10_007));
        try (DiskCache cache = DiskCache.open(folder, LIMIT)) {
            Path file = cache.fileOf(key);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger reads = new AtomicInteger();
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService threads = Executors.newFixedThreadPool(writers + 4);
            List<Future<?>> work = new ArrayList<>();
            try {
                for (int w = 0; w < writers; w++) {
                    byte[] mine = values.get(w);
                    work.add(threads.submit(() -> {
                        start.await();
                        for (int i = 0; i < 40; i++) cache.put(key, mine);
                        return null;
                    }));
                }
                for (int r = 0; r < 4; r++) {
                    boolean raw = r % 2 == 0;
                    work.add(threads.submit(() -> {
                        start.await();
                        while (!stop.get()) {
                            byte[] got = raw ? rawPayload(file) : cache.get(key);
                            if (got == null) continue;
                            reads.incrementAndGet();
                            assertTrue(values.stream().anyMatch(v -> Arrays.equals(v, got)),
                                    "a read of " + got.length + " bytes is none of the written images");
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (int w = 0; w < writers; w++) work.get(w).get(60, TimeUnit.SECONDS);
                stop.set(true);
                for (Future<?> f : work) f.get(60, TimeUnit.SECONDS);
            } finally {
                stop.set(true);
                threads.shutdownNow();
            }
            assertTrue(reads.get() > 0, "the readers saw the entry");
            assertEquals(writers * 40, cache.stats().writes());
            assertNotNull(cache.get(key));
            assertEquals(List.of(file), files(folder), "one entry, no temporary file left behind");
        }
    }

    /** The file's payload as its bytes on disk say, without the cache's checks: a partial file would show here. */
    private static byte[] rawPayload(Path file) throws IOException {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        }
        return Arrays.copyOfRange(all, DiskCache.HEADER, all.length);
    }

    @Test
    void aTruncatedEntryIsIgnoredAndRewritten() throws Exception {
        byte[] tile = image(5, 30_000);
        AtomicInteger calls = new AtomicInteger();
        try (OutputCache cache = node(folder)) {
            cache.get("cut", true, counting(calls, tile));
            Path file = onlyFile();
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                f.setLength(f.length() / 2);
            }
            assertArrayEquals(tile, cache.get("cut", true, counting(calls, tile)));
            assertEquals(2, calls.get(), "the cut file was not served");
            assertEquals(DiskCache.HEADER + tile.length, Files.size(file), "whole again");
            assertArrayEquals(tile, cache.get("cut", true, () -> fail("now whole on disk")));
        }
    }

    @Test
    void aCorruptedEntryIsIgnored() throws Exception {
        byte[] tile = image(6, 30_000);
        AtomicInteger calls = new AtomicInteger();
        try (OutputCache cache = node(folder)) {
            cache.get("flipped", true, counting(calls, tile));
            Path file = onlyFile();
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                f.seek(DiskCache.HEADER + 12_345);
                int b = f.read();
                f.seek(DiskCache.HEADER + 12_345);
                f.write(b ^ 0x10);
            }
            assertArrayEquals(tile, cache.get("flipped", true, counting(calls, tile)));
            assertEquals(2, calls.get(), "the damaged file was not served");
            assertEquals(2, cache.diskStats().misses(), "the first look, and the damaged file");
            assertArrayEquals(tile, cache.get("flipped", true, () -> fail("rewritten whole")));
        }
    }

    @Test
    void aFileThatIsNoEntryIsNeverServed() throws Exception {
        try (DiskCache cache = DiskCache.open(folder, LIMIT)) {
            String key = OutputCache.keyOf("foreign");
            Path file = cache.fileOf(key);
            Files.createDirectories(file.getParent());
            Files.write(file, image(7, 1000));
            assertNull(cache.get(key));
        }
    }

    @Test
    void personalImagesNeverReachTheDisk() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        byte[] mine = image(8, 4_000);
        try (OutputCache cache = node(folder)) {
            cache.get("someone's", false, counting(calls, mine));
            cache.get("someone's", false, counting(calls, mine));
            assertEquals(2, calls.get(), "not read back from the disk either");
            assertEquals(0, cache.diskStats().writes());
        }
        assertEquals(List.of(), files(folder));
    }

    @Test
    void theFolderStaysWithinItsSizeLimit() throws Exception {
        long limit = 100_000;
        int size = 10_000 - DiskCache.HEADER;                      // files of 10 000 bytes: ten fit
        long hourAgo = System.currentTimeMillis() - 3_600_000;
        try (DiskCache cache = DiskCache.open(folder, limit)) {
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                keys.add(OutputCache.keyOf("old " + i));
                cache.put(keys.get(i), image(i, size));
                // written an hour ago, oldest first, as if many requests had passed since
                Files.setLastModifiedTime(cache.fileOf(keys.get(i)), FileTime.fromMillis(hourAgo + i * 1000L));
            }
            assertNotNull(cache.get(keys.get(0)), "the oldest is used again now");
            for (int i = 0; i < 5; i++) cache.put(OutputCache.keyOf("new " + i), image(100 + i, size));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (sizeOf(folder) > limit && System.nanoTime() < deadline) Thread.sleep(20);
            assertTrue(sizeOf(folder) <= limit, sizeOf(folder) + " bytes on disk");
            assertTrue(Files.exists(cache.fileOf(keys.get(0))), "the entry used again survived");
            assertFalse(Files.exists(cache.fileOf(keys.get(1))), "the least recently used left first");
            assertTrue(cache.stats().evictions() >= 3, cache.stats().toString());
        }
    }

    @Test
    void entriesAlreadyOnDiskCountAgainstTheLimitAfterARestart() throws Exception {
        long limit = 50_000;
        try (DiskCache before = DiskCache.open(folder, 10 * limit)) {
            for (int i = 0; i < 10; i++) before.put(OutputCache.keyOf("kept " + i), image(i, 10_000));
        }
        assertTrue(sizeOf(folder) > limit);
        try (DiskCache after = DiskCache.open(folder, limit)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (sizeOf(folder) > limit && System.nanoTime() < deadline) Thread.sleep(20);
            assertTrue(sizeOf(folder) <= limit, "the start-up scan evicted: " + sizeOf(folder) + " bytes");
        }
    }

    @Test
    void aFolderThatCannotBeWrittenNeverFailsARequest() throws Exception {
        Path notAFolder = Files.writeString(folder.resolve("a-file"), "x");
        AtomicInteger calls = new AtomicInteger();
        byte[] tile = image(9, 3_000);
        try (OutputCache cache = node(notAFolder.resolve("cache"))) {
            assertArrayEquals(tile, cache.get("tile", true, counting(calls, tile)));
            assertArrayEquals(tile, cache.get("tile", true, counting(calls, tile)));
            assertEquals(2, calls.get());
            assertEquals(0, cache.diskStats().writes());
            assertEquals(2, cache.diskStats().misses());
        }
    }

    @Test
    void filesOtherThanEntriesAreNeitherCountedNorDeleted() throws Exception {
        Path stranger = folder.resolve("ab").resolve("cd").resolve("scan.jp2");
        Files.createDirectories(stranger.getParent());
        Files.write(stranger, new byte[200_000]);
        try (DiskCache cache = DiskCache.open(folder, 100_000)) {
            cache.evictOnce();
            assertEquals(0, cache.stats().bytes());
            assertEquals(0, cache.stats().evictions());
        }
        assertTrue(Files.exists(stranger), "a wrongly set DISK_CACHE_DIR loses nothing");
    }

    @Test
    void closeStopsTheEvictionThread() {
        DiskCache cache = DiskCache.open(folder, LIMIT);
        Thread evictor = cache.evictor();
        assertTrue(evictor.isAlive());
        assertTrue(evictor.isDaemon());
        assertNull(evictor.getContextClassLoader(), "it pins no class loader");
        assertTrue(evictor.getName().startsWith("vellum-disk-cache"));
        new OutputCache(0, cache, null).close();
        assertFalse(evictor.isAlive(), "OutputCache.close stopped it");
    }

    private Path onlyFile() throws IOException {
        List<Path> all = files(folder);
        assertEquals(1, all.size(), all.toString());
        return all.get(0);
    }
}
