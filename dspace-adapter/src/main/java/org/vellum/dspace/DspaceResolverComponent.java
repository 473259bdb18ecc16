package org.vellum.dspace;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import org.vellum.api.Caller;
import org.vellum.api.ImageNotFoundException;
import org.vellum.api.ImageResolver;
import org.vellum.api.ResolvedImage;
import org.vellum.api.ResolverException;

/**
 * The DSpace resolver as an OSGi Declarative Services component: configured through ConfigAdmin (PID
 * {@code org.vellum.dspace}), registered as an {@link ImageResolver} with {@code vellum.resolver.prefix=dspace}, so a
 * Felix runtime that installs this bundle answers DSpace identifiers without a change to the core. It only adapts the
 * plain {@link DspaceResolver}, which the embedded launcher uses directly.
 */
@Component(service = ImageResolver.class, configurationPid = "org.vellum.dspace",
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = {"vellum.resolver.prefix=dspace", "service.ranking:Integer=100"})
@Designate(ocd = DspaceResolverComponent.Config.class)
public final class DspaceResolverComponent implements ImageResolver {

    /** Every setting, as {@link DspaceSettings} documents it; property {@code db.url} is DSPACE_DB_URL, and so on. */
    @ObjectClassDefinition(name = "Vellum DSpace resolver",
            description = "Serves DSpace bitstream UUIDs and handles from DSpace's assetstore")
    public @interface Config {
        @AttributeDefinition(description = "JDBC URL of DSpace's PostgreSQL database (DSPACE_DB_URL)")
        String db_url();

        @AttributeDefinition(description = "Read-only database role (DSPACE_DB_USER)")
        String db_user() default "vellum";

        /** Property {@code .db.password}: the leading dot keeps it out of the service's public properties. */
        @AttributeDefinition(type = AttributeType.PASSWORD, description = "DSPACE_DB_PASSWORD")
        String _db_password() default "";

        @AttributeDefinition(description = "Connections at most (DSPACE_DB_POOL_SIZE)")
        int db_pool_size() default 4;

        @AttributeDefinition(description = "Connection and statement timeout (DSPACE_DB_TIMEOUT_SECONDS)")
        int db_timeout_seconds() default 5;

        @AttributeDefinition(description = "store_number=directory, one per entry (DSPACE_ASSETSTORES)")
        String[] assetstores() default {};

        @AttributeDefinition(description = "DSpace server URL for S3 stores and forwarding (DSPACE_REST_URL)")
        String rest_url() default "";

        @AttributeDefinition(description = "Folder for bitstreams fetched through REST (DSPACE_REST_CACHE_DIR)")
        String rest_cache_dir() default "";

        @AttributeDefinition(description = "Bound of that folder in MB (DSPACE_REST_CACHE_MB)")
        int rest_cache_mb() default 10240;

        @AttributeDefinition(description = "anonymous or forward (DSPACE_AUTH)")
        String auth() default "anonymous";

        @AttributeDefinition(description = "DSPACE_ANONYMOUS_GROUP")
        String anonymous_group() default "Anonymous";

        @AttributeDefinition(description = "DSPACE_LOOKUP_TTL_SECONDS")
        int lookup_ttl_seconds() default 60;

        @AttributeDefinition(description = "DSPACE_LOOKUP_CACHE_SIZE")
        int lookup_cache_size() default 10000;

        @AttributeDefinition(description = "DSPACE_AUTH_TTL_SECONDS")
        int auth_ttl_seconds() default 60;
    }

    private DspaceResolver resolver;

    @Activate
    void activate(Config config) throws IOException {
        resolver = DspaceResolver.create(DspaceSettings.fromEnvironment(environmentOf(config)));
    }

    @Deactivate
    void deactivate() {
        if (resolver != null) resolver.close();
        resolver = null;
    }

    /** The configuration under the environment names, so defaults and checks live in one place. */
    static Map<String, String> environmentOf(Config c) {
        Map<String, String> env = new HashMap<>();
        env.put("DSPACE_DB_URL", c.db_url());
        env.put("DSPACE_DB_USER", c.db_user());
        env.put("DSPACE_DB_PASSWORD", c._db_password());
        env.put("DSPACE_DB_POOL_SIZE", Integer.toString(c.db_pool_size()));
        env.put("DSPACE_DB_TIMEOUT_SECONDS", Integer.toString(c.db_timeout_seconds()));
        env.put("DSPACE_ASSETSTORES", String.join(",", c.assetstores()));
        env.put("DSPACE_REST_URL", c.rest_url());
        if (!c.rest_cache_dir().isBlank()) env.put("DSPACE_REST_CACHE_DIR", c.rest_cache_dir());
        env.put("DSPACE_REST_CACHE_MB", Integer.toString(c.rest_cache_mb()));
        env.put("DSPACE_AUTH", c.auth());
        env.put("DSPACE_ANONYMOUS_GROUP", c.anonymous_group());
        env.put("DSPACE_LOOKUP_TTL_SECONDS", Integer.toString(c.lookup_ttl_seconds()));
        env.put("DSPACE_LOOKUP_CACHE_SIZE", Integer.toString(c.lookup_cache_size()));
        env.put("DSPACE_AUTH_TTL_SECONDS", Integer.toString(c.auth_ttl_seconds()));
        return env;
    }

    @Override
    public ResolvedImage resolve(String identifier) throws ImageNotFoundException, ResolverException {
        return resolver.resolve(identifier);
    }

    @Override
    public ResolvedImage resolve(String identifier, Caller ctx)
            throws ImageNotFoundException, ResolverException {
        return resolver.resolve(identifier, ctx);
    }
}
