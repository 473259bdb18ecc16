package org.vellum.fedora;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import org.vellum.api.ResolverException;

/**
 * The identifiers a Fedora front end sends, turned into Fedora's internal id ({@code info:fedora/a/b/page1.jp2}):
 * <ul>
 * <li>a resource URI, {@code http://host/fcrepo/rest/a/b/page1.jp2} (Islandora hands whole URLs to its image server):
 * the REST root stripped (FEDORA_REST_URL, else everything up to the first {@code /rest/}), the rest URL-decoded, as
 * Fedora's {@code HttpIdentifierConverter} does;</li>
 * <li>an internal id, {@code info:fedora/a/b/page1.jp2}, taken as it is;</li>
 * <li>a URL or path a configured prefix maps below the REST root, as Islandora's Drupal file URLs
 * {@code /_flysystem/fedora/2024-01/x.jp2} (the rest URL-decoded);</li>
 * <li>a path below the REST root, {@code a/b/page1.jp2}, taken as it is (IIIF has already decoded it).</li>
 * </ul>
 * Fedora's own sub-resources ({@code fcr:metadata}, {@code fcr:acl}, versions) are no images; empty, {@code .} and
 * {@code ..} segments are refused, so an id never names something other than what its path says.
 */
final class FedoraIdentifier {
    private FedoraIdentifier() {
    }

    static String parse(String identifier, String restUrl, List<FedoraSettings.Prefix> prefixes)
            throws ResolverException {
        if (identifier == null || identifier.isEmpty() || identifier.length() > 4096) throw malformed(identifier);
        for (int i = 0; i < identifier.length(); i++) {
            if (Character.isISOControl(identifier.charAt(i))) throw malformed(identifier);
        }
        String path = null;
        if (identifier.startsWith(FedoraResource.ROOT + "/")) {
            path = identifier.substring(FedoraResource.ROOT.length() + 1);
        } else if (identifier.equals(FedoraResource.ROOT)) {
            path = "";
        }
        String urlPath = urlPath(identifier);
        for (int i = 0; path == null && i < prefixes.size(); i++) {
            FedoraSettings.Prefix p = prefixes.get(i);
            if (identifier.startsWith(p.prefix())) {
                path = p.path() + decode(identifier.substring(p.prefix().length()), identifier);
            } else if (urlPath != null && p.prefix().startsWith("/") && urlPath.startsWith(p.prefix())) {
                path = p.path() + decode(urlPath.substring(p.prefix().length()), identifier);
            }
        }
        if (path == null && !restUrl.isEmpty() && identifier.startsWith(restUrl + "/")) {
            path = decode(withoutQuery(identifier.substring(restUrl.length() + 1)), identifier);
        }
        if (path == null && urlPath != null) {
            int rest = urlPath.indexOf("/rest/");
            if (rest < 0) {
                throw new ResolverException(400, "Not a Fedora resource URI (no /rest/ in its path, and no "
                        + "FEDORA_PREFIXES entry matches): " + shown(identifier));
            }
            path = decode(urlPath.substring(rest + "/rest/".length()), identifier);
        }
        if (path == null) path = identifier;
        while (path.startsWith("/")) path = path.substring(1);
        while (path.endsWith("/")) path = path.substring(0, path.length() - 1);   // Fedora drops a trailing slash
        if (path.isEmpty()) return FedoraResource.ROOT;
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) throw malformed(identifier);
            if (segment.startsWith("fcr:")) {
                throw new ResolverException(400, "Names Fedora's " + segment + ", not a binary: "
                        + shown(identifier));
            }
            for (int i = 0; i < segment.length(); i++) {
                if (Character.isISOControl(segment.charAt(i))) throw malformed(identifier);
            }
        }
        return FedoraResource.ROOT + "/" + path;
    }

    /** The raw (still encoded) path of an absolute http(s) URL, or null for anything else. */
    private static String urlPath(String identifier) {
        String lower = identifier.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("http://") && !lower.startsWith("https://")) return null;
        try {
            String raw = new URI(identifier).getRawPath();
            return raw == null ? "" : raw;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static String withoutQuery(String s) {
        int q = s.indexOf('?');
        int h = s.indexOf('#');
        int end = q < 0 ? h : h < 0 ? q : Math.min(q, h);
        return end < 0 ? s : s.substring(0, end);
    }

    /** Percent-decoding as in a URL's path: {@code +} stays a plus; a broken escape is a 400. */
    static String decode(String s, String identifier) throws ResolverException {
        if (s.indexOf('%') < 0) return s;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); ) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) throw malformed(identifier);
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) throw malformed(identifier);
                out.write(hi * 16 + lo);
                i += 3;
            } else {
                int cp = s.codePointAt(i);
                out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(cp);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static ResolverException malformed(String identifier) {
        return new ResolverException(400, "Not a Fedora identifier (a resource URI, info:fedora/..., a path below "
                + "the REST root, or a configured prefix): " + shown(identifier));
    }

    private static String shown(String identifier) {
        String s = identifier == null ? "" : identifier;
        s = s.length() > 120 ? s.substring(0, 120) + "…" : s;
        return s.replaceAll("\\p{Cntrl}", "?");
    }
}
