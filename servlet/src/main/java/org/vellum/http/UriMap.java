package org.vellum.http;

import java.util.Locale;
import java.util.Set;

/**
 * iipsrv's URI_MAP, {@code prefix=>protocol}: a request path {@code /prefix/rest} becomes the query
 * {@code <protocol>=rest} (iip maps to FIF; the query string is dropped). An empty prefix maps every path.
 */
public final class UriMap {
    private static final Set<String> PROTOCOLS = Set.of("iip", "zoomify", "deepzoom");
    private final String prefix;
    private final String command;

    private UriMap(String prefix, String command) {
        this.prefix = prefix;
        this.command = command;
    }

    /** Null when the setting is empty or names a protocol this server does not map. */
    public static UriMap parse(String setting) {
        if (setting == null) return null;
        int arrow = setting.indexOf("=>");
        if (arrow < 0) return null;
        String prefix = setting.substring(0, arrow).trim().replaceAll("^/+|/+$", "");
        String protocol = setting.substring(arrow + 2).trim().toLowerCase(Locale.ROOT);
        if (!PROTOCOLS.contains(protocol)) return null;
        return new UriMap(prefix, protocol.equals("iip") ? "FIF" : protocol.equals("zoomify") ? "Zoomify" : "DeepZoom");
    }

    /** The IIP query for a request path (after the context path), or null when the path is not mapped. */
    public String query(String path) {
        String rest;
        if (prefix.isEmpty()) {
            rest = path.startsWith("/") ? path.substring(1) : path;
        } else if (path.startsWith("/" + prefix + "/")) {
            rest = path.substring(prefix.length() + 2);
        } else {
            return null;
        }
        return rest.isEmpty() ? null : command + "=" + rest;
    }
}
