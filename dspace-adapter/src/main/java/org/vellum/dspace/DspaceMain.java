package org.vellum.dspace;

import java.util.HashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vellum.config.Settings;
import org.vellum.server.EmbeddedServer;

/**
 * {@code java -cp 'dspace-adapter/target/classes:dspace-adapter/target/lib/*' org.vellum.dspace.DspaceMain
 * [--port N] [--host H]}: the embedded server answering DSpace identifiers, configured by the environment (the
 * server's variables as for bin/vellum, DSPACE_* as {@link DspaceSettings} lists them).
 */
public final class DspaceMain {
    private DspaceMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = new HashMap<>(System.getenv());
        String host = "0.0.0.0";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> env.put("PORT", args[++i]);
                case "--host" -> host = args[++i];
                default -> throw new IllegalArgumentException("usage: DspaceMain [--port N] [--host ADDRESS]");
            }
        }
        Logger log = LoggerFactory.getLogger(DspaceMain.class);
        Settings settings = Settings.fromEnvironment(env);
        DspaceSettings dspace = DspaceSettings.fromEnvironment(env);
        DspaceResolver resolver = DspaceResolver.create(dspace);
        EmbeddedServer server;
        try {
            server = EmbeddedServer.start(settings, resolver, host, Integer.parseInt(env.getOrDefault("PORT", "8080")),
                    "");
        } catch (Exception e) {
            resolver.close();
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception e) {
                log.warn("Stopping: {}", e.toString());
            } finally {
                resolver.close();
            }
        }));
        log.info("Vellum serves DSpace bitstreams (assetstores {}, REST {}, access {}) on port {}; "
                        + "iiif.image.server = http://<this host>:{}{}/2/", dspace.assetstores(),
                dspace.restUrl().isEmpty() ? "off" : dspace.restUrl(), dspace.auth().name().toLowerCase(java.util.Locale.ROOT),
                server.port(), server.port(), settings.iiifPrefix());
        server.join();
    }
}
