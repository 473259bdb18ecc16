package org.vellum.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vellum.config.Settings;
import org.vellum.testing.Fixtures;
import org.vellum.testing.Http;

/**
 * /health/live, /health/ready, /metrics and the request log of the embedded server, over real HTTP on loopback,
 * with the real libopenjp2 decoding generated images.
 */
class OperationsTest {
    @TempDir
    Path tmp;

    private Http server(Map<String, String> env) throws Exception {
        Path images = Files.createDirectories(tmp.resolve("images"));
        if (!Files.exists(images.resolve("grid.jp2"))) {
            Fixtures.write(images, "grid.jp2", Fixtures.colourGrid(700, 500), Fixtures.lossless(3, 256));
        }
        Map<String, String> all = new HashMap<>(env);
        all.put("FILESYSTEM_PREFIX", images.toString());
        return new Http(Settings.fromEnvironment(all));
    }

    private static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    void livenessAnswers200WithAJsonBody() throws Exception {
        try (Http http = server(Map.of())) {
            HttpResponse<byte[]> r = http.get("/health/live");
            assertEquals(200, r.statusCode());
            assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
            assertEquals("{\"status\":\"up\"}", text(r).trim());
        }
    }

    @Test
    void readinessGoes503NamingTheImageFolderWhenItDisappearsAnd200WhenItIsBack() throws Exception {
        try (Http http = server(Map.of())) {
            HttpResponse<byte[]> ready = http.get("/health/ready");
            assertEquals(200, ready.statusCode(), text(ready));
            assertTrue(text(ready).contains("\"openjpeg\":{\"status\":\"up\"}"), text(ready));
            assertTrue(text(ready).contains("\"image-folder\":{\"status\":\"up\"}"), text(ready));

            Path images = tmp.resolve("images");
            Path away = tmp.resolve("images-away");
            Files.move(images, away);
            HttpResponse<byte[]> gone = http.get("/health/ready");
            assertEquals(503, gone.statusCode());
            assertTrue(text(gone).startsWith("{\"status\":\"down\""), text(gone));
            assertTrue(text(gone).contains("\"image-folder\":{\"status\":\"down\",\"reason\":"), text(gone));
            assertTrue(text(gone).contains("\"openjpeg\":{\"status\":\"up\"}"), "only the failing part is down");
            assertTrue(!text(gone).contains(tmp.toString()), "the answer does not show the server's paths");

            Files.move(away, images);
            assertEquals(200, http.get("/health/ready").statusCode());
        }
    }

    @Test
    void metricsCountRequestsByProtocolKindAndStatusWithTheBytesSent() throws Exception {
        try (Http http = server(Map.of())) {
            long tileBytes = http.ok("/iip?FIF=grid.jp2&JTL=1,0").length;
            http.ok("/iip?FIF=grid.jp2&JTL=1,1");
            http.ok("/iip?FIF=grid.jp2&obj=Max-size");
            http.ok("/iiif/3/grid.jp2/info.json");
            http.ok("/iiif/3/grid.jp2/0,0,100,100/50,/0/default.jpg");
            http.ok("/zoomify/grid.jp2/TileGroup0/0-0-0.jpg");
            http.ok("/deepzoom/grid.jp2.dzi");
            assertEquals(404, http.get("/iip?FIF=missing.jp2&JTL=0,0").statusCode());

            String m = text(http.get("/metrics"));
            assertEquals(2, value(m, "vellum_requests_seconds_count", "kind=\"tile\",protocol=\"iip\",status=\"200\""));
            assertEquals(1, value(m, "vellum_requests_seconds_count", "kind=\"info\",protocol=\"iip\",status=\"200\""));
            assertEquals(1, value(m, "vellum_requests_seconds_count", "kind=\"tile\",protocol=\"iip\",status=\"404\""));
            assertEquals(1, value(m, "vellum_requests_seconds_count", "kind=\"info\",protocol=\"iiif\",status=\"200\""));
            assertEquals(1, value(m, "vellum_requests_seconds_count", "kind=\"region\",protocol=\"iiif\",status=\"200\""));
            assertEquals(1, value(m, "vellum_requests_seconds_count", "kind=\"tile\",protocol=\"zoomify\",status=\"200\""));
            assertEquals(1, value(m, "vellum_requests_seconds_count", "kind=\"info\",protocol=\"deepzoom\",status=\"200\""));
            assertEquals(2, value(m, "vellum_requests_seconds_bucket",
                    "kind=\"tile\",protocol=\"iip\",status=\"200\",le=\"+Inf\""), "a histogram with buckets");
            double bytes = value(m, "vellum_response_bytes_total", "kind=\"tile\",protocol=\"iip\"");
            assertTrue(bytes >= tileBytes + 1 && bytes < 2.5 * tileBytes, bytes + " for two tiles of about " + tileBytes);
            assertTrue(value(m, "vellum_decoder_setups_total", null) >= 1, "the pool's set-ups");
            assertTrue(value(m, "vellum_memory_budget_bytes", null) > 0);
            assertTrue(value(m, "vellum_cache_misses_total", "cache=\"memory\"") >= 1);
            assertEquals(0, value(m, "vellum_openjpeg_failures_total", "class=\"file\""));
            assertTrue(value(m, "jvm_memory_used_bytes", "area=\"heap\",id=\"G1 Eden Space\"") >= 0
                    || m.contains("jvm_memory_used_bytes{area=\"heap\""), "JVM memory");
            assertTrue(value(m, "process_memory_resident_bytes", null) > 1 << 20, "resident memory");

            http.ok("/iip?FIF=grid.jp2&JTL=1,0");
            String again = text(http.get("/metrics"));
            assertEquals(1, value(again, "vellum_cache_hits_total", "cache=\"memory\""), "the repeat came from memory");
            assertEquals(count(m, "\nvellum_decoders_open "), count(again, "\nvellum_decoders_open "),
                    "nothing registered twice");
        }
    }

    @Test
    void aDamagedFileIsCountedAsAnOpenJpegFailureOfItsClass() throws Exception {
        try (Http http = server(Map.of())) {
            byte[] good = Files.readAllBytes(tmp.resolve("images/grid.jp2"));
            Files.write(tmp.resolve("images/cut.jp2"), java.util.Arrays.copyOf(good, good.length / 3));
            int status = http.get("/iip?FIF=cut.jp2&CVT=jpeg&WID=700").statusCode();
            assertTrue(status >= 400 && status < 500, "a damaged file is a 4xx, was " + status);
            String m = text(http.get("/metrics"));
            assertEquals(1, value(m, "vellum_openjpeg_failures_total", "class=\"file\""), m);
        }
    }

    @Test
    void metricsAreForLoopbackClientsOnlyAndNotThroughAProxy() throws Exception {
        try (Http http = server(Map.of())) {
            HttpResponse<byte[]> r = http.get("/metrics");
            assertEquals(200, r.statusCode());
            assertEquals(VellumMetrics.CONTENT_TYPE, r.headers().firstValue("Content-Type").orElse("")
                    .replace("charset=UTF-8", "charset=utf-8"));
            assertEquals(404, http.get("/metrics", "X-Forwarded-For", "203.0.113.9").statusCode());
            assertEquals(404, http.get("/metrics", "Forwarded", "for=203.0.113.9").statusCode());
            // what docs/deployment.md's nginx example sends: no X-Forwarded-For at all
            assertEquals(404, http.get("/metrics", "X-Forwarded-Proto", "https", "X-Forwarded-Host",
                    "images.example.org").statusCode());
            assertEquals(404, http.get("/metrics", "Via", "1.1 proxy").statusCode());
        }
    }

    @Test
    void metricsOffAnswer404() throws Exception {
        try (Http http = server(Map.of("METRICS", "off"))) {
            assertEquals(404, http.get("/metrics").statusCode());
        }
    }

    @Test
    void metricsBehindATokenAskForTheBearerToken() throws Exception {
        try (Http http = server(Map.of("METRICS", "token", "METRICS_TOKEN", "s3cret-Token"))) {
            HttpResponse<byte[]> none = http.get("/metrics");
            assertEquals(401, none.statusCode());
            assertEquals("Bearer realm=\"metrics\"", none.headers().firstValue("WWW-Authenticate").orElse(""));
            assertEquals(401, http.get("/metrics", "Authorization", "Bearer wrong").statusCode());
            HttpResponse<byte[]> ok = http.get("/metrics", "Authorization", "Bearer s3cret-Token");
            assertEquals(200, ok.statusCode());
            assertTrue(text(ok).contains("vellum_decoders_open"));
        }
    }

    @Test
    void metricsWithTokenModeButNoTokenAreOff() throws Exception {
        try (Http http = server(Map.of("METRICS", "token"))) {
            assertEquals(404, http.get("/metrics").statusCode());
            assertEquals(404, http.get("/metrics", "Authorization", "Bearer ").statusCode());
        }
    }

    @Test
    void aMetricsSettingOtherThanOffLoopbackOrTokenIsRefusedAtStart() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Settings.fromEnvironment(Map.of("METRICS", "public")));
        assertTrue(e.getMessage().contains("METRICS must be off, loopback or token"), e.getMessage());
        assertEquals(Settings.MetricsAccess.LOOPBACK, Settings.defaults().metrics(), "the default");
    }

    /** host ident user [time] "request" status bytes "referer" "agent" milliseconds */
    private static final Pattern COMBINED = Pattern.compile(
            "(\\S+) - (\\S+) \\[(\\d{2}/\\w{3}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4})] \"(\\S+) (\\S+) (HTTP/[\\d.]+)\" "
                    + "(\\d{3}) (\\d+|-) \"([^\"]*)\" \"([^\"]*)\" (\\d+)");

    @Test
    void theRequestLogHasOneNcsaCombinedLinePerRequestWithTheMillisecondsTaken() throws Exception {
        Path log = tmp.resolve("logs/request.log");
        Files.createDirectories(log.getParent());
        try (Http http = server(Map.of("REQUEST_LOG", log.toString()))) {
            byte[] tile = http.ok("/iip?FIF=grid.jp2&JTL=1,0");
            http.get("/iiif/3/missing.jp2/info.json", "Referer", "https://viewer.example.org/page",
                    "User-Agent", "OperationsTest/1.0");
            List<String> lines = awaitLines(log, 2);
            assertEquals(2, lines.size(), String.join("\n", lines));

            Matcher first = COMBINED.matcher(lines.get(0));
            assertTrue(first.matches(), lines.get(0));
            assertEquals("127.0.0.1", first.group(1));
            assertEquals("GET", first.group(4));
            assertEquals("/iip?FIF=grid.jp2&JTL=1,0", first.group(5));
            assertEquals("200", first.group(7));
            assertEquals(String.valueOf(tile.length), first.group(8));
            assertTrue(lines.get(0).contains(" +0000]"), "GMT");

            Matcher second = COMBINED.matcher(lines.get(1));
            assertTrue(second.matches(), lines.get(1));
            assertEquals("/iiif/3/missing.jp2/info.json", second.group(5));
            assertEquals("404", second.group(7));
            assertEquals("https://viewer.example.org/page", second.group(9));
            assertEquals("OperationsTest/1.0", second.group(10));
            assertTrue(Long.parseLong(second.group(11)) < 30_000, "milliseconds");
        }
    }

    private static List<String> awaitLines(Path log, int n) throws Exception {
        List<String> lines = List.of();
        for (int i = 0; i < 100; i++) {
            if (Files.exists(log)) {
                lines = Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList();
                if (lines.size() >= n) return lines;
            }
            Thread.sleep(50);
        }
        return lines;
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) n++;
        return n;
    }

    /** The sample {@code name{labels}} (labels in Micrometer's alphabetical order; null for none) of a scrape. */
    static double value(String scrape, String name, String labels) {
        String key = labels == null ? name + " " : name + "{" + labels + ",} ";
        String alt = labels == null ? name + " " : name + "{" + labels + "} ";
        for (String line : scrape.split("\n")) {
            if (line.startsWith(key)) return Double.parseDouble(line.substring(key.length()).trim().split(" ")[0]);
            if (line.startsWith(alt)) return Double.parseDouble(line.substring(alt.length()).trim().split(" ")[0]);
        }
        throw new AssertionError("no " + alt + " in\n" + scrape);
    }
}
