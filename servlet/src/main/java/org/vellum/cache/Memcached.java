package org.vellum.cache;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client for memcached's text protocol that knows two commands, {@code get} and {@code set}, and never makes a
 * request wait long: connecting and each operation are bounded by short socket timeouts, and a server that failed is
 * left alone for {@link #RETRY_MILLIS} before it is tried again, so while it is down a lookup costs nothing. Failures
 * are a miss, never an error; an outage is logged once at warn, its end once at info. No threads of its own: closing
 * it closes its idle sockets.
 *
 * <p>A key goes to one server chosen from its hash, so every node with the same server list (in the same order) looks
 * in the same place.
 */
public final class Memcached implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Memcached.class);
    public static final int DEFAULT_PORT = 11211;
    static final int CONNECT_MILLIS = 250;
    static final int OPERATION_MILLIS = 500;
    static final long RETRY_MILLIS = 5_000;
    /** Idle connections kept per server; more concurrent requests open more and close the surplus afterwards. */
    private static final int IDLE_PER_SERVER = 16;
    /** memcached reads an expiry above 30 days as an absolute Unix time. */
    private static final long RELATIVE_EXPIRY_LIMIT = 30L * 24 * 3600;
    private static final int MAX_LINE = 1024;

    /**
     * @param hits   lookups answered
     * @param misses lookups the server had nothing for (a failed or skipped lookup is an error, not a miss)
     * @param stores values stored
     * @param errors operations that failed (timeouts, refused connections, bad replies), or were skipped while a
     *               server was held to be down
     */
    public record Stats(long hits, long misses, long stores, long errors) {
        public static final Stats NONE = new Stats(0, 0, 0, 0);
    }

    private final List<Server> servers;
    private final int expirySeconds;
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();
    private final AtomicLong stores = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();

    private Memcached(List<Server> servers, int expirySeconds) {
        this.servers = servers;
        this.expirySeconds = expirySeconds;
    }

    /** A client for {@code host[:port],…}, or null when the list is empty. */
    public static Memcached of(String serverList, int expirySeconds) {
        List<Server> servers = new ArrayList<>();
        for (String s : serverList.split(",")) {
            String t = s.trim();
            if (t.isEmpty()) continue;
            int colon = t.lastIndexOf(':');
            String host = t;
            int port = DEFAULT_PORT;
            // host:port or [v6]:port; a bare IPv6 address keeps the default port
            if (colon > 0 && (t.indexOf(':') == colon || t.charAt(colon - 1) == ']')) {
                host = t.substring(0, colon);
                try {
                    port = Integer.parseInt(t.substring(colon + 1));
                } catch (NumberFormatException e) {
                    LOG.warn("MEMCACHED_SERVERS: ignoring {} (bad port)", t);
                    continue;
                }
            }
            if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
            servers.add(new Server(host, port));
        }
        return servers.isEmpty() ? null : new Memcached(List.copyOf(servers), expirySeconds);
    }

    public List<String> servers() {
        return servers.stream().map(Server::toString).toList();
    }

    /** The value stored under {@code key}, or null when there is none or the server cannot be asked now. */
    public byte[] get(String key) {
        Server server = serverFor(key);
        if (!server.usable()) {
            errors.incrementAndGet();
            return null;
        }
        Connection c = null;
        try {
            c = server.connection();
            c.out.write(("get " + key + "\r\n").getBytes(StandardCharsets.US_ASCII));
            c.out.flush();
            String line = c.line();
            byte[] value = null;
            if (line.startsWith("VALUE ")) {
                String[] p = line.split(" ");
                if (p.length < 4 || !p[1].equals(key)) throw new IOException("unexpected reply " + line);
                int length = Integer.parseInt(p[3]);
                value = c.in.readNBytes(length);
                if (value.length != length || !c.line().isEmpty()) throw new EOFException("value cut short");
                line = c.line();
            }
            if (!line.equals("END")) throw new IOException("unexpected reply " + line);
            server.release(c);
            server.succeeded();
            (value == null ? misses : hits).incrementAndGet();
            return value;
        } catch (IOException | RuntimeException e) {
            errors.incrementAndGet();
            server.failed(c, e);
            return null;
        }
    }

    /** Stores {@code value} under {@code key} for MEMCACHED_TIMEOUT seconds; quietly does nothing if it cannot. */
    public void set(String key, byte[] value) {
        Server server = serverFor(key);
        if (!server.usable()) {
            errors.incrementAndGet();
            return;
        }
        Connection c = null;
        try {
            c = server.connection();
            long expiry = expirySeconds > RELATIVE_EXPIRY_LIMIT
                    ? System.currentTimeMillis() / 1000 + expirySeconds : expirySeconds;
            c.out.write(("set " + key + " 0 " + expiry + " " + value.length + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            c.out.write(value);
            c.out.write('\r');
            c.out.write('\n');
            c.out.flush();
            String line = c.line();
            server.succeeded();
            if (line.equals("STORED")) {
                stores.incrementAndGet();
                server.release(c);
            } else {
                // e.g. "SERVER_ERROR object too large for cache": the server is fine, this value does not fit
                LOG.debug("memcached {} did not store {} ({} bytes): {}", server, key, value.length, line);
                c.close();
            }
        } catch (IOException | RuntimeException e) {
            errors.incrementAndGet();
            server.failed(c, e);
        }
    }

    public Stats stats() {
        return new Stats(hits.get(), misses.get(), stores.get(), errors.get());
    }

    private Server serverFor(String key) {
        return servers.get(Math.floorMod(key.hashCode(), servers.size()));
    }

    @Override
    public void close() {
        for (Server s : servers) s.closeIdle();
    }

    /** One memcached server: its idle connections and whether it is believed to be down. */
    private static final class Server {
        final String host;
        final int port;
        final Deque<Connection> idle = new ConcurrentLinkedDeque<>();
        volatile long downUntil;
        volatile boolean down;

        Server(String host, int port) {
            this.host = host;
            this.port = port;
        }

        boolean usable() {
            return !down || System.currentTimeMillis() >= downUntil;
        }

        Connection connection() throws IOException {
            Connection c = idle.pollFirst();
            return c != null ? c : new Connection(host, port);
        }

        void release(Connection c) {
            idle.addFirst(c);
            while (idle.size() > IDLE_PER_SERVER) {
                Connection surplus = idle.pollLast();
                if (surplus == null) break;
                surplus.close();
            }
        }

        void succeeded() {
            if (down) {
                down = false;
                LOG.info("memcached {} answers again", this);
            }
        }

        /** Closes the connection the failure happened on and every idle one: after a failure none is trusted. */
        void failed(Connection c, Exception e) {
            if (c != null) c.close();
            closeIdle();
            downUntil = System.currentTimeMillis() + RETRY_MILLIS;
            if (!down) {
                down = true;
                LOG.warn("memcached {} failed ({}); serving without it, trying it again every {} s", this,
                        e.toString(), RETRY_MILLIS / 1000);
            } else {
                LOG.debug("memcached {} still failing: {}", this, e.toString());
            }
        }

        void closeIdle() {
            Connection c;
            while ((c = idle.pollFirst()) != null) c.close();
        }

        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /** One socket to a server, with bounded connect and read times. */
    private static final class Connection implements Closeable {
        final Socket socket;
        final InputStream in;
        final OutputStream out;

        Connection(String host, int port) throws IOException {
            socket = new Socket();
            try {
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress(host, port), CONNECT_MILLIS);
                socket.setSoTimeout(OPERATION_MILLIS);
                in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
                out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
            } catch (IOException | RuntimeException e) {
                socket.close();
                throw e;
            }
        }

        /** One reply line without its CRLF. */
        String line() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream(64);
            int prev = -1;
            while (true) {
                int ch = in.read();
                if (ch < 0) throw new EOFException("connection closed by memcached");
                if (prev == '\r' && ch == '\n') break;
                if (prev >= 0) b.write(prev);
                if (b.size() > MAX_LINE) throw new IOException("reply line too long");
                prev = ch;
            }
            return b.toString(StandardCharsets.US_ASCII);
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
