package org.vellum.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A tiny HTTP/1.1 client over a plain socket. It sends exactly the request line and headers it is given (plus
 * {@code Host} unless given, and {@code Connection: close}) and reports the response untouched, because
 * HttpURLConnection and java.net.http merge, reorder and hide headers, which is what differential tests compare.
 */
public final class RawHttp {

    private static final int TIMEOUT_MS = 15_000;

    private RawHttp() {
    }

    /** GET {@code target} (path and query, sent as is, e.g. {@code /fcgi-bin/iipsrv.fcgi?FIF=x.jp2&JTL=0,0}). */
    public static RawResponse get(String baseUrl, String target, String... headerLines) throws IOException {
        return send(baseUrl, "GET", target, headerLines);
    }

    public static RawResponse head(String baseUrl, String target, String... headerLines) throws IOException {
        return send(baseUrl, "HEAD", target, headerLines);
    }

    public static RawResponse options(String baseUrl, String target, String... headerLines) throws IOException {
        return send(baseUrl, "OPTIONS", target, headerLines);
    }

    /**
     * Sends {@code METHOD target HTTP/1.1} with the given header lines ({@code "Name: value"}) and reads the whole
     * response.
     *
     * @param baseUrl {@code http://host:port}; only host and port are used
     */
    public static RawResponse send(String baseUrl, String method, String target, String... headerLines)
            throws IOException {
        URI base = URI.create(baseUrl);
        String host = base.getHost();
        int port = base.getPort() < 0 ? 80 : base.getPort();
        StringBuilder request = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        boolean hasHost = false;
        for (String line : headerLines) {
            hasHost |= line.regionMatches(true, 0, "Host:", 0, 5);
            request.append(line).append("\r\n");
        }
        if (!hasHost) {
            request.append("Host: ").append(host).append(':').append(port).append("\r\n");
        }
        request.append("Connection: close\r\n\r\n");

        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return read(new BufferedInputStream(socket.getInputStream()), method.equalsIgnoreCase("HEAD"));
        }
    }

    /** Parses one response; visible for tests of the parser itself. */
    static RawResponse read(InputStream in, boolean headRequest) throws IOException {
        String statusLine = readLine(in);
        if (statusLine == null) {
            throw new EOFException("connection closed before a status line");
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP status line: " + ResponseDiff.escape(statusLine));
        }
        int status = Integer.parseInt(parts[1]);
        List<RawResponse.Header> headers = new ArrayList<>();
        for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                throw new IOException("malformed header line: " + ResponseDiff.escape(line));
            }
            // Only the optional whitespace after the colon is syntax; anything else in the value is kept.
            String value = line.substring(colon + 1).replaceFirst("^[ \t]+", "").replaceFirst("[ \t]+$", "");
            headers.add(new RawResponse.Header(line.substring(0, colon), value));
        }
        RawResponse partial = new RawResponse(statusLine, status, headers, new byte[0]);
        if (headRequest || status / 100 == 1 || status == 204 || status == 304) {
            return partial;
        }
        byte[] body;
        String transferEncoding = partial.header("Transfer-Encoding").orElse("").toLowerCase(Locale.ROOT);
        if (transferEncoding.contains("chunked")) {
            body = readChunked(in);
        } else if (partial.header("Content-Length").isPresent()) {
            body = readExactly(in, Integer.parseInt(partial.header("Content-Length").get().trim()));
        } else {
            body = in.readAllBytes();
        }
        return new RawResponse(statusLine, status, headers, body);
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in);
            if (sizeLine == null) {
                throw new EOFException("connection closed inside a chunked body");
            }
            int semicolon = sizeLine.indexOf(';');
            int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            if (size == 0) {
                for (String trailer = readLine(in); trailer != null && !trailer.isEmpty(); trailer = readLine(in)) {
                    // trailers are not used by the servers under test
                }
                return body.toByteArray();
            }
            body.write(readExactly(in, size));
            String end = readLine(in);
            if (end == null || !end.isEmpty()) {
                throw new IOException("chunk not followed by CRLF");
            }
        }
    }

    private static byte[] readExactly(InputStream in, int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
            throw new EOFException("expected " + n + " body bytes, got " + b.length);
        }
        return b;
    }

    /** A line without its CRLF (or bare LF); null at end of stream. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                byte[] b = line.toByteArray();
                int len = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
                return new String(b, 0, len, StandardCharsets.ISO_8859_1);
            }
            line.write(c);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }
}
