package org.vellum.dspace;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every setting of the DSpace adapter, immutable; one place with each default and its environment name. The OSGi
 * component will build the same record from its ConfigAdmin configuration.
 *
 * @param jdbcUrl           DSPACE_DB_URL: {@code jdbc:postgresql://host:5432/dspace}
 * @param dbUser            DSPACE_DB_USER: a read-only role (README, "DSpace")
 * @param dbPassword        DSPACE_DB_PASSWORD
 * @param dbPoolSize        DSPACE_DB_POOL_SIZE: connections at most (default 4; lookups are cached, so few are needed)
 * @param dbTimeout         DSPACE_DB_TIMEOUT_SECONDS: statement and connection timeout (default 5)
 * @param assetstores       DSPACE_ASSETSTORES: {@code store_number=directory} pairs, comma-separated, e.g.
 *                          {@code 0=/dspace/assetstore,2=/mnt/assetstore2}; a store not listed (S3) goes through REST
 * @param restUrl           DSPACE_REST_URL: DSpace's server URL ({@code https://repo.example.org/server}); empty: no
 *                          REST, so unlisted stores answer 404 and caller credentials cannot be checked
 * @param restCacheDir      DSPACE_REST_CACHE_DIR: where bitstreams fetched through REST are kept
 * @param restCacheBytes    DSPACE_REST_CACHE_MB: bound of that folder (default 10240 MB)
 * @param forwardAuth       DSPACE_AUTH: {@code anonymous} (default) serves what DSpace's Anonymous group may read and
 *                          answers 403 otherwise; {@code forward} asks DSpace's REST API with the caller's
 *                          Authorization and Cookie headers for everything else
 * @param anonymousGroup    DSPACE_ANONYMOUS_GROUP: the group name whose READ policies make a bitstream public
 * @param lookupTtl         DSPACE_LOOKUP_TTL_SECONDS: how long a database answer is reused (default 60)
 * @param lookupCacheSize   DSPACE_LOOKUP_CACHE_SIZE: database answers kept (default 10000)
 * @param authTtl           DSPACE_AUTH_TTL_SECONDS: how long DSpace's yes/no for one caller and bitstream is reused
 *                          (default 60)
 */
public record DspaceSettings(
        String jdbcUrl,
        String dbUser,
        String dbPassword,
        int dbPoolSize,
        Duration dbTimeout,
        Map<Integer, Path> assetstores,
        String restUrl,
        Path restCacheDir,
        long restCacheBytes,
        boolean forwardAuth,
        String anonymousGroup,
        Duration lookupTtl,
        int lookupCacheSize,
        Duration authTtl) {

    public DspaceSettings {
        assetstores = Map.copyOf(assetstores);
        restUrl = restUrl == null ? "" : restUrl.replaceAll("/+$", "");
    }

    public static DspaceSettings fromEnvironment(Map<String, String> env) {
        String url = env.get("DSPACE_DB_URL");
        if (url == null || url.isBlank()) throw new IllegalArgumentException("DSPACE_DB_URL is not set");
        String auth = env.getOrDefault("DSPACE_AUTH", "anonymous").trim().toLowerCase(java.util.Locale.ROOT);
        if (!auth.equals("anonymous") && !auth.equals("forward")) {
            throw new IllegalArgumentException("DSPACE_AUTH must be anonymous or forward, not " + auth);
        }
        String restUrl = env.getOrDefault("DSPACE_REST_URL", "");
        if (auth.equals("forward") && restUrl.isBlank()) {
            throw new IllegalArgumentException("DSPACE_AUTH=forward needs DSPACE_REST_URL, where DSpace is asked");
        }
        return new DspaceSettings(url,
                env.getOrDefault("DSPACE_DB_USER", "vellum"),
                env.getOrDefault("DSPACE_DB_PASSWORD", ""),
                Math.max(1, intOf(env, "DSPACE_DB_POOL_SIZE", 4)),
                Duration.ofSeconds(Math.max(1, intOf(env, "DSPACE_DB_TIMEOUT_SECONDS", 5))),
                assetstoresOf(env.getOrDefault("DSPACE_ASSETSTORES", "")),
                restUrl,
                Path.of(env.getOrDefault("DSPACE_REST_CACHE_DIR",
                        System.getProperty("java.io.tmpdir") + "/vellum-dspace-cache")).toAbsolutePath(),
                Math.max(1, intOf(env, "DSPACE_REST_CACHE_MB", 10240)) * 1024L * 1024L,
                auth.equals("forward"),
                env.getOrDefault("DSPACE_ANONYMOUS_GROUP", "Anonymous"),
                Duration.ofSeconds(Math.max(1, intOf(env, "DSPACE_LOOKUP_TTL_SECONDS", 60))),
                Math.max(16, intOf(env, "DSPACE_LOOKUP_CACHE_SIZE", 10000)),
                Duration.ofSeconds(Math.max(1, intOf(env, "DSPACE_AUTH_TTL_SECONDS", 60))));
    }

    /** {@code 0=/dspace/assetstore,2=/mnt/other}. */
    static Map<Integer, Path> assetstoresOf(String spec) {
        Map<Integer, Path> stores = new TreeMap<>();
        for (String pair : spec.split(",")) {
            if (pair.isBlank()) continue;
            int eq = pair.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("DSPACE_ASSETSTORES: expected number=directory, got " + pair);
            stores.put(Integer.parseInt(pair.substring(0, eq).trim()),
                    Path.of(pair.substring(eq + 1).trim()).toAbsolutePath().normalize());
        }
        return stores;
    }

    private static int intOf(Map<String, String> env, String name, int dflt) {
        String v = env.get(name);
        if (v == null || v.isBlank()) return dflt;
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, not " + v);
        }
    }
}
