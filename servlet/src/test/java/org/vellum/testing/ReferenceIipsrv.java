package org.vellum.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The reference server, iipsrv 1.1 (Debian package {@code iipimage-server}), running on loopback behind nginx
 * the way sites deploy it, for differential tests: same request to Vellum and to this, compare the answers.
 *
 * <pre>{@code
 * try (ReferenceIipsrv ref = ReferenceIipsrv.start(imageDir, Map.of("CORS", "*"))) {
 *     RawResponse r = RawHttp.get(ref.baseUrl(), ReferenceIipsrv.FCGI_PATH + "?FIF=x.jp2&obj=IIP,1.0");
 * }
 * }</pre>
 *
 * Both processes are children of this JVM and run in the foreground (spawn-fcgi {@code -n} execs iipsrv in place;
 * nginx runs with {@code daemon off; master_process off;}, one process, no workers), so {@link #close()} can kill
 * exactly what it started. A shutdown hook does the same if a test forgets to close.
 */
public final class ReferenceIipsrv implements AutoCloseable {

    public static final Path IIPSRV = Path.of("/usr/lib/iipimage-server/iipsrv.fcgi");
    /** IIP, Zoomify= and DeepZoom= requests go to this path with the query string; IIIF goes to /iiif/&lt;id&gt;/…. */
    public static final String FCGI_PATH = "/fcgi-bin/iipsrv.fcgi";

    private static final long START_TIMEOUT_MS = 10_000;

    private final Path workDir;
    private final int httpPort;
    private final Process fcgi;
    private final Process nginx;
    private final Thread shutdownHook;

    private ReferenceIipsrv(Path workDir, int httpPort, Process fcgi, Process nginx) {
        this.workDir = workDir;
        this.httpPort = httpPort;
        this.fcgi = fcgi;
        this.nginx = nginx;
        this.shutdownHook = new Thread(this::stopProcesses, "reference-iipsrv-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Whether iipsrv, nginx and spawn-fcgi are installed, i.e. whether {@link #start} can work here. */
    public static boolean available() {
        return Files.isExecutable(IIPSRV) && which("nginx") != null && which("spawn-fcgi") != null;
    }

    public static ReferenceIipsrv start(Path imageDir) throws IOException {
        return start(imageDir, Map.of());
    }

    /**
     * Starts iipsrv for the images in {@code imageDir} (the FIF path is relative to it).
     *
     * @param extraEnv iipsrv settings added to (or overriding) FILESYSTEM_PREFIX, VERBOSITY=0 and
     *                 MAX_IMAGE_CACHE_SIZE=0, e.g. {@code MAX_LAYERS=-1}, {@code JPEG_QUALITY=75}, {@code CORS=*}
     */
    public static ReferenceIipsrv start(Path imageDir, Map<String, String> extraEnv) throws IOException {
        if (!available()) {
            throw new IllegalStateException("iipsrv 1.1, nginx or spawn-fcgi is not installed");
        }
        IOException last = null;
        // Free ports are picked by binding port 0 and releasing it; another process can take one meanwhile, so retry.
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return tryStart(imageDir.toRealPath(), extraEnv);
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    private static ReferenceIipsrv tryStart(Path imageDir, Map<String, String> extraEnv) throws IOException {
        Path work = Files.createTempDirectory("reference-iipsrv-");
        Process fcgi = null;
        Process nginx = null;
        try {
            int fcgiPort = freePort();
            int httpPort = freePort();
            Files.createDirectories(work.resolve("tmp"));
            Path conf = work.resolve("nginx.conf");
            Files.writeString(conf, nginxConfig(work, httpPort, fcgiPort));

            Map<String, String> env = new LinkedHashMap<>();
            env.put("FILESYSTEM_PREFIX", imageDir + "/");
            env.put("VERBOSITY", "0");
            env.put("MAX_IMAGE_CACHE_SIZE", "0");
            env.put("LOGFILE", work.resolve("iipsrv.log").toString());
            env.putAll(extraEnv);
            ProcessBuilder fcgiBuilder = new ProcessBuilder(which("spawn-fcgi").toString(),
                    "-n", "-a", "127.0.0.1", "-p", Integer.toString(fcgiPort), "--", IIPSRV.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(work.resolve("spawn-fcgi.out").toFile());
            // A clean environment: an inherited JPEG_QUALITY or CORS would silently change the reference answers.
            fcgiBuilder.environment().keySet().removeIf(k -> !k.equals("PATH"));
            fcgiBuilder.environment().putAll(env);
            fcgi = fcgiBuilder.start();

            nginx = new ProcessBuilder(which("nginx").toString(), "-p", work.toString(),
                    "-e", work.resolve("error.log").toString(), "-c", conf.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(work.resolve("nginx.out").toFile())
                    .start();

            ReferenceIipsrv server = new ReferenceIipsrv(work, httpPort, fcgi, nginx);
            try {
                server.awaitAnswer();
            } catch (IOException | RuntimeException e) {
                server.close();
                throw e;
            }
            return server;
        } catch (IOException | RuntimeException e) {
            if (nginx != null) {
                kill(nginx);
            }
            if (fcgi != null) {
                kill(fcgi);
            }
            deleteRecursively(work);
            throw e;
        }
    }

    private static String nginxConfig(Path work, int httpPort, int fcgiPort) {
        String params = """
                      fastcgi_param REQUEST_METHOD $request_method; fastcgi_param REQUEST_URI $request_uri;
                      fastcgi_param SERVER_NAME $server_name; fastcgi_param SERVER_PORT $server_port;
                      fastcgi_param SERVER_PROTOCOL $server_protocol; fastcgi_param HTTP_HOST $http_host;
                      fastcgi_param HTTP_IF_MODIFIED_SINCE $http_if_modified_since if_not_empty;
                """;
        // No upstream keepalive: with a single iipsrv process a new FastCGI connection per request is the robust choice.
        return (isRoot() ? "user root;\n" : "") + """
                daemon off;
                master_process off;
                worker_processes 1;
                error_log %1$s/error.log;
                pid %1$s/nginx.pid;
                events { worker_connections 64; }
                http {
                  access_log off;
                  client_body_temp_path %1$s/tmp; fastcgi_temp_path %1$s/tmp; proxy_temp_path %1$s/tmp;
                  uwsgi_temp_path %1$s/tmp; scgi_temp_path %1$s/tmp;
                  server {
                    listen 127.0.0.1:%2$d;
                    location ~ ^/iiif/(.*)$ {
                      fastcgi_pass 127.0.0.1:%3$d;
                      fastcgi_param QUERY_STRING IIIF=$1;
                %4$s    }
                    location /fcgi-bin/iipsrv.fcgi {
                      fastcgi_pass 127.0.0.1:%3$d;
                      fastcgi_param QUERY_STRING $query_string;
                %4$s    }
                  }
                }
                """.formatted(work, httpPort, fcgiPort, params);
    }

    /** Waits until nginx answers and iipsrv behind it does too (an empty IIP request gets iipsrv's banner). */
    private void awaitAnswer() throws IOException {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (true) {
            if (!nginx.isAlive() || !fcgi.isAlive()) {
                throw new IOException("reference iipsrv did not start:\n" + logs());
            }
            try {
                RawResponse r = RawHttp.get(baseUrl(), FCGI_PATH);
                if (r.header("Server").orElse("").startsWith("iipsrv/")) {
                    return;
                }
            } catch (IOException notYet) {
                // connection refused or 502 until both processes listen
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IOException("reference iipsrv did not answer within " + START_TIMEOUT_MS + " ms:\n" + logs());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while starting reference iipsrv", e);
            }
        }
    }

    /** For example {@code http://127.0.0.1:41234}, no trailing slash. */
    public String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    public int port() {
        return httpPort;
    }

    /**
     * Whether nginx and iipsrv still run. iipsrv 1.1 crashes on some requests (a IIIF region outside the image, a
     * JP2 level below the file's smallest DWT level) and spawn-fcgi does not restart it; nginx then answers 502.
     * A differential test should check this before blaming Vellum.
     */
    public boolean alive() {
        return nginx.isAlive() && fcgi.isAlive();
    }

    /** The processes this instance started (nginx, iipsrv), so a test can check that close() ended them. */
    List<ProcessHandle> processes() {
        List<ProcessHandle> all = new ArrayList<>();
        for (Process p : List.of(nginx, fcgi)) {
            all.add(p.toHandle());
            p.toHandle().descendants().forEach(all::add);
        }
        return all;
    }

    /** nginx's and spawn-fcgi's output and error log, for failure messages. */
    public String logs() {
        StringBuilder sb = new StringBuilder();
        for (String name : List.of("spawn-fcgi.out", "nginx.out", "error.log", "iipsrv.log")) {
            Path f = workDir.resolve(name);
            try {
                if (Files.exists(f)) {
                    sb.append("--- ").append(name).append('\n').append(Files.readString(f, StandardCharsets.ISO_8859_1));
                }
            } catch (IOException e) {
                sb.append("--- ").append(name).append(": ").append(e).append('\n');
            }
        }
        return sb.toString();
    }

    @Override
    public void close() {
        stopProcesses();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or has run
        }
        deleteRecursively(workDir);
    }

    private synchronized void stopProcesses() {
        kill(nginx);
        kill(fcgi);
    }

    /** SIGTERM, then SIGKILL if it lingers; descendants too, so nothing outlives the test. */
    private static void kill(Process p) {
        List<ProcessHandle> family = new ArrayList<>();
        family.add(p.toHandle());
        p.toHandle().descendants().forEach(family::add);
        family.forEach(ProcessHandle::destroy);
        for (ProcessHandle h : family) {
            try {
                h.onExit().get(3, TimeUnit.SECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        }
        try {
            p.waitFor(3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static Path which(String program) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin"));
        for (String d : dirs) {
            if (d.isEmpty()) {
                continue;
            }
            Path p = Path.of(d, program);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // leftovers in the temp dir are harmless; a failing cleanup must not hide the test result
        }
    }

    /** Whether something listens on the loopback port; lets a test show that close() really stopped nginx. */
    static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
