package org.vellum.it.tomcat;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vellum.it.war.WarContract;

/**
 * Undeploying the WAR from Tomcat leaves nothing behind that Tomcat reports: no warning from the web application class
 * loader's checks on stop (threads the application started and did not stop, ThreadLocals, JDBC drivers), and no
 * context in the Host's "find leaks" list (a stopped application's class loader still reachable after a full GC, what
 * the Manager application's "Find leaks" shows). Vellum decodes (native OpenJPEG through JNA, the decoder pool's
 * threads) before each undeploy; deployed and undeployed twice.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class WarUndeployOnTomcatTest {
    private static final String NAME = "vellum";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @ArquillianResource
    private Deployer deployer;

    @Deployment(name = NAME, managed = false, testable = false)
    static WebArchive deployment() throws Exception {
        return WarContract.war();
    }

    @Test
    void undeployingLeavesNoLeakTomcatReports() throws Exception {
        List<String> warnings = Collections.synchronizedList(new ArrayList<>());
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= Level.WARNING.intValue()) warnings.add(r.getLoggerName() + ": " + r.getMessage()
                        + " " + Arrays.toString(r.getParameters()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger loader = Logger.getLogger("org.apache.catalina.loader");
        loader.addHandler(handler);
        String base = "http://127.0.0.1:" + Integer.getInteger("vellum.tomcat.port") + "/vellum/";
        try {
            for (int round = 0; round < 2; round++) {
                deployer.deploy(NAME);
                assertEquals(200, get(base + "iip?FIF=grid.jp2&JTL=2,5").statusCode());
                assertEquals(200, get(base + "iiif/3/grid.jp2/full/!200,200/0/default.jpg").statusCode());
                assertEquals(200, get(base + "deepzoom/grid.jp2_files/10/0_0.jpg").statusCode());
                deployer.undeploy(NAME);
                assertEquals(404, get(base + "iip?FIF=grid.jp2&JTL=2,5").statusCode(), "undeployed");
            }
        } finally {
            loader.removeHandler(handler);
        }

        // JNA's cleaner thread (started by the application's JNA) ends 30 s after its last use at the latest
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> hosts = jmx.queryNames(new ObjectName("*:type=Host,*"), null);
        assertEquals(1, hosts.size(), hosts.toString());
        ObjectName host = hosts.iterator().next();
        String[] leaks = null;
        long start = System.nanoTime();
        for (int i = 0; i < 45; i++) {
            leaks = (String[]) jmx.invoke(host, "findReloadedContextMemoryLeaks", new Object[0], new String[0]);
            if (leaks.length == 0) break;
            Thread.sleep(1000);
        }
        System.out.printf("WarUndeployOnTomcatTest: Host %s reports %s leaked after %.1f s%n", host,
                Arrays.toString(leaks), (System.nanoTime() - start) / 1e9);
        String[] reported = leaks;
        assertAll(() -> assertEquals(List.of(), warnings, "Tomcat's class loader checks on stop"),
                () -> assertEquals(List.of(), Arrays.asList(reported), "contexts whose class loader survived undeploy"));
    }

    private HttpResponse<byte[]> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }
}
