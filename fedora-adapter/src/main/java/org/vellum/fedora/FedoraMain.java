package org.vellum.fedora;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vellum.config.Settings;
import org.vellum.server.EmbeddedServer;

/**
 * {@code java -cp 'fedora-adapter/target/classes:fedora-adapter/target/lib/*' org.vellum.fedora.FedoraMain
 * [--port N] [--host H]}: the embedded server answering Fedora identifiers, configured by the environment (the
 * server's variables as for bin/vellum, FEDORA_* as {@link FedoraSettings} lists them).
 */
public final class FedoraMain {
    private FedoraMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = new HashMap<>(System.getenv());
        String host = "0.0.0.0";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> env.put("PORT", args[++i]);
                case "--host" -> host = args[++i];
                default -> throw new IllegalArgumentException("usage: FedoraMain [--port N] [--host ADDRESS]");
            }
        }
        Logger log = LoggerFactory.getLogger(FedoraMain.class);
        Settings settings = Settings.fromEnvironment(env);
        FedoraSettings fedora = FedoraSettings.fromEnvironment(env);
        FedoraResolver resolver = FedoraResolver.create(fedora);
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
        log.info("Vellum serves Fedora binaries from {} (access {}) on port {}",
                fedora.fetches() ? fedora.restUrl() + " through " + fedora.fetchDir() : fedora.ocflRoot(),
                fedora.access().name().toLowerCase(Locale.ROOT), server.port());
        server.join();
    }
}
