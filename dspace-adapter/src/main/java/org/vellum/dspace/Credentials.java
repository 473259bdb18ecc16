package org.vellum.dspace;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.vellum.api.Caller;

/**
 * The caller's DSpace token, found where DSpace's JWTTokenRestAuthenticationServiceImpl looks for it: the
 * {@code Authorization} header ({@code Bearer <JWT>}), else the {@code Authorization-cookie} cookie (both a login
 * token), else the {@code authentication-token} query parameter (a short-lived token, as dspace-angular puts on
 * download links). Only the token is kept, never the caller's other cookies, and the origin the token is signed for
 * (DSpace's jwt.login.token.include.origin): the Origin header, else Referer, else X-DSpace-UI, reduced to
 * scheme://host[:port] as DSpace's Utils.getBaseUrl does.
 *
 * @param token      the JWT, or null
 * @param shortLived it came as the authentication-token parameter
 * @param origin     the base URL of Origin, Referer or X-DSpace-UI, or null
 * @param originHeaderName which of those headers it came from, or null
 * @param originHeader     that header as the caller sent it (passed on when DSpace is asked on its behalf)
 */
record Credentials(String token, boolean shortLived, String origin, String originHeaderName, String originHeader) {
    static final Credentials NONE = new Credentials(null, false, null, null, null);
    static final String COOKIE = "Authorization-cookie";
    static final String PARAMETER = "authentication-token";

    static Credentials of(Caller ctx) {
        if (ctx == null) return NONE;
        String token = null;
        boolean shortLived = false;
        String auth = ctx.header("Authorization");
        if (auth != null && !auth.isBlank()) {
            token = auth.replace("Bearer", "").trim();   // DSpace strips the word wherever it stands
        } else {
            token = cookie(ctx.header("Cookie"));
            if (token == null) {
                token = parameter(ctx.requestUri());
                shortLived = token != null;
            }
        }
        if (token == null || token.isBlank()) return NONE;
        String name = null;
        String value = null;
        for (String h : new String[] {"Origin", "Referer", "X-DSpace-UI"}) {
            String v = ctx.header(h);
            if (v != null && !v.isEmpty()) {
                name = h;
                value = v;
                break;
            }
        }
        return new Credentials(token, shortLived, baseUrl(value), name, value);
    }

    private static String cookie(String header) {
        if (header == null) return null;
        String found = null;
        for (String part : header.split(";")) {
            int eq = part.indexOf('=');
            if (eq < 0) continue;
            if (part.substring(0, eq).trim().equals(COOKIE)) {
                String v = part.substring(eq + 1).trim();
                if (!v.isEmpty()) found = v;            // the last non-empty one, as DSpace's loop keeps
            }
        }
        return found;
    }

    private static String parameter(String requestUri) {
        if (requestUri == null) return null;
        int q = requestUri.indexOf('?');
        if (q < 0) return null;
        for (String pair : requestUri.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (name.equals(PARAMETER) && eq >= 0) {
                String v = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                if (!v.isBlank()) return v;
            }
        }
        return null;
    }

    /** scheme://host[:port] of a URL, null when it is not one (DSpace's Utils.getBaseUrl). */
    static String baseUrl(String url) {
        if (url == null || url.isBlank()) return null;
        try {
            URI u = new URI(url.trim());
            if (u.getScheme() == null || u.getHost() == null) return null;
            return u.getScheme() + "://" + u.getHost() + (u.getPort() == -1 ? "" : ":" + u.getPort());
        } catch (Exception e) {
            return null;
        }
    }

    boolean present() {
        return token != null;
    }

    /**
     * Adds the token to a request to DSpace as DSpace reads it, and the header the caller's origin came from (DSpace
     * checks the token's signature against it); never the caller's cookies.
     */
    URI applyTo(HttpRequest.Builder b, URI uri) {
        if (token == null) return uri;
        if (originHeaderName != null) b.header(originHeaderName, originHeader);
        if (!shortLived) {
            b.header("Authorization", "Bearer " + token);
            return uri;
        }
        String sep = uri.getRawQuery() == null ? "?" : "&";
        return URI.create(uri + sep + PARAMETER + "=" + java.net.URLEncoder.encode(token, StandardCharsets.UTF_8));
    }

    /** A cache key that does not keep the secret itself in memory longer than the request. */
    String digest() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(String.valueOf(token).getBytes(StandardCharsets.UTF_8));
            md.update((byte) (shortLived ? 1 : 0));
            md.update(String.valueOf(origin).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return present() ? "Credentials[" + (shortLived ? "short-lived" : "login") + " token]" : "Credentials[none]";
    }
}
