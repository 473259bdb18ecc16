package org.vellum.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * A real Felix started in the test JVM with Vellum's runtime bundle set (SCR, ConfigAdmin, Felix HTTP Jetty 12 on a
 * free loopback port, the gate), from the jars the build copied to target/bundles; SLF4J comes from the test class
 * path through the system bundle. The tests install Vellum and adapters themselves.
 */
final class FelixRuntime implements AutoCloseable {
    static final List<String> PLATFORM = List.of("org.osgi.util.function", "org.osgi.util.promise",
            "org.osgi.service.component", "org.apache.felix.scr", "org.apache.felix.configadmin",
            "org.apache.felix.http.servlet-api", "commons-io", "commons-fileupload", "org.apache.felix.http.jetty12",
            "vellum-bundle-gate");

    /** Felix HTTP's URI compliance: as bin/vellum's runtime sets it. */
    static final String URI_COMPLIANCE = "org.eclipse.jetty.UriComplianceMode";

    /** Felix HTTP's request log properties: bin/vellum sets the file, the distribution the format. */
    static final String REQUEST_LOG_FILE = "org.apache.felix.http.requestlog.file.path";
    static final String REQUEST_LOG_FORMAT = "org.apache.felix.http.requestlog.file.format";

    final Path bundles;
    final Framework framework;
    final BundleContext context;
    /** Where Felix HTTP logs the requests, as bin/vellum's runtime does with REQUEST_LOG. */
    final Path requestLog;

    private FelixRuntime(Path bundles, Framework framework, Path requestLog) {
        this.bundles = bundles;
        this.framework = framework;
        this.context = framework.getBundleContext();
        this.requestLog = requestLog;
    }

    /** A framework property of the distribution bin/vellum starts (bundle/src/main/felix/conf/config.properties). */
    static String distributionSetting(String key) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("../bundle/src/main/felix/conf/config.properties"))) {
            p.load(in);
        }
        String value = p.getProperty(key);
        if (value == null) throw new IllegalStateException(key + " is not in the distribution's config.properties");
        return value.trim();
    }

    /** Starts the framework (storage in {@code storage}) and the platform bundles. */
    static FelixRuntime start(Path storage) throws Exception {
        Path bundles = Path.of(System.getProperty("vellum.bundles", "target/bundles"));
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        // slf4j-api 2 as a bundle also exports org.slf4j and org.slf4j.helpers as 1.7.36 for bundles built against
        // SLF4J 1 (HikariCP imports org.slf4j [1.6,2)); the system bundle does the same here.
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, "org.slf4j;version=2.0.17,org.slf4j.spi;version=2.0.17,"
                + "org.slf4j.event;version=2.0.17,org.slf4j.helpers;version=2.0.17,"
                + "org.slf4j;version=1.7.36,org.slf4j.helpers;version=1.7.36");
        config.put("org.osgi.service.http.port", "0");
        config.put("org.apache.felix.http.host", "127.0.0.1");
        // An idle keep-alive connection remembers its last request, and so that request's servlet and class loader,
        // until Jetty closes it (60 s by default): short here, so uninstall checks do not wait on it (as on main's
        // OsgiRuntimeTest, c896634, whose set-up this class now holds).
        config.put("org.apache.felix.http.timeout", "3000");
        config.put(URI_COMPLIANCE, distributionSetting(URI_COMPLIANCE));
        Path requestLog = storage.resolveSibling(storage.getFileName() + "-requests.log");
        config.put(REQUEST_LOG_FILE, requestLog.toString());
        config.put(REQUEST_LOG_FORMAT, distributionSetting(REQUEST_LOG_FORMAT));
        config.put("org.apache.felix.http.requestlog.file.append", "true");
        Framework framework = ServiceLoader.load(FrameworkFactory.class).iterator().next().newFramework(config);
        framework.init();
        framework.start();
        FelixRuntime felix = new FelixRuntime(bundles, framework, requestLog);
        felix.installAndStart(PLATFORM);
        return felix;
    }

    /** Installs target/bundles/{name}.jar for each name, then starts them all. */
    List<Bundle> installAndStart(List<String> names) throws BundleException {
        List<Bundle> installed = new ArrayList<>();
        for (String name : names) installed.add(install(name));
        for (Bundle b : installed) b.start();
        return installed;
    }

    Bundle install(String name) throws BundleException {
        return context.installBundle(bundles.resolve(name + ".jar").toUri().toString());
    }

    /** The HTTP runtime's base URL without a trailing slash, once Jetty listens. */
    String endpoint() throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < end) {
            ServiceReference<?>[] refs = context.getServiceReferences(
                    "org.osgi.service.servlet.runtime.HttpServiceRuntime", null);
            if (refs != null) {
                Object v = refs[0].getProperty("osgi.http.endpoint");
                String url = v instanceof String[] a ? a[0] : v instanceof List<?> l ? l.get(0).toString() : String.valueOf(v);
                if (!url.contains(":0/") && !url.endsWith(":0")) return url.replaceAll("/+$", "");
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no HTTP endpoint");
    }

    /** ConfigAdmin through reflection: its API is the bundle's, not on the test class path. */
    void configure(String pid, Map<String, Object> properties) throws Exception {
        ServiceReference<?> ref = context.getServiceReference("org.osgi.service.cm.ConfigurationAdmin");
        Object admin = context.getService(ref);
        Bundle cm = ref.getBundle();
        Object configuration = cm.loadClass("org.osgi.service.cm.ConfigurationAdmin")
                .getMethod("getConfiguration", String.class, String.class).invoke(admin, pid, "?");
        Dictionary<String, Object> d = new Hashtable<>(properties);
        cm.loadClass("org.osgi.service.cm.Configuration").getMethod("update", Dictionary.class).invoke(configuration, d);
        context.ungetService(ref);
    }

    /** Refreshes the bundle's wiring (after an update or uninstall) and waits for it. */
    void refresh(Bundle b) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        framework.adapt(FrameworkWiring.class).refreshBundles(List.of(b), e -> {
            if (e.getType() == FrameworkEvent.PACKAGES_REFRESHED) done.countDown();
        });
        assertTrue(done.await(30, TimeUnit.SECONDS), "refresh finished");
    }

    @Override
    public void close() throws Exception {
        framework.stop();
        framework.waitForStop(30_000);
    }
}
