// Rendered from org.vellum.fedora.FedoraSettings.DECLARED; do not edit. After changing a declaration:
// mvn -o -q -pl bundle -am test -Dtest='*SettingsDocumentationTest' -Dsurefire.failIfNoSpecifiedTests=false -Dvellum.writeSettingsDoc=true
package org.vellum.fedora;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Every setting of {@link FedoraSettings}, as configuration PID {@value #PID}: each method is one declaration of
 * {@code FedoraSettings.DECLARED}, named by its property ({@code ocfl_root()} is {@code ocfl.root}), with its default
 * and its environment variable as its name.
 */
@ObjectClassDefinition(name = "Vellum Fedora resolver",
        description = "Serves Fedora 6 binaries from Fedora's OCFL storage root")
public @interface FedoraConfiguration {
    String PID = "org.vellum.fedora";

    @AttributeDefinition(name = "FEDORA_OCFL_ROOT", required = false,
            description = "Fedora's OCFL storage root (fcrepo.ocfl.root; by default ${fcrepo.home}/data/ocfl-root), read only; empty: binaries are fetched through FEDORA_REST_URL into FEDORA_FETCH_DIR (ocfl-s3, another host)")
    String ocfl_root() default "";

    @AttributeDefinition(name = "FEDORA_REST_URL", required = false,
            description = "Fedora's REST root (https://repo.example.org/fcrepo/rest): resource URIs below it are accepted as identifiers, and FEDORA_ACCESS=forward asks it; empty: URIs are recognised by their /rest/ segment")
    String rest_url() default "";

    @AttributeDefinition(name = "FEDORA_PREFIXES", required = false,
            description = "prefix=path pairs, comma-separated in the environment: an identifier starting with prefix names path + the rest below the REST root; a prefix starting with / also matches an absolute URL's path (Islandora's Drupal file URLs)")
    String[] prefixes() default {"/_flysystem/fedora/="};

    @AttributeDefinition(name = "FEDORA_ACCESS",
            description = "webac: serve what Fedora's WebAC lets foaf:Agent read, 403 otherwise; trust: serve everything found, the front end decides (all answers private); forward: ask Fedora's REST API with the caller's Authorization header")
    String access() default "webac";

    @AttributeDefinition(name = "FEDORA_WEBAC_ROOT_PUBLIC",
            description = "Without FEDORA_WEBAC_AUTHORIZATION, where no ACL applies: true for Fedora's built-in root authorization (foaf:Agent acl:Read, acl:default on the root); false lets the public read nothing there")
    boolean webac_root_public() default true;

    @AttributeDefinition(name = "FEDORA_WEBAC_AUTHORIZATION", required = false,
            description = "The Turtle (.ttl) or N-Triples (.nt) file Fedora's fcrepo.auth.webac.authorization names, read as Fedora reads it wherever no ACL applies (and again when it changes); missing or unparsable: Vellum does not start, or is not ready; empty: FEDORA_WEBAC_ROOT_PUBLIC")
    String webac_authorization() default "";

    @AttributeDefinition(name = "FEDORA_FORWARD_TTL_SECONDS",
            description = "Seconds Fedora's yes or no for one caller and binary is reused")
    int forward_ttl_seconds() default 30;

    @AttributeDefinition(name = "FEDORA_CACHE_SIZE",
            description = "Inventories, resource headers and ACLs kept in memory (each checked against its file's mtime on use)")
    int cache_size() default 10000;

    @AttributeDefinition(name = "FEDORA_FETCH_DIR", required = false,
            description = "Without a storage root: the folder binaries fetched from Fedora are kept in; empty: vellum-fedora-cache in the temporary folder")
    String fetch_dir() default "";

    @AttributeDefinition(name = "FEDORA_FETCH_MB",
            description = "Bound of that folder in MB (of 1048576 bytes), least recently used out first")
    int fetch_mb() default 10240;

    @AttributeDefinition(name = "FEDORA_REST_AUTHORIZATION", type = AttributeType.PASSWORD, required = false,
            description = "Without a storage root and with FEDORA_ACCESS=trust: the Authorization header Vellum sends to Fedora (Bearer islandora-static-token, Basic ...)")
    String _rest_authorization() default "";
}
