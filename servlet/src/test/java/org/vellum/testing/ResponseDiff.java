package org.vellum.testing;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.imageio.ImageIO;

/**
 * Says precisely how two responses differ, for differential tests against {@link ReferenceIipsrv}.
 *
 * <pre>{@code
 * ResponseDiff.assertSameResponse(reference, vellum);                                   // status, body, DEFAULT_HEADERS
 * ResponseDiff.assertSameResponse(reference, vellum, List.of("Content-Type", "Content-Length"));
 * assertTrue(ResponseDiff.meanAbsoluteError(reference.body(), vellum.body()) < 2.0);    // re-encoded JPEGs
 * }</pre>
 */
public final class ResponseDiff {

    /**
     * Headers compared by value by default. Date, Server, Connection, Keep-Alive, Transfer-Encoding and
     * Content-Length legitimately differ (nginx in front of iipsrv decides framing), so they are left out.
     */
    public static final List<String> DEFAULT_HEADERS = List.of(
            "Content-Type", "Cache-Control", "Last-Modified", "Content-Disposition", "Location", "X-Powered-By",
            "Access-Control-Allow-Origin", "Access-Control-Allow-Headers", "Access-Control-Allow-Methods",
            "Access-Control-Max-Age");

    /** Headers whose presence says nothing about protocol compatibility. */
    public static final Set<String> FRAMING_HEADERS = Set.of(
            "date", "server", "connection", "keep-alive", "transfer-encoding", "content-length");

    private static final int CONTEXT = 24;

    private ResponseDiff() {
    }

    /** Every difference in status, body and the {@link #DEFAULT_HEADERS}; empty if none. */
    public static List<String> differences(RawResponse expected, RawResponse actual) {
        return differences(expected, actual, DEFAULT_HEADERS);
    }

    /** Every difference in status, body and the named headers; empty if none. */
    public static List<String> differences(RawResponse expected, RawResponse actual, Collection<String> headers) {
        List<String> out = new ArrayList<>();
        status(expected, actual).ifPresent(out::add);
        for (String h : headers) {
            header(h, expected, actual).ifPresent(out::add);
        }
        body(expected.body(), actual.body()).ifPresent(out::add);
        return out;
    }

    /** Throws an AssertionError listing every difference, then both responses. */
    public static void assertSameResponse(RawResponse expected, RawResponse actual) {
        assertSameResponse(expected, actual, DEFAULT_HEADERS);
    }

    public static void assertSameResponse(RawResponse expected, RawResponse actual, Collection<String> headers) {
        List<String> diffs = differences(expected, actual, headers);
        if (!diffs.isEmpty()) {
            throw new AssertionError(String.join("\n", diffs)
                    + "\n=== expected\n" + expected + "\n=== actual\n" + actual);
        }
    }

    public static Optional<String> status(RawResponse expected, RawResponse actual) {
        return expected.status() == actual.status() ? Optional.empty()
                : Optional.of("status: expected " + expected.status() + " but was " + actual.status());
    }

    /** Compares every value of the header, in order; a header missing on one side is a difference. */
    public static Optional<String> header(String name, RawResponse expected, RawResponse actual) {
        List<String> e = expected.headerValues(name);
        List<String> a = actual.headerValues(name);
        if (e.equals(a)) {
            return Optional.empty();
        }
        return Optional.of("header " + name + ": expected " + describe(e) + " but was " + describe(a));
    }

    /**
     * Header names (ignoring {@link #FRAMING_HEADERS}) present on one side only, e.g. an ETag that iipsrv never
     * sends or a CORS header that 1.1 leaves off tiles.
     */
    public static List<String> presence(RawResponse expected, RawResponse actual) {
        Set<String> e = names(expected);
        Set<String> a = names(actual);
        List<String> out = new ArrayList<>();
        e.stream().filter(n -> !a.contains(n)).forEach(n -> out.add("header " + n + " missing"));
        a.stream().filter(n -> !e.contains(n)).forEach(n -> out.add("header " + n + " unexpected"));
        return out;
    }

    /** The first differing offset with escaped context from both sides, or the length difference. */
    public static Optional<String> body(byte[] expected, byte[] actual) {
        int n = Math.min(expected.length, actual.length);
        int i = 0;
        while (i < n && expected[i] == actual[i]) {
            i++;
        }
        if (i == n && expected.length == actual.length) {
            return Optional.empty();
        }
        int from = Math.max(0, i - CONTEXT);
        return Optional.of("body differs at offset " + i + " (lengths " + expected.length + " expected, "
                + actual.length + " actual)\n  expected: …" + escape(expected, from, Math.min(expected.length, i + CONTEXT))
                + "…\n  actual:   …" + escape(actual, from, Math.min(actual.length, i + CONTEXT)) + "…");
    }

    /**
     * Decodes two JPEGs (or any ImageIO format) and returns the mean absolute difference per sample, on a 0–255
     * scale. Fails if width, height or band count differ, naming both.
     */
    public static double meanAbsoluteError(byte[] jpegA, byte[] jpegB) {
        Raster a = decode(jpegA, "first").getRaster();
        Raster b = decode(jpegB, "second").getRaster();
        if (a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight() || a.getNumBands() != b.getNumBands()) {
            throw new AssertionError("image sizes differ: " + a.getWidth() + "x" + a.getHeight() + "x"
                    + a.getNumBands() + " vs " + b.getWidth() + "x" + b.getHeight() + "x" + b.getNumBands());
        }
        int w = a.getWidth();
        int bands = a.getNumBands();
        int[] rowA = new int[w * bands];
        int[] rowB = new int[w * bands];
        long sum = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            a.getPixels(a.getMinX(), a.getMinY() + y, w, 1, rowA);
            b.getPixels(b.getMinX(), b.getMinY() + y, w, 1, rowB);
            for (int i = 0; i < rowA.length; i++) {
                sum += Math.abs(rowA[i] - rowB[i]);
            }
        }
        return (double) sum / ((long) w * a.getHeight() * bands);
    }

    /** Decodes an image, failing with a readable message (and the first bytes) if ImageIO cannot. */
    public static BufferedImage decode(byte[] image, String what) {
        try {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(image));
            if (img == null) {
                throw new AssertionError(what + " image is not decodable (" + image.length + " bytes): "
                        + escape(image, 0, Math.min(image.length, 40)));
            }
            return img;
        } catch (IOException e) {
            throw new UncheckedIOException(what + " image failed to decode", e);
        }
    }

    /** Bytes as text with CR, LF, tab, backslash and non-printable bytes escaped ({@code \r \n \t \\ \xNN}). */
    public static String escape(byte[] bytes, int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            int c = bytes[i] & 0xff;
            switch (c) {
                case '\r' -> sb.append("\\r");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c >= 0x20 && c < 0x7f) {
                        sb.append((char) c);
                    } else {
                        sb.append(String.format(Locale.ROOT, "\\x%02X", c));
                    }
                }
            }
        }
        return sb.toString();
    }

    public static String escape(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return escape(b, 0, b.length);
    }

    private static Set<String> names(RawResponse r) {
        Set<String> out = new LinkedHashSet<>();
        for (String n : r.headerNames()) {
            String lower = n.toLowerCase(Locale.ROOT);
            if (!FRAMING_HEADERS.contains(lower)) {
                out.add(lower);
            }
        }
        return out;
    }

    private static String describe(List<String> values) {
        if (values.isEmpty()) {
            return "(absent)";
        }
        List<String> quoted = values.stream().map(v -> "\"" + escape(v) + "\"").toList();
        return quoted.size() == 1 ? quoted.get(0) : quoted.toString();
    }
}
