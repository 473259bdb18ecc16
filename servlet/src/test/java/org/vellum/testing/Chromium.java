package org.vellum.testing;

import java.awt.image.BufferedImage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Headless Chromium on a page: its DOM after a budget of virtual time, or, in real time through the DevTools protocol,
 * the first screenshot that shows what a test waits for.
 */
public final class Chromium {
    public static final Path BINARY = Path.of(System.getProperty("vellum.chromium", "/usr/bin/chromium"));

    private Chromium() {
    }

    public static boolean available() {
        return Files.isExecutable(BINARY);
    }

    /** The DOM after {@code budgetMs} of virtual time. */
    public static String dom(Path work, String url, int width, int height, int budgetMs) throws Exception {
        return new String(run(work, url, width, height, budgetMs, "--dump-dom"), StandardCharsets.UTF_8);
    }

    /**
     * Screenshots of the page in real time, every half second, until one satisfies {@code shows} or {@code timeoutMs}
     * have passed; the last one is returned (and kept as {@code target/screenshots/<name>.png}) either way.
     * Virtual time (as in {@link #dom}) does not wait for images a viewer loads from scripts, so a page that draws
     * tiles late, as on a loaded machine, is only seen reliably by waiting for it.
     */
    public static BufferedImage screenshotWhen(Path work, String url, int width, int height, long timeoutMs,
            String name, Predicate<BufferedImage> shows) throws Exception {
        Path profile = Files.createTempDirectory(work, "chromium");
        List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
                "--window-size=" + width + "," + height, "--hide-scrollbars", "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0", url));
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile());
        pb.redirectErrorStream(true);
        pb.redirectOutput(profile.resolve("chromium.log").toFile());
        Process p = pb.start();
        try (DevTools page = DevTools.firstPage(profile.resolve("DevToolsActivePort"), Duration.ofSeconds(60))) {
            long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
            BufferedImage shot;
            do {
                shot = page.screenshot();
                if (shows.test(shot)) break;
                Thread.sleep(500);
            } while (System.nanoTime() < deadline);
            Path kept = Files.createDirectories(Path.of("target", "screenshots")).resolve(name + ".png");
            ImageIO.write(shot, "png", kept.toFile());
            return shot;
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** One page target of a running Chromium, spoken to over its DevTools WebSocket. */
    private static final class DevTools implements WebSocket.Listener, AutoCloseable {
        private static final ObjectMapper JSON = new ObjectMapper();
        private final StringBuilder partial = new StringBuilder();
        private final Map<Integer, CompletableFuture<JsonNode>> waiting = new ConcurrentHashMap<>();
        private final AtomicInteger ids = new AtomicInteger();
        private WebSocket socket;

        /** Waits for Chromium to write its port file, then connects to the first page it lists. */
        static DevTools firstPage(Path portFile, Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            HttpClient http = HttpClient.newHttpClient();
            while (true) {
                try {
                    String port = Files.readAllLines(portFile).get(0).trim();
                    HttpResponse<String> list = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    for (JsonNode target : JSON.readTree(list.body())) {
                        if ("page".equals(target.path("type").asText())) {
                            DevTools tools = new DevTools();
                            tools.socket = http.newWebSocketBuilder()
                                    .buildAsync(URI.create(target.path("webSocketDebuggerUrl").asText()), tools)
                                    .get(30, TimeUnit.SECONDS);
                            return tools;
                        }
                    }
                } catch (java.io.IOException | IndexOutOfBoundsException notYet) {
                    // Chromium has not written its port file, or not opened the page, yet
                }
                if (System.nanoTime() > deadline) throw new AssertionError("chromium opened no page to inspect");
                Thread.sleep(200);
            }
        }

        BufferedImage screenshot() throws Exception {
            JsonNode result = call("Page.captureScreenshot", Map.of("format", "png"));
            byte[] png = Base64.getDecoder().decode(result.path("data").asText());
            return ImageIO.read(new java.io.ByteArrayInputStream(png));
        }

        private JsonNode call(String method, Map<String, Object> params) throws Exception {
            int id = ids.incrementAndGet();
            CompletableFuture<JsonNode> answer = new CompletableFuture<>();
            waiting.put(id, answer);
            socket.sendText(JSON.writeValueAsString(Map.of("id", id, "method", method, "params", params)), true)
                    .get(30, TimeUnit.SECONDS);
            JsonNode reply = answer.get(60, TimeUnit.SECONDS);
            if (reply.has("error")) throw new AssertionError(method + ": " + reply.get("error"));
            return reply.path("result");
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode message = JSON.readTree(partial.toString());
                    CompletableFuture<JsonNode> answer = waiting.remove(message.path("id").asInt(-1));
                    if (answer != null) answer.complete(message);
                } catch (java.io.IOException e) {
                    waiting.values().forEach(f -> f.completeExceptionally(e));
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void close() {
            if (socket != null) socket.abort();
        }
    }

    private static byte[] run(Path work, String url, int width, int height, int budgetMs, String... extra)
            throws Exception {
        Path profile = Files.createTempDirectory(work, "chromium");
        List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
                "--window-size=" + width + "," + height, "--virtual-time-budget=" + budgetMs));
        command.addAll(List.of(extra));
        command.add(url);
        Path out = profile.resolve("stdout");
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile());
        pb.redirectError(profile.resolve("chromium.log").toFile());
        pb.redirectOutput(out.toFile());         // a file, so a Chromium that hangs cannot block the test
        Process p = pb.start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish on " + url);
        }
        return Files.readAllBytes(out);
    }

    /** Share of the image's pixels within {@code tolerance} (per channel) of {@code rgb}. */
    public static double share(BufferedImage img, int rgb, int tolerance) {
        long hits = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int p = img.getRGB(x, y);
                if (Math.abs((p >> 16 & 255) - (rgb >> 16 & 255)) <= tolerance
                        && Math.abs((p >> 8 & 255) - (rgb >> 8 & 255)) <= tolerance
                        && Math.abs((p & 255) - (rgb & 255)) <= tolerance) {
                    hits++;
                }
            }
        }
        return hits / (double) ((long) img.getWidth() * img.getHeight());
    }
}
