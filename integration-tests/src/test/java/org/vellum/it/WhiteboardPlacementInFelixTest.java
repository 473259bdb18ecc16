package org.vellum.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceReference;
import org.vellum.testing.Fixtures;

/**
 * The whiteboard placement Apache Sling needs (docs/sling.md), in a plain Felix: {@code osgi.http.whiteboard.context.select}
 * and {@code service.ranking} in configuration {@code org.vellum} land on every Vellum servlet and on the gate's, so a
 * context that does not exist takes Vellum's paths away from the default context, and leaving the properties out
 * brings them back, without reinstalling anything.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WhiteboardPlacementInFelixTest {
    private static final String SELECT = "osgi.http.whiteboard.context.select";
    private static final String ELSEWHERE = "(osgi.http.whiteboard.context.name=elsewhere)";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private FelixRuntime felix;
    private Path images;
    private String base;

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        images = Files.createDirectories(tmp.resolve("images"));
        Fixtures.write(images, "grid.jp2", Fixtures.colourGrid(300, 200), Fixtures.lossless(2, 0));
        felix = FelixRuntime.start(tmp.resolve("felix-cache"));
        felix.configure("org.vellum", Map.of("filesystemPrefix", images.toString()));
        felix.installAndStart(List.of("vellum-bundle-gate", "vellum-bundle"));
        base = felix.endpoint();
        await(200);
    }

    @AfterAll
    void stop() throws Exception {
        if (felix != null) felix.close();
    }

    @Test
    void theConfiguredContextAndRankingReachEveryServletAndTheGateAndCanBeTakenBack() throws Exception {
        felix.configure("org.vellum", Map.of("filesystemPrefix", images.toString(), SELECT, ELSEWHERE,
                "service.ranking", -1));
        await(404);                                      // no context "elsewhere": nothing serves Vellum's paths
        for (String route : List.of("iip", "iiif", "health", "viewer")) {
            ServiceReference<?> ref = vellumServlet("(vellum.servlet=" + route + ")");
            assertEquals(ELSEWHERE, ref.getProperty(SELECT), route);
            assertEquals(-1, ref.getProperty("service.ranking"), route);
        }
        ServiceReference<?> gate = vellumServlet("(osgi.http.whiteboard.servlet.name=vellum-gate)");
        assertEquals(ELSEWHERE, gate.getProperty(SELECT), "the gate follows Vellum's servlets");
        assertEquals(-1000, gate.getProperty("service.ranking"), "and stays below them");

        felix.configure("org.vellum", Map.of("filesystemPrefix", images.toString()));
        await(200);
        assertEquals(null, vellumServlet("(vellum.servlet=iiif)").getProperty(SELECT));
        assertEquals(null, vellumServlet("(osgi.http.whiteboard.servlet.name=vellum-gate)").getProperty(SELECT));
    }

    private ServiceReference<?> vellumServlet(String filter) throws Exception {
        ServiceReference<?>[] refs = felix.context.getAllServiceReferences("jakarta.servlet.Servlet", filter);
        assertNotNull(refs, filter);
        return refs[0];
    }

    private void await(int status) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int last = -1;
        while (System.nanoTime() < end) {
            last = http.send(HttpRequest.newBuilder(URI.create(base + "/iiif/3/grid.jp2/info.json"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            if (last == status) return;
            Thread.sleep(50);
        }
        assertEquals(status, last, "/iiif/3/grid.jp2/info.json");
    }
}
