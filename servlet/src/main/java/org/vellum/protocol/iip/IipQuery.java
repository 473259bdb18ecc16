package org.vellum.protocol.iip;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The query string split the way iipsrv splits it: commands in order, names lowercased. */
public final class IipQuery {
    private IipQuery() {
    }

    /** One command and its raw (still URL-encoded) argument. */
    public record Command(String name, String argument) {
    }

    /**
     * Splits on {@code &}, each token at its first {@code =}; a token without {@code =} is its own argument
     * (so a bare {@code INV} works); pairs with an empty name or argument are dropped.
     */
    public static List<Command> parse(String query) {
        List<Command> out = new ArrayList<>();
        if (query == null) return out;
        for (String token : query.split("&")) {
            int eq = token.indexOf('=');
            String name = eq < 0 ? token : token.substring(0, eq);
            String arg = eq < 0 ? token : token.substring(eq + 1);
            if (name.isEmpty() || arg.isEmpty()) continue;
            out.add(new Command(name.toLowerCase(Locale.ROOT), arg));
        }
        return out;
    }

    /** iipsrv's URL::decode: %XX, '+' as space, and %00 dropped. Malformed escapes stay as they are. */
    public static String decode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+') {
                out.write(' ');
            } else if (c == '%' && i + 2 < s.length()
                    && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
                int b = hex(s.charAt(i + 1)) << 4 | hex(s.charAt(i + 2));
                if (b != 0) out.write(b);
                i += 2;
            } else {
                byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }

    /** C's atoi: optional sign, leading digits, anything after ignored; 0 when there are none; saturates. */
    public static int atoi(String s) {
        s = s.stripLeading();
        int i = 0;
        boolean negative = false;
        if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) negative = s.charAt(i++) == '-';
        long v = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) {
            v = Math.min(v * 10 + (s.charAt(i++) - '0'), (long) Integer.MAX_VALUE + 1);
        }
        v = negative ? -v : v;
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
    }

    /** C's atof: the longest leading number, 0 when there is none. NaN and infinities read as 0. */
    public static double atof(String s) {
        s = s.strip();
        int end = 0;
        int best = 0;
        while (end < s.length()) {
            end++;
            String head = s.substring(0, end);
            if (head.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) best = end;
            if (end > 64) break;
        }
        if (best == 0) return 0;
        double v = Double.parseDouble(s.substring(0, best));
        return Double.isFinite(v) ? v : 0;
    }
}
