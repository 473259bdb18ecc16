package org.vellum.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;
import org.vellum.codec.openjpeg.Jp2EncodeOptions;
import org.vellum.codec.openjpeg.Jp2Writer;

/**
 * Vellum as an OSGi bundle in a real Felix started in this JVM (SCR, ConfigAdmin, Felix HTTP Jetty 12 with the
 * Servlet Whiteboard, on a free loopback port): configuration changes reach the next responses, and the bundle can be
 * updated, restarted, uninstalled and reinstalled 50 times under load with only 200s and 503s answered (the gate holds
 * requests for the next revision, RedeployUnderLoadTest), after which no
 * Vellum thread is alive, no Vellum class loader is reachable, and file descriptors and native memory are back near
 * their baseline. The framework lives in the test JVM (not the test in the framework) so the test can watch class
 * loaders die.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OsgiRuntimeTest {
    private static final String PID = "org.vellum";
    private static final int CYCLES = Integer.getInteger("vellum.osgi.cycles", 50);
    private static final int WARM_CYCLES = 10;

    private final Path bundles = Path.of(System.getProperty("vellum.bundles", "target/bundles"));
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Path images;
    private Path otherImages;
    private Path jarA;
    private Path jarB;
    private FelixRuntime felix;
    private Framework framework;
    private BundleContext context;
    private Bundle vellum;
    private String base;

    @BeforeAll
    void startFelix(@TempDir Path tmp) throws Exception {
        images = Files.createDirectories(tmp.resolve("images"));
        otherImages = Files.createDirectories(tmp.resolve("other"));
        Jp2EncodeOptions options = new Jp2EncodeOptions(4, 1, 512, true, true);
        Jp2Writer.write(images.resolve("grid.jp2"), grid(1500, 1100), options);
        Jp2Writer.write(otherImages.resolve("other.jp2"), grid(700, 500), options);
        jarA = bundles.resolve("vellum-bundle.jar");
        jarB = tmp.resolve("vellum-bundle-next.jar");
        rebuildWithQualifier(jarA, jarB, "next");

        felix = FelixRuntime.start(tmp.resolve("felix-cache"));
        framework = felix.framework;
        context = felix.context;
        configure(Map.of("filesystemPrefix", images.toString()));
        vellum = context.installBundle(jarA.toUri().toString());
        vellum.start();
        base = felix.endpoint();
        awaitServing();
    }

    @AfterAll
    void stopFelix() throws Exception {
        if (felix != null) felix.close();
    }

    @Test
    @Order(1)
    void servesEveryProtocolAtTheEmbeddedLaunchersPaths() throws Exception {
        assertEquals(200, get("/iip?FIF=grid.jp2&JTL=0,0").statusCode());
        assertEquals(200, get("/fcgi-bin/iipsrv.fcgi?FIF=grid.jp2&JTL=1,0").statusCode());
        assertEquals(200, get("/iipsrv/iipsrv.fcgi?FIF=grid.jp2&obj=IIP,1.0&obj=Max-size").statusCode());
        assertEquals(200, get("/iiif/3/grid.jp2/info.json").statusCode());
        assertEquals(200, get("/iiif/2/grid.jp2/full/200,/0/default.jpg").statusCode());
        assertEquals(200, get("/zoomify/grid.jp2/ImageProperties.xml").statusCode());
        assertEquals(200, get("/deepzoom/grid.jp2.dzi").statusCode());
        HttpResponse<byte[]> page = get("/");
        assertEquals(200, page.statusCode());
        assertTrue(new String(page.body()).contains("grid.jp2"), "the viewer opens the folder's first image");
        assertEquals(200, get("/webjars/openseadragon/2.4.2/build/openseadragon/openseadragon.min.js").statusCode());
        // a folder's manifest: objects go through the resolver services as images do (ResolverChain.object)
        HttpResponse<byte[]> manifest = get("/iiif/presentation/manifest");
        assertEquals(200, manifest.statusCode(), new String(manifest.body()));
        assertTrue(new String(manifest.body()).contains("/iiif/3/grid.jp2\""), new String(manifest.body()));
    }

    /**
     * Viewers and curl send IIIF 3's ^ unencoded; Felix HTTP's Jetty must hand it to Vellum, while paths that leave
     * the image folder stay refused (by the resolver and the static servlet, since the URI mode lets them through).
     */
    @Test
    @Order(1)
    void aRawCaretInAnIiifSizeIsServedAndPathsOutsideTheFolderAreNot() throws Exception {
        String raw = rawGet("/iiif/3/grid.jp2/full/^1500,/0/default.jpg");
        assertTrue(raw.startsWith("HTTP/1.1 200"), raw.lines().findFirst().orElse(raw));
        assertTrue(raw.contains("Content-Type: image/jpeg"), raw);
        assertTrue(rawGet("/iiif/3/grid.jp2/full/^max/0/default.jpg").startsWith("HTTP/1.1 200"));
        for (String outside : new String[] {"/iiif/3/..%2F..%2Fetc%2Fpasswd/info.json",
                "/iip?FIF=../../etc/passwd&obj=Max-size", "/webjars/..;/..;/etc/passwd",
                "/webjars/%2e%2e/%2e%2e/META-INF/MANIFEST.MF"}) {
            String answer = rawGet(outside);
            assertTrue(answer.matches("(?s)HTTP/1\\.1 4\\d\\d.*"), outside + ": " + answer.lines().findFirst().orElse(""));
        }
    }

    /** A GET sent as the bytes given (java.net.URI refuses a raw ^), its answer as text. */
    private String rawGet(String target) throws IOException {
        URI b = URI.create(base);
        try (Socket s = new Socket(b.getHost(), b.getPort())) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: " + b.getHost() + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    @Order(2)
    void configurationChangesReachTheNextResponses() throws Exception {
        String tile = "/iip?FIF=grid.jp2&JTL=0,0";
        byte[] before = get(tile).body();
        long t0 = System.nanoTime();
        configure(Map.of("filesystemPrefix", images.toString(), "jpegQuality", 10));
        byte[] after = await(tile, r -> r.statusCode() == 200 && r.body().length < before.length * 0.8);
        System.out.printf("OsgiRuntimeTest: JPEG_QUALITY 75 -> 10 seen after %d ms (%d -> %d bytes)%n",
                (System.nanoTime() - t0) / 1_000_000, before.length, after.length);
        assertNotNull(ImageIO.read(new ByteArrayInputStream(after)));

        configure(Map.of("filesystemPrefix", otherImages.toString()));
        await("/iip?FIF=other.jp2&obj=Max-size", r -> r.statusCode() == 200);
        assertEquals("Max-size:700 500", new String(get("/iip?FIF=other.jp2&obj=Max-size").body()).trim());
        assertEquals(404, get(tile).statusCode(), "the old image root is no longer used");
        assertEquals(200, get("/iip?FIF=other.jp2&JTL=0,0").statusCode());

        configure(Map.of("filesystemPrefix", images.toString()));
        byte[] restored = await(tile, r -> r.statusCode() == 200);
        assertEquals(before.length, restored.length, "default quality again");
    }

    @Test
    @Order(2)
    void aConfigurationChangeTurnsMemcachedOnAndOffAndClosesTheOldClient() throws Exception {
        Path binary = Path.of("/usr/bin/memcached");
        assumeTrue(Files.isExecutable(binary), "memcached is not installed (bin/install-deps test installs it)");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(binary.toString(), "-l", "127.0.0.1", "-p",
                String.valueOf(port), "-U", "0", "-m", "16"));
        if ("root".equals(System.getProperty("user.name"))) command.addAll(List.of("-u", "root"));
        Process memcached = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            long baseline = awaitStat(port, "curr_connections", v -> true);
            configure(Map.of("filesystemPrefix", images.toString(), "memcachedServers", "127.0.0.1:" + port,
                    "memcachedTimeout", 60, "maxImageCacheSize", "0"));
            await("/iip?FIF=grid.jp2&JTL=2,3", r -> r.statusCode() == 200 && memcachedStat(port, "curr_items") >= 1);
            assertTrue(memcachedStat(port, "curr_connections") > baseline, "the new generation keeps a connection");
            configure(Map.of("filesystemPrefix", images.toString()));
            await("/iip?FIF=grid.jp2&JTL=2,4", r -> r.statusCode() == 200);
            awaitStat(port, "curr_connections", v -> v == baseline);   // the old generation's client closed its sockets
        } finally {
            memcached.destroyForcibly();
            memcached.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Waits (10 s at most) for memcached's figure {@code name} to satisfy {@code ok}, and returns it. */
    private static long awaitStat(int port, String name, java.util.function.LongPredicate ok) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long v = -1;
        while (System.nanoTime() < end) {
            try {
                v = memcachedStat(port, name);
                if (ok.test(v)) return v;
            } catch (UncheckedIOException notYet) {
                // still starting
            }
            Thread.sleep(50);
        }
        throw new AssertionError("memcached " + name + " stayed at " + v);
    }

    /** One figure of memcached's {@code stats}, asked over a connection of its own (counted in curr_connections). */
    private static long memcachedStat(int port, String name) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            out.write("stats\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            StringBuilder reply = new StringBuilder();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            while (!reply.toString().endsWith("END\r\n")) {
                int n = in.read(buf);
                if (n < 0) break;
                reply.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
            }
            for (String line : reply.toString().split("\r\n")) {
                if (line.startsWith("STAT " + name + " ")) return Long.parseLong(line.substring(name.length() + 6).trim());
            }
            throw new IOException("no " + name + " in " + reply);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * /health and /metrics are on the whiteboard at the embedded server's paths; after a bundle update the new
     * revision's registry starts from zero, each metric family is there once (nothing registered twice, nothing of the
     * old revision left) and the same families come back. (That the old revision's meters leave nothing reachable is
     * the class-loader check of the test below.)
     */
    @Test
    @Order(2)
    void healthAndMetricsSurviveABundleUpdateWithoutDuplicatesOrLeftoverMeters() throws Exception {
        assertEquals(200, get("/health/live").statusCode());
        HttpResponse<byte[]> ready = get("/health/ready");
        assertEquals(200, ready.statusCode(), new String(ready.body()));
        assertTrue(new String(ready.body()).contains("\"image-folder\":{\"status\":\"up\"}"));
        for (int i = 0; i < 3; i++) assertEquals(200, get("/iip?FIF=grid.jp2&JTL=1," + i).statusCode());
        String before = scrape();
        assertTrue(tiles(before) >= 3, before);
        List<String> families = families(before);
        assertEquals(families.stream().distinct().toList(), families, "each family once");

        try (InputStream in = Files.newInputStream(jarB)) {
            vellum.update(in);
        }
        refresh(vellum);
        awaitServing();                                         // one tile: 0,0
        for (int i = 0; i < 2; i++) assertEquals(200, get("/iip?FIF=grid.jp2&JTL=1," + i).statusCode());
        String after = scrape();
        assertEquals(3, tiles(after), "the new revision counts from zero, once per request");
        List<String> again = families(after);
        assertEquals(again.stream().distinct().toList(), again, "each family once after the update");
        assertEquals(new java.util.TreeSet<>(families.stream().filter(f -> f.startsWith("vellum_")).toList()),
                new java.util.TreeSet<>(again.stream().filter(f -> f.startsWith("vellum_")).toList()));
        assertEquals(count(before, "\nvellum_cache_hits_total{"), count(after, "\nvellum_cache_hits_total{"),
                "one series per cache, as before");

        try (InputStream in = Files.newInputStream(jarA)) {        // back to the jar the other tests expect
            vellum.update(in);
        }
        refresh(vellum);
        awaitServing();
    }

    /** Felix HTTP's own request log, set up as bin/vellum does for REQUEST_LOG: the embedded server's line. */
    @Test
    @Order(1)
    void felixLogsRequestsAsNcsaCombinedLinesWithTheMillisecondsTaken() throws Exception {
        String path = "/iip?FIF=grid.jp2&JTL=1,2&felixlog=" + System.nanoTime();
        byte[] tile = get(path).body();
        java.util.regex.Pattern combined = java.util.regex.Pattern.compile("(\\S+) - (\\S+) \\[(\\d{2}/\\w{3}/"
                + "\\d{4}:\\d{2}:\\d{2}:\\d{2} \\+0000)] \"GET (\\S+) HTTP/1\\.1\" (\\d{3}) (\\d+|-) \"([^\"]*)\" "
                + "\"([^\"]*)\" (\\d+)");
        String line = null;
        for (int i = 0; i < 100 && line == null; i++) {
            if (Files.exists(felix.requestLog)) {
                line = Files.readAllLines(felix.requestLog).stream().filter(l -> l.contains(path)).findFirst()
                        .orElse(null);
            }
            if (line == null) Thread.sleep(50);
        }
        assertNotNull(line, "a line for " + path + " in " + felix.requestLog);
        java.util.regex.Matcher m = combined.matcher(line);
        assertTrue(m.matches(), line);
        assertEquals("127.0.0.1", m.group(1));
        assertEquals(path, m.group(4));
        assertEquals("200", m.group(5));
        assertEquals(String.valueOf(tile.length), m.group(6));
    }

    private String scrape() throws Exception {
        HttpResponse<byte[]> r = get("/metrics");
        assertEquals(200, r.statusCode(), "loopback clients may read /metrics by default");
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    private static double tiles(String scrape) {
        String key = "vellum_requests_seconds_count{kind=\"tile\",protocol=\"iip\",status=\"200\"";
        for (String line : scrape.split("\n")) {
            if (line.startsWith(key)) return Double.parseDouble(line.substring(line.lastIndexOf('}') + 1).trim());
        }
        return 0;
    }

    private static List<String> families(String scrape) {
        return scrape.lines().filter(l -> l.startsWith("# TYPE ")).map(l -> l.split(" ")[2]).toList();
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) n++;
        return n;
    }

    @Test
    @Order(3)
    void fiftyUpdatesRestartsAndReinstallsUnderLoadLeakNothing() throws Exception {
        for (int i = 0; i < 20; i++) get("/iip?FIF=grid.jp2&JTL=1," + (i % 6));
        // the native encoders too (TurboJPEG, and libwebp/libavif where this machine has them): each revision binds them
        String info = new String(get("/iiif/3/grid.jp2/info.json").body(), java.nio.charset.StandardCharsets.UTF_8);
        List<String> formats = new ArrayList<>(List.of("jpg"));
        for (String f : List.of("webp", "avif")) if (info.contains("\"" + f + "\"")) formats.add(f);
        Footprint baseline = Footprint.measure();
        List<WeakReference<ClassLoader>> loaders = new ArrayList<>();
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            int client = c;
            Thread t = new Thread(() -> {
                int n = 0;
                while (running.get()) {
                    String path = (n++ + client) % 2 == 0 ? "/iip?FIF=grid.jp2&JTL=3," + (n % 9)
                            : "/iiif/3/grid.jp2/" + (n % 3) * 512 + ",0,512,512/256,/0/default."
                            + formats.get(n / 2 % formats.size());
                    try {
                        HttpResponse<byte[]> r = get(path);
                        statuses.computeIfAbsent(r.statusCode(), k -> new AtomicInteger()).incrementAndGet();
                        if (r.statusCode() == 503) Thread.sleep(5);    // as a client honouring Retry-After would, roughly
                        if (r.statusCode() != 200 && r.statusCode() != 503 && unexpected.size() < 20) {
                            unexpected.add(r.statusCode() + " " + path + ": " + new String(r.body()).lines().findFirst().orElse(""));
                        }
                    } catch (IOException e) {
                        statuses.computeIfAbsent(-1, k -> new AtomicInteger()).incrementAndGet();
                        if (unexpected.size() < 20) unexpected.add("I/O " + path + ": " + e);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "it-client-" + c);
            t.start();
            clients.add(t);
        }
        Footprint warm = null;
        long start = System.nanoTime();
        Map<String, Long> phases = new java.util.LinkedHashMap<>();
        try {
            for (int i = 0; i < CYCLES; i++) {
                Path next = i % 2 == 0 ? jarB : jarA;
                track(loaders);
                long t = System.nanoTime();
                try (InputStream in = Files.newInputStream(next)) {
                    vellum.update(in);
                }
                refresh(vellum);
                t = lap(phases, "update+refresh", t);
                awaitServing();
                t = lap(phases, "serving after update", t);
                track(loaders);
                vellum.stop();
                t = lap(phases, "stop", t);
                vellum.start();
                awaitServing();
                t = lap(phases, "start+serving", t);
                track(loaders);
                vellum.uninstall();
                refresh(vellum);
                t = lap(phases, "uninstall+refresh", t);
                vellum = context.installBundle(next.toUri().toString());
                vellum.start();
                awaitServing();
                lap(phases, "install+start+serving", t);
                // the JIT and metaspace grow while the code paths warm up: growth is measured from here on
                if (i == WARM_CYCLES - 1) warm = Footprint.measure();
            }
        } finally {
            running.set(false);
            for (Thread t : clients) t.join(30_000);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        // no revision comes back after this uninstall: the gate should turn requests away at once, not hold them
        configure(Map.of("filesystemPrefix", images.toString(), "redeployWait", 0.05));
        awaitRedeployWait(50);
        track(loaders);
        vellum.uninstall();
        refresh(vellum);
        vellum = null;
        // keep-alive connections remember their last request (and so its servlet): let the gate answer on them
        for (int i = 0; i < 20; i++) get("/iip?FIF=grid.jp2&JTL=0,0");
        System.out.println("OsgiRuntimeTest: ms per phase, all cycles " + phases.entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue() / 1_000_000)));

        long gcStart = System.nanoTime();
        long alive = loaders.size();
        for (int i = 0; i < Integer.getInteger("vellum.osgi.gcRounds", 80) && alive > 0; i++) {
            System.gc();
            Thread.sleep(250);
            alive = loaders.stream().filter(r -> r.get() != null).count();
        }
        double gcSeconds = (System.nanoTime() - gcStart) / 1e9;
        List<Integer> reachable = new ArrayList<>();
        for (int i = 0; i < loaders.size(); i++) if (loaders.get(i).get() != null) reachable.add(i);
        if (alive > 0 && Boolean.getBoolean("vellum.osgi.findHolder")) {
            CountDownLatch again = new CountDownLatch(1);
            framework.adapt(FrameworkWiring.class).refreshBundles(List.of(), e -> again.countDown());
            again.await(10, TimeUnit.SECONDS);
            for (int i = 0; i < 8; i++) {
                System.gc();
                Thread.sleep(250);
            }
            String dump = System.getProperty("vellum.osgi.heapDump");
            if (dump != null) {
                ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class).dumpHeap(dump, true);
            }
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                for (int i = 0; i < loaders.size(); i++) {
                    ClassLoader l = loaders.get(i).get();
                    if (l == null) continue;
                    if (t.getContextClassLoader() == l) {
                        System.out.println("OsgiRuntimeTest: thread " + t.getName() + " has loader " + i + " as TCCL");
                    }
                    try {
                        java.lang.reflect.Field f = Thread.class.getDeclaredField("inheritedAccessControlContext");
                        f.setAccessible(true);
                        Object acc = f.get(t);
                        if (acc == null) continue;
                        java.lang.reflect.Field c = acc.getClass().getDeclaredField("context");
                        c.setAccessible(true);
                        Object[] pds = (Object[]) c.get(acc);
                        if (pds == null) continue;
                        for (Object pd : pds) {
                            if (((java.security.ProtectionDomain) pd).getClassLoader() == l) {
                                System.out.println("OsgiRuntimeTest: thread " + t.getName()
                                        + " holds loader " + i + " in its inherited access control context");
                            }
                        }
                    } catch (ReflectiveOperationException | RuntimeException e) {
                        System.out.println("OsgiRuntimeTest: cannot inspect " + t.getName() + ": " + e);
                    }
                }
            }
            System.out.println("OsgiRuntimeTest: after another (empty) refresh: "
                    + loaders.stream().filter(r -> r.get() != null).count() + " reachable");
            for (String bsn : List.of("org.apache.felix.http.jetty12", "org.apache.felix.scr",
                    "org.apache.felix.configadmin", "org.vellum.gate")) {
                for (Bundle b : context.getBundles()) {
                    if (bsn.equals(b.getSymbolicName())) {
                        b.stop();
                        b.start();
                    }
                }
                for (int i = 0; i < 8; i++) {
                    System.gc();
                    Thread.sleep(250);
                }
                System.out.println("OsgiRuntimeTest: after restarting " + bsn + ": "
                        + loaders.stream().filter(r -> r.get() != null).count() + " reachable");
            }
        }
        List<String> threads = vellumThreads();
        System.out.println("OsgiRuntimeTest: open files " + openFiles());
        Footprint after = Footprint.measure();
        System.out.printf("OsgiRuntimeTest: %d cycles in %.1f s; responses %s; %d of %d Vellum class loaders still "
                        + "reachable %.1f s after the last uninstall %s; fds %d -> %d (libffi temp files %d -> %d); "
                        + "JNA native libraries mapped %d -> %d; malloc in use %d MB at start, %d MB after %d cycles, %d MB "
                        + "at the end (RSS - JVM committed %d, %d, %d MB); Vellum threads left %s%n",
                CYCLES, seconds, new TreeMap<>(statuses), alive, loaders.size(), gcSeconds, reachable, baseline.fds,
                after.fds, baseline.ffiFds, after.ffiFds, baseline.jnaLibraries, after.jnaLibraries, baseline.mallocMb,
                warm == null ? -1 : warm.mallocMb, WARM_CYCLES, after.mallocMb, baseline.nativeMb,
                warm == null ? -1 : warm.nativeMb, after.nativeMb, threads);

        assertTrue(unexpected.isEmpty(), "only 200 and 503 expected: " + unexpected);
        assertTrue(statuses.getOrDefault(200, new AtomicInteger()).get() > CYCLES, "tiles served meanwhile");
        assertEquals(List.of(), threads, "no Vellum thread left");
        assertEquals(List.of(), reachable, "every uninstalled revision's class loader collected");
        assertTrue(after.fds <= baseline.fds + 5, "file descriptors back to baseline: " + baseline.fds + " -> " + after.fds);
        assertEquals(0, after.ffiFds, "no libffi closure file: Vellum makes no JNA callbacks");
        assertTrue(after.jnaLibraries <= baseline.jnaLibraries, "every revision's libjnidispatch unloaded");
        if (warm != null) {
            long perRevision = (after.mallocMb - warm.mallocMb) * 1024 / Math.max(1, loaders.size() - 2 * WARM_CYCLES);
            assertTrue(perRevision <= 256, "native (malloc) memory after warm-up grows by at most 256 KB per revision, was "
                    + perRevision + " KB");
        }

        vellum = context.installBundle(jarA.toUri().toString());     // and it still comes back
        vellum.start();
        awaitServing();
    }

    // ---- helpers

    private static long lap(Map<String, Long> phases, String name, long since) {
        long now = System.nanoTime();
        phases.merge(name, now - since, Long::sum);
        return now;
    }

    /** What the process's file descriptors point at, by kind, for the report. */
    private static Map<String, Long> openFiles() throws IOException {
        Map<String, Long> kinds = new TreeMap<>();
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            s.forEach(fd -> {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    return;
                }
                String kind = target.startsWith("socket:") ? "socket" : target.startsWith("pipe:") ? "pipe"
                        : target.startsWith("anon_inode:") ? target : target.replaceAll("^.*/", "*/");
                kinds.merge(kind, 1L, Long::sum);
            });
        }
        return kinds;
    }

    /** Remembers (weakly) the class loader of the bundle's current revision. */
    private void track(List<WeakReference<ClassLoader>> loaders) {
        BundleWiring wiring = vellum.adapt(BundleWiring.class);
        ClassLoader loader = wiring == null ? null : wiring.getClassLoader();
        if (loader == null) return;
        for (WeakReference<ClassLoader> r : loaders) {
            if (r.get() == loader) return;
        }
        loaders.add(new WeakReference<>(loader));
    }

    private void refresh(Bundle b) throws InterruptedException {
        felix.refresh(b);
    }

    /** Waits until Vellum's servlets carry REDEPLOY_WAIT = {@code millis} (the configuration applied). */
    private void awaitRedeployWait(long millis) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (context.getAllServiceReferences("jakarta.servlet.Servlet",
                "(&(vellum.servlet=iip)(vellum.redeployWait=" + millis + "))") == null) {
            assertTrue(System.nanoTime() < end, "REDEPLOY_WAIT " + millis + " ms applied");
            Thread.sleep(20);
        }
    }

    private void awaitServing() throws Exception {
        await("/iip?FIF=grid.jp2&JTL=0,0", r -> r.statusCode() == 200);
    }

    private byte[] await(String path, java.util.function.Predicate<HttpResponse<byte[]>> ok) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        HttpResponse<byte[]> last = null;
        while (System.nanoTime() < end) {
            last = get(path);
            if (ok.test(last)) return last.body();
            Thread.sleep(20);
        }
        throw new AssertionError(path + " did not become ready; last: " + (last == null ? null : last.statusCode()));
    }

    private HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private void configure(Map<String, Object> properties) throws Exception {
        felix.configure(PID, properties);
    }

    /** Threads Vellum starts (decoders, pool evictor, JNA cleaner of the embedded JNA) that are still alive. */
    private static List<String> vellumThreads() {
        ClassLoader app = OsgiRuntimeTest.class.getClassLoader();
        List<String> left = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String n = t.getName();
            boolean foreignClass = t.getClass().getClassLoader() != null && t.getClass().getClassLoader() != app
                    && t.getClass().getClassLoader() != ClassLoader.getPlatformClassLoader();
            if (n.startsWith("vellum-") || (n.startsWith("JNA Cleaner") && foreignClass)
                    || (n.startsWith("commons-pool") && foreignClass)) {
                left.add(n);
            }
        }
        return left;
    }

    /** glibc's struct mallinfo2: ten size_t counters; in-use bytes are uordblks (arenas) + hblkhd (mmapped blocks). */
    @com.sun.jna.Structure.FieldOrder({"arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
            "fordblks", "keepcost"})
    public static class MallInfo2 extends com.sun.jna.Structure implements com.sun.jna.Structure.ByValue {
        public long arena, ordblks, smblks, hblks, hblkhd, usmblks, fsmblks, uordblks, fordblks, keepcost;
    }

    /**
     * nativeMb: RSS minus what the JVM has committed (rough: committed heap need not be resident); mallocMb: bytes
     * malloc has handed out and not had back, whoever asked (the JVM, libopenjp2, JNA) — where a native leak shows.
     */
    private record Footprint(long fds, long ffiFds, long jnaLibraries, long nativeMb, long mallocMb) {
        static Footprint measure() throws IOException, InterruptedException {
            for (int i = 0; i < 3; i++) {
                System.gc();
                Thread.sleep(100);
            }
            long fds;
            try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
                fds = s.count();
            }
            long ffi = openFiles().entrySet().stream().filter(e -> e.getKey().startsWith("*/ffi"))
                    .mapToLong(Map.Entry::getValue).sum();
            long jna = Files.readAllLines(Path.of("/proc/self/maps")).stream()
                    .filter(l -> l.contains("/jna")).map(l -> l.substring(l.lastIndexOf(' ') + 1))
                    .distinct().count();
            // glibc keeps freed memory in its arenas; give it back so RSS shows what is still allocated
            com.sun.jna.NativeLibrary.getInstance("c").getFunction("malloc_trim").invokeInt(new Object[] {0});
            if (Boolean.getBoolean("vellum.osgi.nmt")) {
                try {
                    System.out.println("OsgiRuntimeTest: NMT " + ManagementFactory.getPlatformMBeanServer().invoke(
                            new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
                            new Object[] {new String[] {"summary"}}, new String[] {String[].class.getName()}));
                } catch (javax.management.JMException e) {
                    System.out.println("OsgiRuntimeTest: NMT unavailable: " + e);
                }
            }
            long rssKb = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                    .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(0);
            var memory = ManagementFactory.getMemoryMXBean();
            long committed = memory.getHeapMemoryUsage().getCommitted() + memory.getNonHeapMemoryUsage().getCommitted();
            MallInfo2 m = (MallInfo2) com.sun.jna.NativeLibrary.getInstance("c").getFunction("mallinfo2")
                    .invoke(MallInfo2.class, new Object[0]);
            return new Footprint(fds, ffi, jna, Math.max(0, (rssKb * 1024 - committed) >> 20),
                    (m.uordblks + m.hblkhd) >> 20);
        }
    }

    /** A copy of the bundle with another Bundle-Version qualifier: what FileInstall or an admin sees as a new build. */
    private static void rebuildWithQualifier(Path from, Path to, String qualifier) throws IOException {
        try (JarInputStream in = new JarInputStream(Files.newInputStream(from))) {
            Manifest m = new Manifest(in.getManifest());
            Attributes a = m.getMainAttributes();
            a.putValue("Bundle-Version", a.getValue("Bundle-Version").replaceAll("^(\\d+\\.\\d+\\.\\d+).*$", "$1") + "."
                    + qualifier);
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(to), m)) {
                for (JarEntry e; (e = in.getNextJarEntry()) != null; ) {
                    out.putNextEntry(new JarEntry(e.getName()));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
        }
    }

    private static BufferedImage grid(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int cell = (x / 64 + y / 64) % 2 == 0 ? 0x3060A0 : 0xE0C080;
                img.setRGB(x, y, cell ^ ((x * 7 + y * 13) & 0x1F) * 0x010101);
            }
        }
        return img;
    }
}
