package org.vellum.it.wildfly;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vellum.it.war.WarContract;

/**
 * Undeploying the WAR from WildFly lets its class loader go: after Vellum has decoded (native OpenJPEG through JNA, the
 * decoder pool's threads) and the WAR has been deployed and undeployed twice, a full GC of the server's JVM unloads
 * every class of the deployment, so that none of {@code org.vellum} is left in the JVM. WildFly has no leak report of
 * its own (like Tomcat's "find leaks"); the server's JVM is asked with {@code jcmd} (GC.run, VM.class_hierarchy), the
 * JDK's own tool.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class WarUndeployOnWildFlyTest {
    private static final String NAME = "vellum";
    private static final String OTHER = "other";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @ArquillianResource
    private Deployer deployer;

    @Deployment(name = NAME, managed = false, testable = false)
    static WebArchive deployment() throws Exception {
        return WarContract.war();
    }

    /** Another application the server goes on serving after Vellum is gone. */
    @Deployment(name = OTHER, managed = false, testable = false)
    static WebArchive other() {
        return ShrinkWrap.create(WebArchive.class, OTHER + ".war").addClass(Ping.class);
    }

    @WebServlet("/ping")
    public static class Ping extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.getWriter().print("pong");
        }
    }

    @Test
    void undeployingLetsTheDeploymentsClassesGo() throws Exception {
        String base = "http://127.0.0.1:" + Integer.getInteger("vellum.wildfly.port") + "/vellum/";
        for (int round = 0; round < 2; round++) {
            deployer.deploy(NAME);
            assertEquals(200, get(base + "iip?FIF=grid.jp2&JTL=2,5"));
            assertEquals(200, get(base + "iiif/3/grid.jp2/full/!200,200/0/default.jpg"));
            assertEquals(200, get(base + "deepzoom/grid.jp2_files/10/0_0.jpg"));
            deployer.undeploy(NAME);
            assertEquals(404, get(base + "iip?FIF=grid.jp2&JTL=2,5"), "undeployed");
        }

        // An idle worker thread of Undertow's task pool keeps the last request it ran in a local variable until it runs
        // another one: the server's other traffic, which the other application stands for here, lets those go.
        deployer.deploy(OTHER);
        String ping = "http://127.0.0.1:" + Integer.getInteger("vellum.wildfly.port") + "/" + OTHER + "/ping";
        long server = serverPid();
        List<String> left = List.of();
        long start = System.nanoTime();
        // JNA's cleaner thread (started by the application's JNA) ends 30 s after its last use at the latest
        for (int i = 0; i < 45; i++) {
            traffic(ping);
            jcmd(server, "GC.run");
            left = jcmd(server, "VM.class_hierarchy").lines().map(String::strip)
                    .map(l -> l.replaceFirst("^[|\\- ]+", "")).filter(l -> l.startsWith("org.vellum.")).toList();
            if (left.isEmpty()) break;
            Thread.sleep(1000);
        }
        System.out.printf("WarUndeployOnWildFlyTest: %d classes of org.vellum loaded in WildFly's JVM %.1f s after "
                + "the second undeploy%n", left.size(), (System.nanoTime() - start) / 1e9);
        deployer.undeploy(OTHER);
        String dump = "";
        if (!left.isEmpty()) {
            // what holds the class loaders: a heap dump to follow to its GC roots
            Path hprof = Path.of("target", "wildfly-undeploy.hprof").toAbsolutePath();
            Files.deleteIfExists(hprof);
            jcmd(server, "GC.heap_dump " + hprof);
            dump = " (heap dump: " + hprof + ")";
        }
        assertEquals(List.of(), left.stream().limit(20).toList(), "classes of the undeployed WAR still loaded" + dump);
    }

    /** 64 requests, 16 at a time: more than the workers that have served anything in this test. */
    private void traffic(String url) throws Exception {
        List<CompletableFuture<HttpResponse<Void>>> sent = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            sent.add(http.sendAsync(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.discarding()));
            if (sent.size() == 16) {
                for (var r : sent) assertEquals(200, r.get().statusCode(), url);
                sent.clear();
            }
        }
    }

    /** The managed server's process: the Java process that runs jboss-modules from this build's WildFly. */
    private static long serverPid() {
        String home = Path.of(System.getProperty("vellum.wildfly.home")).toAbsolutePath().toString();
        List<ProcessHandle> servers = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("jboss-modules.jar") && c.contains(home))
                        .orElse(false))
                .toList();
        assertEquals(1, servers.size(), "one WildFly from " + home);
        return servers.get(0).pid();
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        List<String> args = new ArrayList<>(List.of(jcmd.toString(), Long.toString(pid)));
        args.addAll(List.of(command.split(" ")));
        Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "jcmd " + command + ": " + out);
        return out;
    }

    private int get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
