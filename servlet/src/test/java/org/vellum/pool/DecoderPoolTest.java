package org.vellum.pool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vellum.codec.openjpeg.Jp2Reader;
import org.vellum.codec.openjpeg.OpenJpegException;
import org.vellum.codec.openjpeg.Raster;
import org.vellum.testing.Fixtures;

/** Open decoders kept ready per file: reused while the file is unchanged, never reused once broken or stale. */
class DecoderPoolTest {
    @TempDir
    Path dir;
    Path grid;
    Path other;
    DecoderPool pool;

    @BeforeEach
    void setUp() {
        grid = Fixtures.write(dir, "grid.jp2", Fixtures.colourGrid(600, 400), Fixtures.lossless(3, 256));
        other = Fixtures.write(dir, "other.jp2", Fixtures.colourGrid(300, 200), Fixtures.lossless(2, 0));
        pool = new DecoderPool(16, 2, Duration.ofMinutes(5));
    }

    @AfterEach
    void tearDown() {
        pool.close();
    }

    /** Tile (x, y) of 256 at full resolution, checked against the grid's known colours at its centre. */
    private void decodeTile(DecoderKey key, int x, int y) throws OpenJpegException {
        Raster r = pool.withDecoder(key, reader -> reader.decode(x, y, 256, 256, 0));
        BufferedImage img = r.toImage();
        int cx = Math.min(img.getWidth() - 1, 32);
        int cy = Math.min(img.getHeight() - 1, 32);
        assertEquals(Fixtures.gridColour(x + cx, y + cy), img.getRGB(cx, cy) & 0xFFFFFF);
    }

    @Test
    void aDecoderIsReusedForTheSameFile() throws Exception {
        DecoderKey key = new DecoderKey(grid, 0);
        for (int i = 0; i < 30; i++) decodeTile(key, i % 3 * 256 % 600, i % 2 * 256);
        PoolStats s = pool.stats();
        assertEquals(1, s.created());
        assertEquals(30, s.borrowed());
        assertEquals(0, s.active());
        assertEquals(1, s.idle());
    }

    @Test
    void aDecoderIsKeyedByFileAndLayers() throws Exception {
        decodeTile(new DecoderKey(grid, 0), 0, 0);
        decodeTile(new DecoderKey(grid, 1), 0, 0);
        decodeTile(new DecoderKey(other, 0), 0, 0);
        decodeTile(new DecoderKey(grid, 0), 256, 0);
        assertEquals(3, pool.stats().created());
    }

    @Test
    void aDecoderWhoseFileWasRewrittenIsNotReused() throws Exception {
        DecoderKey key = new DecoderKey(grid, 0);
        assertEquals(600, (int) pool.withDecoder(key, reader -> reader.header().width()));
        // rewritten in place: new size and new mtime
        Fixtures.write(dir, "grid.jp2", Fixtures.colourGrid(700, 300), Fixtures.lossless(3, 256));
        Files.setLastModifiedTime(grid, FileTime.fromMillis(System.currentTimeMillis() + 5000));
        assertEquals(700, (int) pool.withDecoder(key, reader -> reader.header().width()));
        assertEquals(2, pool.stats().created());
        assertEquals(1, pool.stats().destroyed());
    }

    @Test
    void aDecoderWhoseFileWasTouchedIsNotReused() throws Exception {
        DecoderKey key = new DecoderKey(grid, 0);
        decodeTile(key, 0, 0);
        Files.setLastModifiedTime(grid, FileTime.fromMillis(Files.getLastModifiedTime(grid).toMillis() + 2000));
        decodeTile(key, 0, 0);
        assertEquals(2, pool.stats().created());
    }

    @Test
    void aDecoderThatThrewIsDestroyedNotReturned() throws Exception {
        DecoderKey key = new DecoderKey(grid, 0);
        decodeTile(key, 0, 0);
        List<Jp2Reader> seen = new ArrayList<>();
        assertThrows(OpenJpegException.class, () -> pool.withDecoder(key, reader -> {
            seen.add(reader);
            throw new OpenJpegException("simulated decoder failure");
        }));
        assertEquals(1, pool.stats().invalidated());
        assertEquals(1, pool.stats().destroyed());
        assertTrue(!seen.get(0).usable(), "the failed reader is closed");
        decodeTile(key, 256, 256);   // the next request works, on a fresh decoder
        assertTrue((boolean) pool.withDecoder(key, reader -> reader != seen.get(0)));
        assertEquals(2, pool.stats().created());
    }

    @Test
    void aDecoderThatThrewAnUncheckedExceptionIsDestroyedToo() throws Exception {
        DecoderKey key = new DecoderKey(grid, 0);
        assertThrows(IllegalArgumentException.class,
                () -> pool.withDecoder(key, reader -> reader.decode(0, 0, 10, 10, 99)));
        assertEquals(1, pool.stats().invalidated());
        decodeTile(key, 0, 0);
        assertEquals(0, pool.stats().active());
    }

    @Test
    void aCallerInterruptedWhileItsDecodeRunsGetsStoppedNotAFailure() throws Exception {
        CountDownLatch decoding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try {
            Future<Object> waiting = caller.submit(() -> {
                try {
                    return pool.withDecoder(new DecoderKey(grid, 0), reader -> {
                        decoding.countDown();
                        try {
                            release.await();   // the decode is still running when its caller is interrupted
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();   // the pool cancels the work of a caller that left
                        }
                        return reader.header();
                    });
                } catch (RuntimeException e) {
                    return e;
                }
            });
            assertTrue(decoding.await(30, TimeUnit.SECONDS));
            caller.shutdownNow();   // interrupts the caller, as stopping a bundle interrupts its background threads
            Object thrown = waiting.get(30, TimeUnit.SECONDS);
            assertTrue(thrown instanceof DecoderPool.Stopped, "got " + thrown);
        } finally {
            release.countDown();
            caller.shutdownNow();
        }
        decodeTile(new DecoderKey(grid, 0), 0, 0);   // the pool goes on serving
    }

    @Test
    void aFileThatIsNotJpeg2000GivesAnOpenJpegExceptionAndLeavesThePoolWorking() throws Exception {
        Path junk = Files.write(dir.resolve("junk.jp2"), new byte[] {0, 0, 0, 12, 'j', 'P', ' ', ' ', 1, 2, 3});
        assertThrows(OpenJpegException.class, () -> pool.withDecoder(new DecoderKey(junk, 0), Jp2Reader::header));
        decodeTile(new DecoderKey(grid, 0), 0, 0);
        assertEquals(0, pool.stats().active());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What a reader of the single-tile file holds natively once it has decoded. */
    private static long decodedNativeBytes(Path file) throws OpenJpegException {
        return decodedNativeBytes(file, 0);
    }

    /** The same for a reader set up for {@code reduce} (of a copy cut after that level, where the file allows it). */
    private static long decodedNativeBytes(Path file, int reduce) throws OpenJpegException {
        try (Jp2Reader r = Jp2Reader.open(file, 0, reduce)) {
            long header = r.nativeBytes();
            r.decode(0, 0, 64, 64, reduce);
            assertTrue(r.nativeBytes() > header, "a single-tile codec holds its codestream once it has decoded");
            return r.nativeBytes();
        }
    }

    @Test
    void aSingleTileFileKeepsADecoderPerLevel() throws Exception {
        // "other" is one codestream tile; a decoder set up for one reduce serves it without re-reading the codestream
        int[] reduces = {0, 1, 0, 1, 2, 1, 0, 2};
        for (int r : reduces) {
            Raster pooled = pool.withDecoder(new DecoderKey(other, 0, r), reader -> reader.decode(0, 0, 300, 200, r));
            Raster direct;
            try (Jp2Reader fresh = Jp2Reader.open(other, 0)) {
                direct = fresh.decode(0, 0, 300, 200, r);
            }
            assertEquals(direct.width(), pooled.width());
            for (int c = 0; c < direct.planes().length; c++) {
                assertArrayEquals(direct.planes()[c], pooled.planes()[c], "reduce " + r + ", component " + c);
            }
        }
        PoolStats s = pool.stats();
        assertEquals(3, s.created(), "one decoder for each of the three levels asked for");
        assertEquals(3, s.idle());
    }

    @Test
    void idleDecodersAreClosedWhileTheOpenOnesHoldMoreThanTheBudget() throws Exception {
        long one = decodedNativeBytes(other);
        long reduced = decodedNativeBytes(other, 1);
        assertTrue(reduced <= one && reduced * 2 > one, "the reduce-1 decoder holds a little less: " + reduced);
        try (DecoderPool small = new DecoderPool(16, 2, Duration.ofMinutes(5), one)) {
            small.withDecoder(new DecoderKey(other, 0, 0), reader -> reader.decode(0, 0, 64, 64, 0));
            assertEquals(one, small.stats().nativeBytes());
            assertEquals(1, small.stats().idle(), "within the budget a decoder stays open");
            small.withDecoder(new DecoderKey(other, 0, 1), reader -> reader.decode(0, 0, 64, 64, 1));
            PoolStats s = small.stats();
            assertEquals(1, s.destroyed(), "an idle decoder was closed to get back within the budget");
            assertEquals(1, s.idle());
            assertTrue(s.nativeBytes() <= one, s.nativeBytes() + " bytes open, budget " + one);
        }
    }

    @Test
    void anIdleDecoderIsClosedAfterTheIdleTime() throws Exception {
        try (DecoderPool shortLived = new DecoderPool(16, 2, Duration.ofSeconds(1))) {
            shortLived.withDecoder(new DecoderKey(grid, 0), reader -> reader.decode(0, 0, 64, 64, 0));
            assertEquals(1, shortLived.stats().created());     // (idle may already be 0 on a loaded machine)
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            // The evictor takes a decoder off the idle list before destroying it: wait for both, or a loaded machine
            // sees idle 0 and destroyed 0 in between.
            while ((shortLived.stats().idle() > 0 || shortLived.stats().destroyed() < 1) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(0, shortLived.stats().idle(), "the evictor closes decoders idle longer than the setting");
            assertEquals(1, shortLived.stats().destroyed());
        }
    }

    /**
     * Eight threads borrow five times each, thread t with key keyOf(t), and decode a tile at the key's level (1 for
     * any) while holding the decoder; returns the most decoders in use at once.
     */
    private static int mostInUseAtOnce(DecoderPool pool, IntFunction<DecoderKey> keyOf, Set<Jp2Reader> readers)
            throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                DecoderKey key = keyOf.apply(t);
                done.add(threads.submit(() -> {
                    go.await();
                    for (int i = 0; i < 5; i++) {
                        pool.withDecoder(key, reader -> {
                            readers.add(reader);
                            most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                            try {
                                sleep(5);
                                Raster r = reader.decode(0, 0, 256, 256, key.reduce() < 0 ? 1 : key.reduce());
                                return r.width();
                            } finally {
                                inside.decrementAndGet();
                            }
                        });
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) f.get(30, TimeUnit.SECONDS);
        } finally {
            threads.shutdownNow();
        }
        return most.get();
    }

    @Test
    void maxPerFileCountsEveryLevelOfASingleTileFile() throws Exception {
        // three keys of one file (a decoder per level), two decoders of it in use at most
        int most = mostInUseAtOnce(pool, t -> new DecoderKey(other, 0, t % 3), ConcurrentHashMap.newKeySet());
        assertEquals(2, most, "at most 2 decoders of one file at once, and both used");
        assertEquals(0, pool.stats().active());
    }

    @Test
    void aLevelWhoseDecodersDoNotFitTheBudgetTwiceHasOneDecoderInUse() throws Exception {
        long one = decodedNativeBytes(other);
        // one fits with room to spare, two do not: a second would push out the first, set up again at the next request
        try (DecoderPool small = new DecoderPool(16, 2, Duration.ofMinutes(5), one * 3 / 2)) {
            small.withDecoder(new DecoderKey(other, 0, 0), reader -> reader.decode(0, 0, 64, 64, 0));
            Set<Jp2Reader> readers = ConcurrentHashMap.newKeySet();
            assertEquals(1, mostInUseAtOnce(small, t -> new DecoderKey(other, 0, 0), readers), "one level, one decoder");
            assertEquals(1, readers.size(), "and no second one set up for it");
            assertTrue(small.stats().nativeBytes() <= one * 3 / 2);
        }
    }

    @Test
    void maxPerFileIsRespectedUnderConcurrentBorrowers() throws Exception {
        DecoderKey key = new DecoderKey(grid, 0);
        Set<Jp2Reader> readers = ConcurrentHashMap.newKeySet();
        AtomicInteger most = new AtomicInteger(mostInUseAtOnce(pool, t -> key, readers));
        assertTrue(most.get() <= 2, "at most 2 decoders of one file at once, saw " + most.get());
        assertEquals(2, most.get(), "both decoders were used");
        assertTrue(pool.stats().created() <= 2, "created " + pool.stats().created());
        assertEquals(2, readers.size());
        assertEquals(40, pool.stats().borrowed());
        assertTrue(pool.stats().waits() > 0);
    }

    @Test
    void turnsForAFileAreGivenInArrivalOrder() throws Exception {
        // one decoder of the file at a time: the first request holds it while four more line up one after another
        try (DecoderPool one = new DecoderPool(16, 1, Duration.ofMinutes(5))) {
            DecoderKey key = new DecoderKey(grid, 0);
            List<Integer> order = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            ExecutorService threads = Executors.newFixedThreadPool(5);
            try {
                List<Future<?>> done = new ArrayList<>();
                done.add(threads.submit(() -> one.withDecoder(key, reader -> {
                    holding.countDown();
                    await(release);
                    return reader.decode(0, 0, 64, 64, 0);
                })));
                assertTrue(holding.await(10, TimeUnit.SECONDS));
                for (int n = 1; n <= 4; n++) {
                    int me = n;
                    done.add(threads.submit(() -> one.withDecoder(key, reader -> {
                        order.add(me);
                        return reader.decode(0, 0, 64, 64, 0);
                    })));
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (one.stats().waits() < n && System.nanoTime() < deadline) sleep(1); // now in line
                    assertEquals(n, one.stats().waits(), "request " + n + " waits in line");
                }
                release.countDown();
                for (Future<?> f : done) f.get(30, TimeUnit.SECONDS);
            } finally {
                threads.shutdownNow();
            }
            assertEquals(List.of(1, 2, 3, 4), order);
        }
    }

    @Test
    void atMostMaxWorkingDecodersWorkAtOnceWhateverTheirFile() throws Exception {
        try (DecoderPool cores = new DecoderPool(16, 4, Duration.ofMinutes(5), Long.MAX_VALUE, 1)) {
            Set<Jp2Reader> readers = ConcurrentHashMap.newKeySet();
            int most = mostInUseAtOnce(cores, t -> new DecoderKey(t % 2 == 0 ? grid : other, 0), readers);
            assertEquals(1, most, "one decoder working at a time");
            assertTrue(readers.stream().map(Jp2Reader::file).distinct().count() == 2, "both files were decoded");
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(30, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
