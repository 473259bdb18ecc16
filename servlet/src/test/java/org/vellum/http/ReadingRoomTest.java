package org.vellum.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vellum.config.Settings;
import org.vellum.server.EmbeddedServer;
import org.vellum.testing.Books;
import org.vellum.testing.Chromium;
import org.vellum.testing.Fixtures;

/**
 * The reading room at {@code /} in headless Chromium: the library lists folders and images, a book opens page by
 * page (a screenshot per page shows that page), paged books open as spreads, and keys, swipes and the URL turn pages.
 */
class ReadingRoomTest {
    static final int W = 1200;
    static final int H = 800;

    @TempDir
    static Path tmp;
    static EmbeddedServer vellum;
    static HttpServer harness;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Chromium.available(), "no Chromium at " + Chromium.BINARY + " (bin/install-deps test installs it)");
        Path images = Files.createDirectories(tmp.resolve("images"));
        for (int i = 1; i <= 3; i++) Books.writePage(images.resolve("plain"), "p" + i + ".jp2", i, 600, 800);
        for (int i = 1; i <= 5; i++) Books.writePage(images.resolve("codex"), "f" + i + ".jp2", 10 + i, 600, 800);
        Books.writeText(images.resolve("codex/manifest.properties"), "title = The Codex\npaged = true\n");
        Books.writePage(images.resolve("shelf/volume-1"), "a.jp2", 20, 300, 400);
        Fixtures.write(images, "single.jp2", Fixtures.colourGrid(640, 480), Fixtures.lossless(3, 0));
        vellum = EmbeddedServer.start(Settings.fromEnvironment(Map.of("FILESYSTEM_PREFIX", images.toString())),
                "127.0.0.1", 0, "single.jp2");
        // a test page on the viewer's own origin (a proxy to Vellum), so it can drive the viewer in a frame
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        harness = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        harness.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(6));
        harness.createContext("/", exchange -> {
            String uri = exchange.getRequestURI().toString();
            byte[] body;
            String type;
            int status = 200;
            if (uri.startsWith("/harness")) {
                body = HARNESS.getBytes(StandardCharsets.UTF_8);
                type = "text/html; charset=utf-8";
            } else {
                try {
                    HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create(vellum.baseUrl() + uri))
                            .build(), HttpResponse.BodyHandlers.ofByteArray());
                    body = r.body();
                    status = r.statusCode();
                    type = r.headers().firstValue("Content-Type").orElse("application/octet-stream");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.IOException(e);
                }
            }
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) exchange.getResponseBody().write(body);
            exchange.close();
        });
        harness.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (harness != null) {
            harness.stop(0);
            ((java.util.concurrent.ExecutorService) harness.getExecutor()).shutdownNow();
        }
        if (vellum != null) vellum.close();
    }

    /** Opens the viewer in a frame, turns pages with keys and a swipe, and writes what the viewer's URL said. */
    static final String HARNESS = """
            <!DOCTYPE html><html><body style="margin:0">
            <iframe id="f" src="/?book=plain&page=1" style="width:1000px;height:700px;border:0"></iframe>
            <pre id="result">pending</pre>
            <script>
            var f = document.getElementById('f'), seen = [], steps = 0;
            function page() { return new URLSearchParams(f.contentWindow.location.search).get('page'); }
            function key(k) { f.contentWindow.dispatchEvent(new KeyboardEvent('keydown', {key: k, bubbles: true})); }
            function swipe(dx) {
                var v = f.contentDocument.getElementById('viewer');
                function t(x) { return new Touch({identifier: 1, target: v, clientX: x, clientY: 300}); }
                v.dispatchEvent(new TouchEvent('touchstart', {touches: [t(500)], changedTouches: [t(500)], bubbles: true}));
                v.dispatchEvent(new TouchEvent('touchend', {touches: [], changedTouches: [t(500 + dx)], bubbles: true}));
            }
            var plan = [function () { key('ArrowRight'); }, function () { swipe(-200); }, function () { key('ArrowLeft'); },
                        function () { key('Home'); }, function () { key('End'); }, function () { swipe(200); }];
            var timer = setInterval(function () {
                var room = f.contentWindow.readingRoom;
                if (!room || !room.osd) return;
                if (steps === 0) { seen.push(page()); }
                if (steps < plan.length) { plan[steps++](); seen.push(page()); return; }
                clearInterval(timer);
                var badge = f.contentDocument.getElementById('manifest');
                document.getElementById('result').textContent = 'RESULT' + JSON.stringify({pages: seen,
                    badge: badge.getAttribute('href'), strip: f.contentDocument.querySelectorAll('#strip img').length})
                    + 'END';
            }, 700);
            </script></body></html>
            """;

    /** On Vellum itself. */
    static String url(String pathAndQuery) {
        return vellum.baseUrl() + pathAndQuery;
    }

    /** On the test page's origin, which passes everything else to Vellum. */
    static String harnessUrl(String pathAndQuery) {
        return "http://127.0.0.1:" + harness.getAddress().getPort() + pathAndQuery;
    }

    static String result(String dom) {
        Matcher m = Pattern.compile("RESULT(.*?)END", Pattern.DOTALL).matcher(dom);
        assertTrue(m.find(), "the page did not report: " + dom);
        return m.group(1).replace("&quot;", "\"").replace("&amp;", "&");
    }

    static int rgb(int n) {
        return Books.colour(n).getRGB();
    }

    @Test
    void theLibraryListsFoldersBooksAndImagesBesideTheDefaultImage() throws Exception {
        String dom = Chromium.dom(tmp, url("/"), W, H, 10000);
        assertTrue(dom.contains("href=\"?book=codex\""), dom);
        assertTrue(dom.contains("href=\"?book=plain\""), dom);
        assertTrue(dom.contains("href=\"?folder=shelf\""), dom);
        assertTrue(dom.contains("href=\"?image=single.jp2\""), dom);
        BufferedImage shot = Chromium.screenshotWhen(tmp, url("/"), W, H, 30_000, "reading-room-default-image",
                s -> Chromium.share(s, 0x222222, 4) < 0.5);
        // the demo case of bin/vellum: the default image is shown over IIP (the grid's colours fill the viewer)
        assertTrue(Chromium.share(shot, 0x222222, 4) < 0.5, "the viewer is empty");
        String folder = Chromium.dom(tmp, url("/?folder=shelf"), W, H, 8000);
        assertTrue(folder.contains("href=\"?book=shelf%2Fvolume-1\""), folder);
    }

    @Test
    void eachPageOfABookIsShownOnItsOwn() throws Exception {
        BufferedImage[] shots = new BufferedImage[4];
        for (int p = 1; p <= 3; p++) {
            int page = rgb(p);
            shots[p] = Chromium.screenshotWhen(tmp, url("/?book=plain&page=" + p), W, H, 30_000,
                    "book-plain-page-" + p, s -> Chromium.share(s, page, 10) > 0.10);
            for (int other = 1; other <= 3; other++) {
                double share = Chromium.share(shots[p], rgb(other), 10);
                if (other == p) assertTrue(share > 0.10, "page " + p + " fills " + share + " of its view");
                else assertTrue(share < 0.03, "page " + other + " fills " + share + " of page " + p + "'s view");
            }
        }
    }

    @Test
    void aPagedBookOpensWithItsCoverAloneThenSpreads() throws Exception {
        BufferedImage cover = Chromium.screenshotWhen(tmp, url("/?book=codex&page=1"), W, H, 30_000,
                "book-codex-cover", s -> Chromium.share(s, rgb(11), 10) > 0.10);
        assertTrue(Chromium.share(cover, rgb(11), 10) > 0.10, "the cover is shown");
        assertTrue(Chromium.share(cover, rgb(12), 10) < 0.03, "the cover is shown alone");
        BufferedImage spread = Chromium.screenshotWhen(tmp, url("/?book=codex&page=3"), W, H, 30_000,
                "book-codex-2-3", s -> Chromium.share(s, rgb(12), 10) > 0.08 && Chromium.share(s, rgb(13), 10) > 0.08);
        double left = Chromium.share(spread, rgb(12), 10);
        double right = Chromium.share(spread, rgb(13), 10);
        assertTrue(left > 0.08 && right > 0.08, "pages 2 and 3 face each other: " + left + ", " + right);
        assertTrue(Chromium.share(spread, rgb(14), 10) < 0.03, "page 4 is not in the spread");
    }

    @Test
    void keysAndSwipesTurnPagesAndThePageIsInTheUrl() throws Exception {
        String r = result(Chromium.dom(tmp, harnessUrl("/harness"), W, H, 20000));
        // start, →, swipe left, ←, Home, End, swipe right
        assertTrue(r.contains("\"pages\":[\"1\",\"2\",\"3\",\"2\",\"1\",\"3\",\"2\"]"), r);
        assertTrue(r.contains("\"strip\":3"), r);
        Matcher badge = Pattern.compile("\"badge\":\"([^\"]+)\"").matcher(r);
        assertTrue(badge.find(), r);
        String manifest = harnessUrl("/iiif/presentation/plain/manifest");
        assertEquals(manifest + "?manifest=" + java.net.URLEncoder.encode(manifest, StandardCharsets.UTF_8),
                badge.group(1), "the IIIF drag-and-drop link");
    }
}
