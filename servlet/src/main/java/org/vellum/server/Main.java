package org.vellum.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vellum.api.settings.SettingSource;
import org.vellum.config.Settings;
import org.vellum.source.FilesystemResolver;

/**
 * {@code bin/vellum [--images DIR] [--port N] [--host H]}: serves a folder of images (FILESYSTEM_PREFIX), by default a
 * demo folder holding a generated demo image, on http://localhost:8080 (PORT) with a viewer page at /. Repository
 * adapters on the class path ({@link org.vellum.api.ResolverProvider}) that the environment configures are asked
 * first.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = new HashMap<>(System.getenv());
        String host = "0.0.0.0";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--images" -> env.put("FILESYSTEM_PREFIX", value(args, ++i));
                case "--port" -> env.put("PORT", value(args, ++i));
                case "--host" -> host = value(args, ++i);
                case "--help", "-h" -> {
                    System.out.println("usage: bin/vellum [--images DIR] [--port N] [--host ADDRESS]");
                    return;
                }
                default -> throw new IllegalArgumentException("Unknown argument " + args[i] + " (try --help)");
            }
        }
        logLevelFrom(env.get("VERBOSITY"));
        Logger log = LoggerFactory.getLogger(Main.class);
        boolean demo = !env.containsKey("FILESYSTEM_PREFIX");
        if (demo) env.put("FILESYSTEM_PREFIX", env.getOrDefault("VELLUM_DEMO_DIR", "demo"));
        Settings settings = Settings.fromEnvironment(env);
        String image = demo ? DemoImage.ensure(settings.filesystemPrefix()).getFileName().toString()
                : !settings.viewerImage().isEmpty() ? settings.viewerImage() : firstImage(settings.filesystemPrefix());
        int port = Integer.parseInt(env.getOrDefault("PORT", "8080"));
        Adapters adapters = Adapters.load(SettingSource.variables(env), Main.class.getClassLoader());
        EmbeddedServer server;
        try {
            server = EmbeddedServer.start(settings, adapters.before(new FilesystemResolver(settings.filesystemPrefix(),
                    settings.filesystemSuffix(), settings.filenamePattern())), host, port, image);
        } catch (Exception e) {
            adapters.close();
            throw e;
        }
        server.vellum().warmUp(image);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception e) {
                log.warn("Stopping: {}", e.toString());
            } finally {
                adapters.close();
            }
        }));
        log.info("Vellum serves {} on http://localhost:{}/ (IIP at /iip, /fcgi-bin/iipsrv.fcgi, /iipsrv/iipsrv.fcgi)",
                settings.filesystemPrefix(), server.port());
        server.join();
    }

    /**
     * iipsrv's VERBOSITY for the bundled simple logger, set before the first logger exists: 0 errors and warnings,
     * 1 start-up information (the default), 2-4 one line per request, 5 and more everything.
     */
    private static void logLevelFrom(String verbosity) {
        if (verbosity == null || System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") != null) return;
        int v;
        try {
            v = Integer.parseInt(verbosity.trim());
        } catch (NumberFormatException e) {
            return;
        }
        String level = v <= 0 ? "warn" : v == 1 ? "info" : v < 5 ? "debug" : "trace";
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level);
        // Jetty's own debug output is not what VERBOSITY means
        System.setProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty", v <= 0 ? "warn" : "info");
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) throw new IllegalArgumentException(args[i - 1] + " needs a value");
        return args[i];
    }

    /** The image the viewer page opens first: the first JPEG 2000 file in the folder, up to 3 levels down. */
    private static String firstImage(Path root) throws IOException {
        if (!Files.isDirectory(root)) throw new IOException("No such image folder: " + root);
        return DefaultImage.first(root, 3);
    }
}
