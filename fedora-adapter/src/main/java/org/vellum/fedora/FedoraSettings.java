package org.vellum.fedora;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.vellum.api.settings.Setting;
import org.vellum.api.settings.SettingSource;

/**
 * Every setting of the Fedora adapter, immutable. Each is declared once below ({@link #DECLARED}: OSGi property of
 * PID {@code org.vellum.fedora}, environment variable, type, default, check, one line of documentation); the metatype
 * interface {@link FedoraConfiguration} and the Fedora table of docs/settings.md are rendered from the declarations.
 * Values that cannot be read stop start-up, as the DSpace adapter's do.
 *
 * @param ocflRoot        Fedora's OCFL storage root ({@code fcrepo.ocfl.root})
 * @param restUrl         Fedora's REST root URL, no trailing slash; empty when not given
 * @param prefixes        identifier prefixes mapped onto paths below the REST root, tried in order
 * @param access          how a caller is decided about
 * @param rootPublic      Fedora's built-in root authorization gives foaf:Agent acl:Read (its default)
 * @param rootAuthorization the root authorization file Fedora reads ({@code fcrepo.auth.webac.authorization}), or
 *                        null for the built-in one
 * @param forwardTtl      how long Fedora's answer to a forwarded HEAD is reused
 * @param cacheSize       inventories, parsed files and forwarded answers kept (each)
 * @param fetchDir        where binaries fetched through the REST API are kept (no storage root)
 * @param fetchBytes      the bound of that folder
 * @param restAuthorization the Authorization header Vellum itself sends to Fedora with FEDORA_ACCESS=trust when it
 *                        fetches (empty: none)
 */
public record FedoraSettings(
        Path ocflRoot,
        String restUrl,
        List<Prefix> prefixes,
        Access access,
        boolean rootPublic,
        Path rootAuthorization,
        Duration forwardTtl,
        int cacheSize,
        Path fetchDir,
        long fetchBytes,
        String restAuthorization) {

    /** How a caller is decided about. */
    public enum Access {
        /** Public read decided from the ACLs in OCFL, as Fedora's WebAC does; anything else 403. */
        WEBAC,
        /** The front end decides (Islandora's Drupal): everything found is served, as private answers. */
        TRUST,
        /** Fedora's REST API asked with the caller's Authorization header (a HEAD on the binary). */
        FORWARD
    }

    /**
     * An identifier beginning with {@code prefix} names the resource {@code path} + the rest below the REST root.
     * A prefix starting with {@code /} also matches the path of an absolute URL (Drupal's file URLs, whatever their
     * host). The rest is URL-decoded, as it is part of a URL.
     */
    public record Prefix(String prefix, String path) {
    }

    public static final Setting<String> OCFL_ROOT = Setting.text("ocfl.root", "FEDORA_OCFL_ROOT", "",
            "Fedora's OCFL storage root (fcrepo.ocfl.root; by default ${fcrepo.home}/data/ocfl-root), read only; "
                    + "empty: binaries are fetched through FEDORA_REST_URL into FEDORA_FETCH_DIR (ocfl-s3, another "
                    + "host)").check(String::trim);
    public static final Setting<String> REST_URL = Setting.text("rest.url", "FEDORA_REST_URL", "",
            "Fedora's REST root (https://repo.example.org/fcrepo/rest): resource URIs below it are accepted as "
                    + "identifiers, and FEDORA_ACCESS=forward asks it; empty: URIs are recognised by their /rest/ "
                    + "segment").check(v -> {
                        String url = v.trim().replaceAll("/+$", "");
                        if (url.isEmpty()) return url;
                        try {
                            URI u = new URI(url);
                            if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
                                throw new URISyntaxException(url, "not an http(s) URL");
                            }
                        } catch (URISyntaxException e) {
                            throw new IllegalArgumentException("FEDORA_REST_URL: " + e.getMessage());
                        }
                        return url;
                    });
    public static final Setting<List<String>> PREFIXES = Setting.list("prefixes", "FEDORA_PREFIXES",
            List.of("/_flysystem/fedora/="), "prefix=path pairs, comma-separated in the environment: an identifier "
                    + "starting with prefix names path + the rest below the REST root; a prefix starting with / "
                    + "also matches an absolute URL's path (Islandora's Drupal file URLs)");
    public static final Setting<String> ACCESS = Setting.text("access", "FEDORA_ACCESS", "webac",
            "webac: serve what Fedora's WebAC lets foaf:Agent read, 403 otherwise; trust: serve everything found, "
                    + "the front end decides (all answers private); forward: ask Fedora's REST API with the caller's "
                    + "Authorization header").check(v -> {
                        String a = v.trim().toLowerCase(Locale.ROOT);
                        if (!a.equals("webac") && !a.equals("trust") && !a.equals("forward")) {
                            throw new IllegalArgumentException("FEDORA_ACCESS must be webac, trust or forward, not "
                                    + v);
                        }
                        return a;
                    });
    public static final Setting<Boolean> ROOT_PUBLIC = Setting.flag("webac.root.public", "FEDORA_WEBAC_ROOT_PUBLIC",
            true, "Without FEDORA_WEBAC_AUTHORIZATION, where no ACL applies: true for Fedora's built-in root "
                    + "authorization (foaf:Agent acl:Read, acl:default on the root); false lets the public read "
                    + "nothing there");
    public static final Setting<String> WEBAC_AUTHORIZATION = Setting.text("webac.authorization",
            "FEDORA_WEBAC_AUTHORIZATION", "", "The Turtle (.ttl) or N-Triples (.nt) file Fedora's "
                    + "fcrepo.auth.webac.authorization names, read as Fedora reads it wherever no ACL applies (and "
                    + "again when it changes); missing or unparsable: Vellum does not start, or is not ready; empty: "
                    + "FEDORA_WEBAC_ROOT_PUBLIC").check(String::trim);
    public static final Setting<Integer> FORWARD_TTL_SECONDS = Setting.integer("forward.ttl.seconds",
            "FEDORA_FORWARD_TTL_SECONDS", 30, "Seconds Fedora's yes or no for one caller and binary is reused")
            .atLeast(1).strict();
    public static final Setting<Integer> CACHE_SIZE = Setting.integer("cache.size", "FEDORA_CACHE_SIZE", 10000,
            "Inventories, resource headers and ACLs kept in memory (each checked against its file's mtime on use)")
            .atLeast(16).strict();

    public static final Setting<String> FETCH_DIR = Setting.text("fetch.dir", "FEDORA_FETCH_DIR", "",
            "Without a storage root: the folder binaries fetched from Fedora are kept in; empty: "
                    + "vellum-fedora-cache in the temporary folder");
    public static final Setting<Integer> FETCH_MB = Setting.integer("fetch.mb", "FEDORA_FETCH_MB", 10240,
            "Bound of that folder in MB (of 1048576 bytes), least recently used out first").atLeast(1).strict();
    public static final Setting<String> REST_AUTHORIZATION = Setting.text(".rest.authorization",
            "FEDORA_REST_AUTHORIZATION", "", "Without a storage root and with FEDORA_ACCESS=trust: the Authorization "
                    + "header Vellum sends to Fedora (Bearer islandora-static-token, Basic ...)").secret();

    /** Every setting, in the order of the documentation and the metatype interface. */
    public static final List<Setting<?>> DECLARED = List.of(OCFL_ROOT, REST_URL, PREFIXES, ACCESS, ROOT_PUBLIC,
            WEBAC_AUTHORIZATION, FORWARD_TTL_SECONDS, CACHE_SIZE, FETCH_DIR, FETCH_MB, REST_AUTHORIZATION);

    public FedoraSettings {
        restUrl = restUrl == null ? "" : restUrl.replaceAll("/+$", "");
        prefixes = List.copyOf(prefixes);
        restAuthorization = restAuthorization == null ? "" : restAuthorization;
    }

    /** Binaries come through Fedora's REST API, not from a storage root on this machine. */
    public boolean fetches() {
        return ocflRoot == null;
    }

    /** The FEDORA_* environment variables. */
    public static FedoraSettings fromEnvironment(Map<String, String> env) {
        return from(SettingSource.variables(env));
    }

    /**
     * Each declared setting read from the source.
     *
     * @throws IllegalArgumentException naming the setting that is missing, unreadable or refused
     */
    public static FedoraSettings from(SettingSource source) {
        String ocflRoot = OCFL_ROOT.read(source);
        Path root = ocflRoot.isEmpty() ? null : Path.of(ocflRoot).toAbsolutePath().normalize();
        Access access = Access.valueOf(ACCESS.read(source).toUpperCase(Locale.ROOT));
        String rest = REST_URL.read(source);
        if (access == Access.FORWARD && rest.isEmpty()) {
            throw new IllegalArgumentException("FEDORA_ACCESS=forward needs FEDORA_REST_URL, where Fedora is asked");
        }
        if (root == null && rest.isEmpty()) {
            throw new IllegalArgumentException("Set FEDORA_OCFL_ROOT (Fedora's storage root on this machine) or "
                    + "FEDORA_REST_URL (to fetch binaries through Fedora's REST API)");
        }
        String fetchDir = FETCH_DIR.read(source);
        String rootAuthorization = WEBAC_AUTHORIZATION.read(source);
        boolean rootPublic = ROOT_PUBLIC.read(source);
        if (!rootAuthorization.isEmpty() && !rootPublic) {
            // the two say different things about the same root; which one wins must not be a guess
            throw new IllegalArgumentException("FEDORA_WEBAC_ROOT_PUBLIC=false and FEDORA_WEBAC_AUTHORIZATION are "
                    + "both given: keep only FEDORA_WEBAC_AUTHORIZATION, the file decides");
        }
        return new FedoraSettings(root, rest, prefixesOf(PREFIXES.read(source)), access, rootPublic,
                rootAuthorization.isEmpty() ? null : Path.of(rootAuthorization).toAbsolutePath().normalize(),
                Duration.ofSeconds(FORWARD_TTL_SECONDS.read(source)), CACHE_SIZE.read(source),
                (fetchDir.isBlank() ? Path.of(System.getProperty("java.io.tmpdir"), "vellum-fedora-cache")
                        : Path.of(fetchDir.trim())).toAbsolutePath(),
                FETCH_MB.read(source) * 1024L * 1024L, REST_AUTHORIZATION.read(source));
    }

    /** {@code /_flysystem/fedora/=,https://old.example.org/files/=imported/}: longest prefixes first. */
    static List<Prefix> prefixesOf(List<String> pairs) {
        List<Prefix> out = new ArrayList<>();
        for (String pair : pairs) {
            if (pair.isBlank()) continue;
            int eq = pair.lastIndexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("FEDORA_PREFIXES: expected prefix=path, got " + pair);
            String path = pair.substring(eq + 1).trim().replaceAll("^/+", "");
            if (!path.isEmpty() && !path.endsWith("/")) path += "/";
            out.add(new Prefix(pair.substring(0, eq).trim(), path));
        }
        out.sort((a, b) -> b.prefix().length() - a.prefix().length());
        return out;
    }
}
