package org.vellum.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The embedded launcher, {@code org.vellum.server.Main}, in a JVM of its own on 127.0.0.1, as a deployer runs it: this
 * test JVM's class path (so the adapters of the module under test are on it), no DSPACE_ or FEDORA_ variables but
 * those given, its output in {@code dir/launcher.log}.
 */
public final class Launcher implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Launcher(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts the launcher in {@code dir} (its working directory) with {@code env} added to this JVM's environment. */
    public static Launcher start(Path dir, Map<String, String> env) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), "org.vellum.server.Main",
                "--host", "127.0.0.1", "--port", Integer.toString(port)).directory(dir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("DSPACE_") || k.startsWith("FEDORA_"));
        pb.environment().putAll(env);
        Path log = dir.resolve("launcher.log");
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        return new Launcher(pb.start(), port, log);
    }

    public Process process() {
        return process;
    }

    /** What the launcher has written so far. */
    public String log() throws IOException {
        return Files.readString(log);
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The answer to {@code path} once the launcher answers at all (at most two minutes); fails with its log if it ended. */
    public HttpResponse<String> await(String path) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new AssertionError("the launcher ended: " + log());
            try {
                return get(path);
            } catch (IOException notYet) {
                Thread.sleep(250);
            }
        }
        throw new AssertionError("the launcher did not answer within 2 minutes: " + log());
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly();
    }
}
