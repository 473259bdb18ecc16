// Rendered from org.vellum.dspace.DspaceSettings.DECLARED; do not edit. After changing a declaration:
// mvn -o -q -pl bundle -am test -Dtest='*SettingsDocumentationTest' -Dsurefire.failIfNoSpecifiedTests=false -Dvellum.writeSettingsDoc=true
package org.vellum.dspace;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Every setting of {@link DspaceSettings}, as configuration PID {@value #PID}: each method is one declaration of
 * {@code DspaceSettings.DECLARED}, named by its property ({@code db_url()} is {@code db.url}), with its default and its
 * environment variable as its name.
 */
@ObjectClassDefinition(name = "Vellum DSpace resolver",
        description = "Serves DSpace bitstream UUIDs and handles from DSpace's assetstore")
public @interface DspaceConfiguration {
    String PID = "org.vellum.dspace";

    @AttributeDefinition(name = "DSPACE_DB_URL",
            description = "JDBC URL of DSpace's PostgreSQL database: jdbc:postgresql://host:5432/dspace")
    String db_url();

    @AttributeDefinition(name = "DSPACE_DB_USER",
            description = "A read-only database role")
    String db_user() default "vellum";

    @AttributeDefinition(name = "DSPACE_DB_PASSWORD", type = AttributeType.PASSWORD, required = false,
            description = "Its password (the leading dot keeps the OSGi property out of the service's properties)")
    String _db_password() default "";

    @AttributeDefinition(name = "DSPACE_DB_POOL_SIZE",
            description = "Connections at most (lookups are cached, so few are needed)")
    int db_pool_size() default 4;

    @AttributeDefinition(name = "DSPACE_DB_TIMEOUT_SECONDS",
            description = "Connection and statement timeout in seconds")
    int db_timeout_seconds() default 5;

    @AttributeDefinition(name = "DSPACE_ASSETSTORES", required = false,
            description = "store_number=directory pairs, comma-separated in the environment (0=/dspace/assetstore,2=/mnt/assetstore2); a store not listed (S3) goes through REST")
    String[] assetstores() default {};

    @AttributeDefinition(name = "DSPACE_REST_URL", required = false,
            description = "DSpace's server URL (https://repo.example.org/server); empty: no REST, so unlisted stores answer 404 and callers' credentials cannot be checked")
    String rest_url() default "";

    @AttributeDefinition(name = "DSPACE_REST_CACHE_DIR", required = false,
            description = "Folder for bitstreams fetched through REST; empty: vellum-dspace-cache in the temporary folder")
    String rest_cache_dir() default "";

    @AttributeDefinition(name = "DSPACE_REST_CACHE_MB",
            description = "Bound of that folder in MB (of 1048576 bytes)")
    int rest_cache_mb() default 10240;

    @AttributeDefinition(name = "DSPACE_AUTH",
            description = "anonymous: serve what DSpace's Anonymous group may read, 403 otherwise; database: verify the caller's DSpace token with DSPACE_JWT_SECRET and decide with its e-person's groups; forward: ask DSpace's REST API with the caller's token")
    String auth() default "anonymous";

    @AttributeDefinition(name = "DSPACE_ANONYMOUS_GROUP",
            description = "The group whose READ policies make a bitstream public")
    String anonymous_group() default "Anonymous";

    @AttributeDefinition(name = "DSPACE_LOOKUP_TTL_SECONDS",
            description = "Seconds a database answer is reused")
    int lookup_ttl_seconds() default 60;

    @AttributeDefinition(name = "DSPACE_LOOKUP_CACHE_SIZE",
            description = "Database answers kept")
    int lookup_cache_size() default 10000;

    @AttributeDefinition(name = "DSPACE_AUTH_TTL_SECONDS",
            description = "Seconds DSpace's yes or no for one caller and bitstream is reused")
    int auth_ttl_seconds() default 60;

    @AttributeDefinition(name = "DSPACE_VERSION",
            description = "DSpace's major version, for the rule that changed (7 and 8: a policy's end date is its first day out of force; 9 and later: its last day in force); auto: from the newest migration in DSpace's schema_version table, else 8")
    String version() default "auto";

    @AttributeDefinition(name = "DSPACE_TIME_ZONE", required = false,
            description = "The time zone of DSpace's server (Europe/Berlin), in which a policy's start and end dates begin and end; empty: this server's")
    String time_zone() default "";

    @AttributeDefinition(name = "DSPACE_ALLOWED_ROOTS", required = false,
            description = "DSpace's assetstore.allowed.roots: directories outside the assetstores where registered (-R) bitstreams may lie, comma-separated in the environment")
    String[] allowed_roots() default {};

    @AttributeDefinition(name = "DSPACE_JWT_SECRET", type = AttributeType.PASSWORD, required = false,
            description = "DSpace's jwt.login.token.secret, for DSPACE_AUTH=database")
    String _jwt_secret() default "";

    @AttributeDefinition(name = "DSPACE_JWT_SHORT_LIVED_SECRET", type = AttributeType.PASSWORD, required = false,
            description = "DSpace's jwt.shortLived.token.secret, for the authentication-token parameter with DSPACE_AUTH=database")
    String _jwt_short_lived_secret() default "";

    @AttributeDefinition(name = "DSPACE_JWT_INCLUDE_ORIGIN",
            description = "DSpace's jwt.login.token.include.origin: its tokens are signed for the Origin (else Referer, else X-DSpace-UI) they were issued to")
    boolean jwt_include_origin() default true;
}
