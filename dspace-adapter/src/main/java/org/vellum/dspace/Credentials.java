package org.vellum.dspace;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.vellum.api.Caller;

/** The caller's credentials for DSpace: its Authorization header (DSpace's JWT) and cookies, forwarded unchanged. */
record Credentials(String authorization, String cookie) {
    static final Credentials NONE = new Credentials(null, null);

    static Credentials of(Caller ctx) {
        if (ctx == null) return NONE;
        return new Credentials(blankToNull(ctx.header("Authorization")), blankToNull(ctx.header("Cookie")));
    }

    boolean present() {
        return authorization != null || cookie != null;
    }

    void applyTo(HttpRequest.Builder b) {
        if (authorization != null) b.header("Authorization", authorization);
        if (cookie != null) b.header("Cookie", cookie);
    }

    /** A cache key that does not keep the secret itself in memory longer than the request. */
    String digest() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(String.valueOf(authorization).getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            md.update(String.valueOf(cookie).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return present() ? "Credentials[given]" : "Credentials[none]";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
