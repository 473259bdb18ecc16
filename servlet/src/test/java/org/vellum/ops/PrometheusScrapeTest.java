package org.vellum.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.DoublePredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vellum.config.Settings;
import org.vellum.testing.Fixtures;
import org.vellum.testing.Http;

/**
 * A real Prometheus (Debian's, started on a free loopback port with a temporary configuration and storage, scraping
 * every second with the bearer token of docs/monitoring/prometheus.yml) scrapes a running Vellum; the counter the
 * test's own requests moved is then read back through Prometheus' HTTP API. The alert rules of docs/monitoring load
 * and evaluate, and every expression of the Grafana dashboard is valid PromQL over metrics that exist.
 */
class PrometheusScrapeTest {
    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private static final Path DOCS = Path.of("../docs/monitoring");
    private static final String TOKEN = "scrape-token-for-the-test";
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path tmp;

    @Test
    void prometheusScrapesTheRequestsThisTestMadeAndLoadsTheSuggestedAlerts() throws Exception {
        assumeTrue(Files.isExecutable(PROMETHEUS), "prometheus is not installed (bin/install-deps test installs it)");
        Path images = Files.createDirectories(tmp.resolve("images"));
        Fixtures.write(images, "grid.jp2", Fixtures.colourGrid(700, 500), Fixtures.lossless(3, 256));
        try (Http vellum = new Http(Settings.fromEnvironment(Map.of("FILESYSTEM_PREFIX", images.toString(),
                "METRICS", "token", "METRICS_TOKEN", TOKEN)))) {
            int port = freePort();
            Process prometheus = startPrometheus(vellum.server().port(), port);
            String api = "http://127.0.0.1:" + port;
            try {
                awaitQuery(api, "up{job=\"vellum\"}", v -> v == 1, "Prometheus reaches /metrics with the token");
                String tiles = "vellum_requests_seconds_count{job=\"vellum\",protocol=\"iip\",kind=\"tile\",status=\"200\"}";
                for (int i = 0; i < 5; i++) vellum.ok("/iip?FIF=grid.jp2&JTL=1," + (i % 2));
                double seen = awaitQuery(api, tiles, v -> v == 5, "the five tiles this test asked for");
                assertEquals(5, seen);

                String rules = get(api + "/api/v1/rules");
                for (String alert : List.of("VellumDown", "VellumTileLatencyHigh", "VellumServerErrors",
                        "VellumDecodersWaiting", "VellumDecoderBugs", "VellumDiskCacheErrors", "VellumMemcachedErrors")) {
                    assertTrue(rules.contains("\"name\":\"" + alert + "\""), alert + " loaded: " + rules);
                }
                assertTrue(!rules.contains("\"health\":\"err\""), "every rule evaluates: " + rules);

                dashboardQueriesAreValidOverExistingMetrics(api, vellum);
            } finally {
                prometheus.destroy();
                if (!prometheus.waitFor(10, TimeUnit.SECONDS)) prometheus.destroyForcibly().waitFor();
            }
        }
    }

    private void dashboardQueriesAreValidOverExistingMetrics(String api, Http vellum) throws Exception {
        String dashboard = Files.readString(DOCS.resolve("grafana-dashboard.json"));
        String scrape = new String(vellum.get("/metrics", "Authorization", "Bearer " + TOKEN).body(),
                StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("\"expr\": \"((?:[^\"\\\\]|\\\\.)*)\"").matcher(dashboard);
        TreeSet<String> names = new TreeSet<>();
        int queries = 0;
        while (m.find()) {
            String expr = m.group(1).replace("\\\"", "\"").replace("$__rate_interval", "1m")
                    .replace("instance=~\"$instance\"", "instance=~\".*\"");
            String answer = get(api + "/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
            assertTrue(answer.contains("\"status\":\"success\""), expr + " -> " + answer);
            Matcher n = Pattern.compile("\\b((?:vellum|jvm|process)_[a-z_]+)\\b").matcher(expr);
            while (n.find()) names.add(n.group(1));
            queries++;
        }
        assertTrue(queries >= 20, "the dashboard's queries were found: " + queries);
        for (String name : names) {
            if (name.startsWith("jvm_gc_")) continue;   // registered at the first garbage collection
            assertTrue(scrape.contains("\n" + name + "{") || scrape.contains("\n" + name + " "),
                    "the dashboard's " + name + " is a metric Vellum has");
        }
    }

    private Process startPrometheus(int vellumPort, int port) throws IOException {
        Path config = tmp.resolve("prometheus.yml");
        Files.copy(DOCS.resolve("vellum-alerts.yml"), tmp.resolve("vellum-alerts.yml"));
        // the documented job, at a test's pace and with this test's node and token
        String documented = Files.readString(DOCS.resolve("prometheus.yml"));
        assertTrue(documented.contains("metrics_path: /metrics") && documented.contains("type: Bearer"));
        Files.writeString(config, documented
                .replace("scrape_interval: 15s", "scrape_interval: 1s")
                .replace("evaluation_interval: 15s", "evaluation_interval: 1s")
                .replace("credentials: change-me", "credentials: " + TOKEN)
                .replace("['images1.example.org:8080', 'images2.example.org:8080']", "['127.0.0.1:" + vellumPort + "']"));
        List<String> command = new ArrayList<>(List.of(PROMETHEUS.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + tmp.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn"));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("prometheus.log").toFile()).start();
    }

    /** Polls an instant query (30 s at most) until its single value satisfies {@code ok}; returns it. */
    private double awaitQuery(String api, String query, DoublePredicate ok, String what) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String last = "";
        while (System.nanoTime() < end) {
            try {
                last = get(api + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
                Matcher v = Pattern.compile("\"value\":\\[[0-9.]+,\"([^\"]+)\"]").matcher(last);
                if (v.find() && ok.test(Double.parseDouble(v.group(1)))) return Double.parseDouble(v.group(1));
            } catch (IOException notYet) {
                last = notYet.toString();
            }
            Thread.sleep(250);
        }
        String log = Files.exists(tmp.resolve("prometheus.log")) ? Files.readString(tmp.resolve("prometheus.log")) : "";
        throw new AssertionError(what + ": " + query + " -> " + last + "\n" + log);
    }

    private static String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
        return r.body();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
