package org.vellum.dspace;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in for DSpace's {@code GET /server/api/core/bitstreams/{uuid}/content} on loopback that holds to DSpace's
 * rules rather than to what a test decides: the token is read where JWTTokenRestAuthenticationServiceImpl reads it
 * (Authorization header, else the Authorization-cookie cookie, else the authentication-token parameter, checked with
 * the short-lived secret), and it is a login only if JWTTokenHandler would accept it: a JWS signed HS256 (with
 * nimbus-jose-jwt, DSpace's library) by secret + the e-person's session salt + the request's origin (Origin, else
 * Referer, else X-DSpace-UI, as scheme://host[:port]), not expired (60 s of skew). Anything else is anonymous. A
 * restricted bitstream answers 401 to anonymous and 403 to a login that may not read it, as DSpace does; the answer
 * is 206 for a Range (whole or part), 200 without one, which is what DSpace counts as a download.
 */
final class FakeDspaceRest implements AutoCloseable {
    static final String SECRET = "login-secret-of-this-dspace";
    static final String SHORT_LIVED_SECRET = "short-lived-secret-of-this-dspace";
    static final String UI = "https://ui.example.org";

    /** @param readers null: public; else the e-persons who may read it */
    record Content(byte[] bytes, String checksum, Set<UUID> readers) {
    }

    private final HttpServer server;
    final Map<UUID, Content> contents = new ConcurrentHashMap<>();
    /** e-person to session salt: logged in (DSpace empties the salt at logout) */
    final Map<UUID, String> sessions = new ConcurrentHashMap<>();
    /** "GET uuid full|range" per request; full is what DSpace counts as a download */
    final List<String> requests = new CopyOnWriteArrayList<>();
    /** "uuid how-the-token-came cookie-header" per request, e.g. "… bearer null" */
    final List<String> credentials = new CopyOnWriteArrayList<>();

    FakeDspaceRest() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/server/api/core/bitstreams/", this::handle);
        server.start();
    }

    String serverUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/server";
    }

    /** A login token as DSpace issues it for the origin (null: none), valid for {@code seconds} (negative: expired). */
    String login(UUID eperson, String origin, long seconds) {
        return sign(SECRET + sessions.get(eperson) + (origin == null ? "" : origin), eperson, seconds);
    }

    /** A short-lived token (for ?authentication-token=) as DSpace issues it. */
    String shortLived(UUID eperson, String origin, long seconds) {
        return sign(SHORT_LIVED_SECRET + sessions.get(eperson) + (origin == null ? "" : origin), eperson, seconds);
    }

    static String sign(String key, UUID eperson, long seconds) {
        return sign(key, eperson, seconds, List.of());
    }

    /** A token as DSpace's JWTTokenHandler makes it: HS256, eid, sg (the login's special groups), exp. */
    static String sign(String key, UUID eperson, long seconds, List<UUID> specialGroups) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                    .claim("eid", eperson.toString())
                    .claim("sg", specialGroups.stream().map(UUID::toString).toList())
                    .expirationTime(new Date(System.currentTimeMillis() + seconds * 1000)).build());
            jwt.sign(new MACSigner(key.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String[] parts = x.getRequestURI().getPath().split("/");
            // /server/api/core/bitstreams/{uuid}/content
            if (parts.length != 7 || !"content".equals(parts[6])) {
                x.sendResponseHeaders(404, -1);
                return;
            }
            String range = x.getRequestHeaders().getFirst("Range");
            requests.add(x.getRequestMethod() + " " + parts[5] + " " + (range == null ? "full" : "range"));
            Content c;
            try {
                c = contents.get(UUID.fromString(parts[5]));
            } catch (IllegalArgumentException e) {
                c = null;
            }
            if (c == null) {
                x.sendResponseHeaders(404, -1);
                return;
            }
            UUID user = authenticated(x, parts[5]);
            if (c.readers() != null && (user == null || !c.readers().contains(user))) {
                x.sendResponseHeaders(user == null ? 401 : 403, -1);
                return;
            }
            x.getResponseHeaders().add("Content-Type", "image/jp2");
            x.getResponseHeaders().add("ETag", "\"" + c.checksum() + "\"");
            x.getResponseHeaders().add("Accept-Ranges", "bytes");
            byte[] b = c.bytes();
            Matcher m = range == null ? null : Pattern.compile("bytes=([0-9]+)-([0-9]*)").matcher(range);
            if (m != null && m.matches()) {
                int from = Integer.parseInt(m.group(1));
                int to = m.group(2).isEmpty() ? b.length - 1 : Math.min(b.length - 1, Integer.parseInt(m.group(2)));
                x.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + to + "/" + b.length);
                x.sendResponseHeaders(206, to - from + 1);
                x.getResponseBody().write(b, from, to - from + 1);
                return;
            }
            x.sendResponseHeaders(200, b.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(b);
            }
        }
    }

    /** The e-person of the request's token if DSpace would accept it, else null (anonymous). */
    private UUID authenticated(HttpExchange x, String uuid) {
        String auth = x.getRequestHeaders().getFirst("Authorization");
        String cookies = x.getRequestHeaders().getFirst("Cookie");
        String token = null;
        String how = "none";
        boolean shortLived = false;
        if (auth != null && !auth.isBlank()) {
            token = auth.replace("Bearer", "").trim();
            how = "bearer";
        } else if (cookies != null) {
            for (String p : cookies.split(";")) {
                String[] kv = p.trim().split("=", 2);
                if (kv.length == 2 && kv[0].equals("Authorization-cookie") && !kv[1].isEmpty()) {
                    token = kv[1];
                    how = "cookie";
                }
            }
        }
        if (token == null && x.getRequestURI().getRawQuery() != null) {
            for (String p : x.getRequestURI().getRawQuery().split("&")) {
                String[] kv = p.split("=", 2);
                if (kv.length == 2 && kv[0].equals("authentication-token")) {
                    token = URLDecoder.decode(kv[1], StandardCharsets.UTF_8);
                    how = "parameter";
                    shortLived = true;
                }
            }
        }
        credentials.add(uuid + " " + how + " " + cookies);
        if (token == null) return null;
        try {
            SignedJWT jwt = SignedJWT.parse(token);         // an unsigned token is no SignedJWT
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) return null;
            UUID eperson = UUID.fromString(jwt.getJWTClaimsSet().getStringClaim("eid"));
            String salt = sessions.get(eperson);
            if (salt == null || salt.isBlank()) return null;
            String origin = null;
            for (String h : new String[] {"Origin", "Referer", "X-DSpace-UI"}) {
                String v = x.getRequestHeaders().getFirst(h);
                if (v != null && !v.isEmpty()) {
                    origin = baseUrl(v);
                    break;
                }
            }
            String key = (shortLived ? SHORT_LIVED_SECRET : SECRET) + salt + (origin == null ? "" : origin);
            if (!jwt.verify(new MACVerifier(key.getBytes(StandardCharsets.UTF_8)))) return null;
            Date exp = jwt.getJWTClaimsSet().getExpirationTime();
            if (exp == null || exp.getTime() + 60_000 <= System.currentTimeMillis()) return null;
            return eperson;
        } catch (Exception e) {
            return null;
        }
    }

    /** DSpace's Utils.getBaseUrl: protocol://host[:port] of the URL. */
    private static String baseUrl(String url) {
        try {
            java.net.URL u = new java.net.URL(url);
            return u.getProtocol() + "://" + u.getHost() + (u.getPort() == -1 ? "" : ":" + u.getPort());
        } catch (java.net.MalformedURLException e) {
            return null;
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
