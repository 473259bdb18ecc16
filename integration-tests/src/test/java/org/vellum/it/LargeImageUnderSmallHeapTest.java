package org.vellum.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.vellum.codec.openjpeg.Jp2EncodeOptions;
import org.vellum.codec.openjpeg.Jp2Writer;

/**
 * The memory promise: a server started with -Xmx256m serves an 805-megapixel JPEG 2000 (32768 x 24576) - tiles at
 * every level, the whole-image thumbnail and 5000-pixel exports - without running out of heap. The server runs as its
 * own process, exactly as bin/vellum starts it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LargeImageUnderSmallHeapTest {
    private static final int WIDTH = 32768;
    private static final int HEIGHT = 24576;

    private Path dir;
    private Process server;
    private Path log;
    private String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    void encodeAndStart(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        Jp2Writer.write(dir.resolve("big.jp2"), WIDTH, HEIGHT, 3, 8, false, Jp2EncodeOptions.archive(),
                (x, y, w, h, planes) -> {
                    for (int j = 0; j < h; j++) {
                        for (int i = 0; i < w; i++) {
                            int k = j * w + i;
                            planes[0][k] = (x + i) >> 7 & 0xFF;
                            planes[1][k] = (y + j) >> 7 & 0xFF;
                            planes[2][k] = ((x + i) ^ (y + j)) >> 5 & 0xFF;
                        }
                    }
                });
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        log = dir.resolve("server.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        server = new ProcessBuilder(java, "-Xmx256m", "-XX:+ExitOnOutOfMemoryError",
                "-cp", System.getProperty("java.class.path"), "org.vellum.server.Main",
                "--images", dir.toString(), "--port", Integer.toString(port), "--host", "127.0.0.1")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        base = "http://127.0.0.1:" + port + "/iip?FIF=big.jp2&";
        for (int i = 0; i < 100 && !answers(); i++) Thread.sleep(200);
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.destroy();
            server.waitFor();
        }
    }

    private boolean answers() {
        try {
            return get("obj=Max-size").statusCode() == 200;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private HttpResponse<byte[]> get(String query) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + query)).timeout(Duration.ofSeconds(120)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private BufferedImage image(String query) throws Exception {
        HttpResponse<byte[]> r = get(query);
        assertEquals(200, r.statusCode(), query + ": " + new String(r.body(), 0, Math.min(200, r.body().length)));
        return ImageIO.read(new ByteArrayInputStream(r.body()));
    }

    @Test
    void an800MegapixelImageIsServedByA256MegabyteHeap() throws Exception {
        assertTrue(new String(get("obj=Max-size").body()).contains("Max-size:32768 24576"));
        // a tile at every resolution, the smallest (whole image) included
        for (int r = 0; r < 8; r++) {
            BufferedImage tile = image("JTL=" + r + ",0");
            assertEquals(Math.min(256, WIDTH >> (7 - r)), tile.getWidth(), "resolution " + r);
        }
        for (String q : List.of("WID=5000&CVT=jpeg", "CVT=jpeg", "RGN=0.25,0.25,0.5,0.5&WID=5000&CVT=jpeg")) {
            BufferedImage export = image(q);
            assertEquals(5000, Math.max(export.getWidth(), export.getHeight()), q);
        }
        // pixels are right in an export: the red channel counts 128-pixel columns of the full image
        BufferedImage strip = image("RGN=0.5,0.5,0.01,0.01&WID=300&CVT=jpeg");
        int red = strip.getRGB(strip.getWidth() / 2, strip.getHeight() / 2) >> 16 & 0xFF;
        int expected = (int) (WIDTH * 0.505) >> 7 & 0xFF;
        assertTrue(Math.abs(red - expected) <= 6, "red " + red + " expected about " + expected);
        assertTrue(server.isAlive(), "the server process died");
        String output = Files.readString(log);
        assertFalse(output.contains("OutOfMemoryError"), output);
    }
}
