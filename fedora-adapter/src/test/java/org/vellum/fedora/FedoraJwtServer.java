package org.vellum.fedora;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Fedora's REST API behind Islandora's JWT valve (Syn), on a loopback port, for forwarded requests: without anonymous
 * GETs, a request needs {@code Authorization: Bearer <JWT>} whose token has Syn's claims (uid, url, name, roles, exp,
 * iat), an RS256 signature by Drupal's key (checked here with the public key, by nimbus-jose-jwt) and has not expired;
 * else 401. Behind the valve, Fedora decides per resource: role fedoraAdmin reads everything, otherwise the resource's
 * readers (by user name, or everyone), else 403; an unknown resource is 404. Requests are counted per path.
 */
final class FedoraJwtServer implements AutoCloseable {
    static final String SITE = "https://islandora.example.org";

    private final HttpServer server;
    private final KeyPair drupalKey;
    private final Map<String, Set<String>> readers = new ConcurrentHashMap<>();
    private final Map<String, byte[]> contents = new ConcurrentHashMap<>();
    /** "GET path Range" or "HEAD path", in order */
    final List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
    final java.util.concurrent.atomic.AtomicLong bytesSent = new java.util.concurrent.atomic.AtomicLong();
    final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    final List<String> authorizations = new java.util.concurrent.CopyOnWriteArrayList<>();
    volatile boolean anonymousGet;

    FedoraJwtServer() throws IOException {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            drupalKey = g.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/fcrepo/rest/", this::handle);
        server.start();
    }

    String restUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/fcrepo/rest";
    }

    /** The resource (path below the REST root) exists, readable by these users ("*": everyone). */
    void resource(String path, String... users) {
        readers.put(path, Set.of(users));
    }

    /** The binary's bytes, which GET answers (with ranges) and HEAD describes; replacing them is a new version. */
    void content(String path, byte[] bytes) {
        contents.put(path, bytes);
    }

    /** Fedora's strong ETag of a binary: its digest, quoted. */
    static String etag(byte[] bytes) {
        try {
            return "\"" + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1")
                    .digest(bytes)) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token as Drupal's jwt module issues it for Islandora, signed with Drupal's key. */
    String token(String name, List<String> roles, long secondsValid) {
        return sign(name, roles, secondsValid, (RSAPrivateKey) drupalKey.getPrivate());
    }

    /** A token with Syn's claims signed by some other key. */
    static String forged(String name, List<String> roles) throws NoSuchAlgorithmException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return sign(name, roles, 600, (RSAPrivateKey) g.generateKeyPair().getPrivate());
    }

    private static String sign(String name, List<String> roles, long secondsValid, RSAPrivateKey key) {
        Instant now = Instant.now();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), new JWTClaimsSet.Builder()
                .claim("uid", 7).claim("url", SITE).claim("name", name).claim("roles", roles)
                .issueTime(Date.from(now.minusSeconds(5))).expirationTime(Date.from(now.plusSeconds(secondsValid)))
                .build());
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String path = URLDecoder.decode(x.getRequestURI().getRawPath().substring("/fcrepo/rest/".length())
                    .replace("+", "%2B"), StandardCharsets.UTF_8);
            requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            String authorization = x.getRequestHeaders().getFirst("Authorization");
            authorizations.add(String.valueOf(authorization));
            boolean read = x.getRequestMethod().equals("GET") || x.getRequestMethod().equals("HEAD");
            String user;
            List<String> roles;
            if (read && anonymousGet) {
                user = "anonymous";
                roles = List.of("anonymous");
            } else {
                JWTClaimsSet claims = verified(authorization);
                if (claims == null) {
                    x.sendResponseHeaders(401, -1);
                    return;
                }
                user = (String) claims.getClaim("name");
                roles = claims.getStringListClaim("roles");
            }
            Set<String> allowed = readers.get(path);
            int status = allowed == null ? 404 : !read ? 405
                    : roles.contains("fedoraAdmin") || allowed.contains("*") || allowed.contains(user) ? 200 : 403;
            String range = x.getRequestHeaders().getFirst("Range");
            log.add(x.getRequestMethod() + " " + path + (range == null ? "" : " " + range));
            byte[] bytes = contents.get(path);
            if (status != 200 || bytes == null) {
                x.sendResponseHeaders(status, -1);
                return;
            }
            // Fedora's binary: ETag, length, byte ranges (RFC 9110: If-Range with another ETag gets the whole body)
            String etag = etag(bytes);
            x.getResponseHeaders().set("ETag", etag);
            x.getResponseHeaders().set("Accept-Ranges", "bytes");
            x.getResponseHeaders().set("Content-Type", "image/jp2");
            if (x.getRequestMethod().equals("HEAD")) {
                x.getResponseHeaders().set("Content-Length", String.valueOf(bytes.length));
                x.sendResponseHeaders(200, -1);
                return;
            }
            String ifRange = x.getRequestHeaders().getFirst("If-Range");
            java.util.regex.Matcher m = range == null ? null
                    : java.util.regex.Pattern.compile("bytes=(\\d+)-(\\d*)").matcher(range);
            if (m != null && m.matches() && (ifRange == null || ifRange.equals(etag))) {
                long first = Long.parseLong(m.group(1));
                long last = m.group(2).isEmpty() ? bytes.length - 1 : Math.min(Long.parseLong(m.group(2)),
                        bytes.length - 1);
                if (first >= bytes.length) {
                    x.getResponseHeaders().set("Content-Range", "bytes */" + bytes.length);
                    x.sendResponseHeaders(416, -1);
                    return;
                }
                x.getResponseHeaders().set("Content-Range", "bytes " + first + "-" + last + "/" + bytes.length);
                x.sendResponseHeaders(206, last - first + 1);
                x.getResponseBody().write(bytes, (int) first, (int) (last - first + 1));
                bytesSent.addAndGet(last - first + 1);
            } else {
                x.sendResponseHeaders(200, bytes.length);
                x.getResponseBody().write(bytes);
                bytesSent.addAndGet(bytes.length);
            }
        } catch (ParseException e) {
            x.sendResponseHeaders(401, -1);
        }
    }

    /** Syn's check: a bearer token with its claims, Drupal's signature, not expired, not issued in the future. */
    private JWTClaimsSet verified(String authorization) throws ParseException {
        if (authorization == null) return null;
        String[] parts = authorization.split(" ");
        if (parts.length != 2 || !parts[0].equalsIgnoreCase("bearer")) return null;
        SignedJWT jwt = SignedJWT.parse(parts[1]);
        JWTClaimsSet c = jwt.getJWTClaimsSet();
        for (String claim : List.of("uid", "url", "name", "roles")) {
            if (c.getClaim(claim) == null) return null;
        }
        if (c.getExpirationTime() == null || c.getIssueTime() == null) return null;
        try {
            if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())
                    || !jwt.verify(new RSASSAVerifier((RSAPublicKey) drupalKey.getPublic()))) {
                return null;
            }
        } catch (JOSEException e) {
            return null;
        }
        Date now = new Date();
        if (!c.getExpirationTime().after(now) || c.getIssueTime().after(now)) return null;
        return c;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
