package org.vellum.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.vellum.codec.openjpeg.Jp2EncodeOptions;
import org.vellum.config.Settings;
import org.vellum.pool.PoolStats;
import org.vellum.testing.Fixtures;
import org.vellum.testing.Http;

/**
 * Two Vellum nodes over one image folder sharing a real memcached (started here on a free loopback port): what one
 * node decoded, the other serves from memcached without decoding, byte for byte; and when memcached hangs or dies,
 * both keep answering every tile, quickly.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MemcachedScaleOutTest {
    /** A request may take this long at most while memcached hangs or is gone (a decode here takes well under it). */
    private static final long BOUND_MILLIS = 2_000;

    @TempDir
    static Path images;
    static Process memcached;
    static int memcachedPort;
    static Http nodeA;
    static Http nodeB;
    static long slowestMillis;

    @BeforeAll
    static void start() throws Exception {
        Path binary = List.of(Path.of("/usr/bin/memcached"), Path.of("/usr/local/bin/memcached")).stream()
                .filter(Files::isExecutable).findFirst().orElse(null);
        assumeTrue(binary != null, "memcached is not installed, so the scale-out test cannot run "
                + "(Debian: apt-get install memcached, which bin/install-deps test does)");
        Fixtures.write(images, "shared.jp2", Fixtures.texturedGrid(1100, 800), new Jp2EncodeOptions(5, 4, 256, false, true));
        memcachedPort = freePort();
        List<String> command = new ArrayList<>(List.of(binary.toString(), "-l", "127.0.0.1", "-p",
                String.valueOf(memcachedPort), "-U", "0", "-m", "64"));
        if ("root".equals(System.getProperty("user.name"))) command.addAll(List.of("-u", "root"));  // it refuses root otherwise
        memcached = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        awaitPort(memcachedPort);
        nodeA = node();
        nodeB = node();
    }

    private static Http node() {
        return new Http(Settings.fromEnvironment(Map.of("FILESYSTEM_PREFIX", images.toString(),
                "MEMCACHED_SERVERS", "127.0.0.1:" + memcachedPort, "MEMCACHED_TIMEOUT", "600")));
    }

    @AfterAll
    static void stop() throws Exception {
        if (nodeA != null) nodeA.close();
        if (nodeB != null) nodeB.close();
        if (memcached != null) {
            memcached.destroyForcibly();
            memcached.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @Order(1)
    void aTileOneNodeDecodedIsServedByTheOtherFromMemcachedWithoutDecoding() throws Exception {
        String tile = "/iip?FIF=shared.jp2&JTL=3,11";
        byte[] fromA = nodeA.ok(tile);
        assertEquals(1, stats(nodeA).produced());
        nodeB.ok("/iip?FIF=shared.jp2&OBJ=Max-size");      // B reads the header; from here on B decodes nothing
        PoolStats before = nodeB.server().vellum().engine().pool().stats();
        byte[] fromB = nodeB.ok(tile);
        PoolStats after = nodeB.server().vellum().engine().pool().stats();
        assertArrayEquals(fromA, fromB, "byte-identical");
        assertEquals(before.borrowed(), after.borrowed(), "B's decoder pool was not used");
        assertEquals(before.created(), after.created());
        assertEquals(1, stats(nodeB).sharedHits(), stats(nodeB).toString());
        assertEquals(0, stats(nodeB).produced(), stats(nodeB).toString());
        // the same holds through another protocol: a IIIF image B decoded is A's from memcached
        String iiif = "/iiif/3/shared.jp2/256,256,512,256/256,/0/gray.png";
        byte[] iiifB = nodeB.ok(iiif);
        long aDecodes = nodeA.server().vellum().engine().pool().stats().borrowed();
        assertArrayEquals(iiifB, nodeA.ok(iiif));
        assertEquals(aDecodes, nodeA.server().vellum().engine().pool().stats().borrowed());
        assertEquals(1, stats(nodeA).sharedHits());
    }

    @Test
    @Order(3)
    void aHungOrDeadMemcachedNeverFailsOrStallsARequest() throws Exception {
        List<String> old = List.of("/iip?FIF=shared.jp2&JTL=3,0", "/iip?FIF=shared.jp2&JTL=3,1");
        for (String t : old) {
            nodeA.ok(t);
            nodeB.ok(t);
        }
        // hung: the socket accepts, nothing answers (SIGSTOP)
        signal("STOP");
        try {
            for (int t = 2; t < 8; t++) {
                timedOk(nodeA, "/iip?FIF=shared.jp2&JTL=3," + t);
                timedOk(nodeB, "/iip?FIF=shared.jp2&JTL=3," + (t + 6));
            }
            for (String t : old) {
                timedOk(nodeA, t);
                timedOk(nodeB, t);
            }
        } finally {
            signal("CONT");
        }
        // dead
        memcached.destroyForcibly();
        assertTrue(memcached.waitFor(10, TimeUnit.SECONDS));
        Thread.sleep(Memcached.RETRY_MILLIS + 100);          // both nodes now try it again, and find it gone
        for (int t = 14; t < 20; t++) {
            timedOk(nodeA, "/iip?FIF=shared.jp2&JTL=3," + t);
            timedOk(nodeB, "/iip?FIF=shared.jp2&JTL=2," + (t - 14));
            timedOk(nodeB, "/iiif/2/shared.jp2/full/" + (100 + t) + ",/0/default.jpg");
        }
        for (String t : old) {
            timedOk(nodeA, t);
            timedOk(nodeB, t);
        }
        // and a third node started while it is down serves too
        try (Http late = node()) {
            for (String t : old) timedOk(late, t);
            timedOk(late, "/iip?FIF=shared.jp2&JTL=3,19");
            assertEquals(0, stats(late).sharedHits());
        }
        System.out.println("MemcachedScaleOutTest: slowest request while memcached hung or was dead: "
                + slowestMillis + " ms");
    }

    @Test
    @Order(2)
    void aMissingKeyIsAMissAndAStoredValueComesBackWhole() {
        try (Memcached client = Memcached.of("127.0.0.1:" + memcachedPort, 60)) {
            assertNull(client.get("vellum-test:absent"));
            byte[] value = new byte[300_000];
            for (int i = 0; i < value.length; i++) value[i] = (byte) (i * 31 + (i >> 8));
            client.set("vellum-test:big", value);
            assertArrayEquals(value, client.get("vellum-test:big"));
            client.set("vellum-test:huge", new byte[2 << 20]);   // above memcached's 1 MB item limit: not stored
            assertNull(client.get("vellum-test:huge"));
            assertArrayEquals(value, client.get("vellum-test:big"), "the connection survives the refusal");
        }
    }

    private static OutputCache.Stats stats(Http node) {
        return node.server().vellum().engine().cache().stats();
    }


    private static void timedOk(Http node, String path) {
        long t0 = System.nanoTime();
        node.ok(path);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        slowestMillis = Math.max(slowestMillis, ms);
        assertTrue(ms < BOUND_MILLIS, path + " took " + ms + " ms");
    }

    private static void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(memcached.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void awaitPort(int port) throws InterruptedException {
        long end = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < end) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("memcached did not listen on " + port);
    }
}
