package org.vellum.hostile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vellum.codec.openjpeg.Jp2EncodeOptions;
import org.vellum.codec.openjpeg.Jp2Reader;
import org.vellum.codec.openjpeg.OpenJpegException;
import org.vellum.config.Settings;
import org.vellum.testing.Fixtures;
import org.vellum.testing.Http;

/**
 * A file that grows, shrinks or is rewritten in place while decoders hold it open: every answer stays clear, a pooled
 * decoder is not trusted after the file changed, and the good file is served again once it is back.
 */
class ChangingFileTest {
    static final String TILE = "/iip?FIF=live.jp2&JTL=3,6";

    @TempDir
    static Path images;
    static Path live;
    static byte[] good;
    static byte[] goodTile;
    static Http http;

    @BeforeAll
    static void start() throws IOException {
        Fixtures.write(images, "master.jp2", Fixtures.texturedGrid(1100, 800), new Jp2EncodeOptions(5, 4, 256, false, true));
        good = Files.readAllBytes(images.resolve("master.jp2"));
        live = images.resolve("live.jp2");
        http = new Http(Settings.fromEnvironment(Map.of("FILESYSTEM_PREFIX", images.toString())));
    }

    @AfterAll
    static void stop() throws Exception {
        http.close();
    }

    @BeforeEach
    void restore() throws IOException {
        rewriteInPlace(good);
        goodTile = ok(TILE);
    }

    @Test
    void aFileTruncatedInPlaceUnderAPooledDecoderIsAClean404AndServedAgainWhenRestored() throws IOException {
        assertEquals(200, http.get("/iip?FIF=live.jp2&JTL=0,0").statusCode());   // decoders now pooled
        rewriteInPlace(Arrays.copyOf(good, good.length / 3));
        HttpResponse<byte[]> r = http.get(TILE);
        assertEquals(404, r.statusCode(), Http.text(r));
        rewriteInPlace(good);
        assertArrayEquals(goodTile, ok(TILE));
    }

    @Test
    void aFileThatGrowsIsReopenedAndStillServed() throws IOException {
        byte[] grown = Arrays.copyOf(good, good.length + 100_000);   // zeros after the codestream
        rewriteInPlace(grown);
        assertArrayEquals(goodTile, ok(TILE));
    }

    @Test
    void contentChangedWithoutTheSizeOrMtimeChangingFailsCleanlyInsideThePooledDecoder() throws IOException {
        // The pool cannot see this change (same size, same mtime): the decoder it holds must fail, not crash.
        FileTime mtime = Files.getLastModifiedTime(live);
        byte[] zeros = good.clone();
        Arrays.fill(zeros, good.length / 4, good.length, (byte) 0);
        rewriteInPlace(zeros);
        Files.setLastModifiedTime(live, mtime);
        for (String url : List.of(TILE, "/iip?FIF=live.jp2&JTL=3,19", "/iip?FIF=live.jp2&WID=500&CVT=jpeg")) {
            int status = http.get(url).statusCode();
            assertTrue(status == 200 || status == 404, url + " -> " + status);
        }
        rewriteInPlace(good);
        assertArrayEquals(goodTile, ok(TILE));
    }

    @Test
    void aReaderWhoseFileShrinksFailsWithAnExceptionAndRefusesFurtherUse() throws Exception {
        Path f = images.resolve("reader.jp2");
        Files.write(f, good);
        try (Jp2Reader reader = Jp2Reader.open(f, 0)) {
            reader.decode(0, 0, 256, 256, 0);
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                ch.truncate(good.length / 2);
            }
            assertThrows(OpenJpegException.class, () -> reader.decode(768, 512, 256, 256, 0));
            assertFalse(reader.usable());
        }
    }

    @Test
    void rewritingTheFileWhileSixteenClientsReadItNeverGivesA500() throws Exception {
        byte[][] versions = {good, Arrays.copyOf(good, good.length / 2), Arrays.copyOf(good, good.length + 5000),
                new byte[0], Arrays.copyOf(good, 200)};
        AtomicBoolean running = new AtomicBoolean(true);
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        ExecutorService clients = Executors.newFixedThreadPool(16);
        try {
            List<String> urls = List.of(TILE, "/iip?FIF=live.jp2&JTL=0,0", "/iip?FIF=live.jp2&obj=Max-size",
                    "/deepzoom/live.jp2_files/10/1_1.jpg", "/zoomify/live.jp2/ImageProperties.xml");
            Future<?>[] running16 = new Future<?>[16];
            for (int c = 0; c < 16; c++) {
                int id = c;
                running16[c] = clients.submit(() -> {
                    int i = id;
                    while (running.get()) {
                        int s = http.get(urls.get(i++ % urls.size())).statusCode();
                        statuses.computeIfAbsent(s, k -> new AtomicInteger()).incrementAndGet();
                    }
                });
            }
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
            for (int v = 0; System.nanoTime() < end; v++) {
                rewriteInPlace(versions[v % versions.length]);
                Thread.sleep(40);
            }
            running.set(false);
            for (Future<?> f : running16) f.get(60, TimeUnit.SECONDS);
        } finally {
            running.set(false);
            clients.shutdownNow();
        }
        System.out.println("ChangingFileTest: statuses while rewriting " + statuses);
        for (int s : statuses.keySet()) assertTrue(HostileCorpusTest.ALLOWED.contains(s), "status " + s + ": " + statuses);
        rewriteInPlace(good);
        assertArrayEquals(goodTile, ok(TILE));
    }

    /** Same inode, new content and length: what an in-place copy or a growing upload does to readers. */
    private static void rewriteInPlace(byte[] content) {
        try (FileChannel ch = FileChannel.open(live, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.truncate(0);
            ByteBuffer b = ByteBuffer.wrap(content);
            while (b.hasRemaining()) ch.write(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] ok(String url) {
        HttpResponse<byte[]> r = http.get(url);
        assertEquals(200, r.statusCode(), () -> url + ": " + Http.text(r));
        return r.body();
    }
}
