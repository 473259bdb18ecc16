package org.vellum.dspace;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A DSpace JWT checked as DSpace's JWTTokenHandler checks it: JWS compact form, HS256, signed with the key
 * {@code secret + the e-person's session salt + the origin} (the origin only with jwt.login.token.include.origin),
 * the e-person in the {@code eid} claim, an expiry ({@code exp}) not more than 60 seconds past (DSpace's clock
 * skew), the special groups of the login in {@code sg}. Encrypted tokens (jwt.login.encryption.enabled) are not
 * read: with those, use DSPACE_AUTH=forward.
 */
final class DspaceToken {
    static final long CLOCK_SKEW_SECONDS = 60;

    /** The claims of a token whose signature is not yet checked. */
    record Claims(UUID eperson, List<UUID> specialGroups, Instant expires, String signingInput, byte[] signature) {
    }

    private DspaceToken() {
    }

    /** The claims of a JWS with HS256, or null when the token is not one (unsigned, another algorithm, encrypted). */
    static Claims parse(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || parts[2].isEmpty()) return null;
        try {
            Map<String, Object> header = Json.object(decode(parts[0]));
            if (!"HS256".equals(header.get("alg"))) return null;
            Map<String, Object> claims = Json.object(decode(parts[1]));
            if (!(claims.get("eid") instanceof String eid) || !(claims.get("exp") instanceof Number exp)) return null;
            List<UUID> groups = new ArrayList<>();
            if (claims.get("sg") instanceof List<?> sg) {
                for (Object g : sg) groups.add(UUID.fromString(String.valueOf(g)));
            }
            return new Claims(UUID.fromString(eid), List.copyOf(groups), Instant.ofEpochSecond(exp.longValue()),
                    parts[0] + "." + parts[1], Base64.getUrlDecoder().decode(parts[2]));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The signature is DSpace's for this key and the token has not expired. */
    static boolean valid(Claims claims, String key, Instant now) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] expected = mac.doFinal(claims.signingInput().getBytes(StandardCharsets.US_ASCII));
            if (!MessageDigest.isEqual(expected, claims.signature())) return false;
        } catch (GeneralSecurityException e) {
            return false;
        }
        return claims.expires().plusSeconds(CLOCK_SKEW_SECONDS).isAfter(now);
    }

    /** DSpace's signing key: its secret, the e-person's session salt, the origin when tokens include it. */
    static String signingKey(String secret, String sessionSalt, String origin) {
        return secret + sessionSalt + (origin == null ? "" : origin);
    }

    private static String decode(String part) {
        return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
    }

    /** Just enough JSON for a JWT's header and claims: objects, arrays, strings, numbers, booleans, null. */
    static final class Json {
        private final String s;
        private int i;

        private Json(String s) {
            this.s = s;
        }

        @SuppressWarnings("unchecked")
        static Map<String, Object> object(String text) {
            Json j = new Json(text);
            Object v = j.value();
            j.space();
            if (j.i != text.length() || !(v instanceof Map)) throw new IllegalArgumentException("not a JSON object");
            return (Map<String, Object>) v;
        }

        private Object value() {
            space();
            if (i >= s.length()) throw new IllegalArgumentException("JSON ends early");
            char c = s.charAt(i);
            if (c == '{') {
                i++;
                Map<String, Object> m = new LinkedHashMap<>();
                space();
                if (peek('}')) return m;
                do {
                    space();
                    String k = string();
                    space();
                    expect(':');
                    m.put(k, value());
                    space();
                } while (accept(','));
                expect('}');
                return m;
            }
            if (c == '[') {
                i++;
                List<Object> l = new ArrayList<>();
                space();
                if (peek(']')) return l;
                do {
                    l.add(value());
                    space();
                } while (accept(','));
                expect(']');
                return l;
            }
            if (c == '"') return string();
            if (s.startsWith("true", i)) {
                i += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("false", i)) {
                i += 5;
                return Boolean.FALSE;
            }
            if (s.startsWith("null", i)) {
                i += 4;
                return null;
            }
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
            if (start == i) throw new IllegalArgumentException("unexpected " + c);
            String n = s.substring(start, i);
            return n.matches("-?[0-9]+") ? (Object) Long.parseLong(n) : (Object) Double.parseDouble(n);
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                if (i >= s.length()) throw new IllegalArgumentException("unterminated string");
                char c = s.charAt(i++);
                if (c == '"') return b.toString();
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                char e = s.charAt(i++);
                switch (e) {
                    case 'n' -> b.append('\n');
                    case 't' -> b.append('\t');
                    case 'r' -> b.append('\r');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'u' -> {
                        b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> b.append(e);
                }
            }
        }

        private void space() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        }

        private boolean peek(char c) {
            if (i < s.length() && s.charAt(i) == c) {
                i++;
                return true;
            }
            return false;
        }

        private boolean accept(char c) {
            return peek(c);
        }

        private void expect(char c) {
            if (!peek(c)) throw new IllegalArgumentException("expected " + c + " at " + i);
        }
    }
}
