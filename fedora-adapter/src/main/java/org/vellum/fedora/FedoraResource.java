package org.vellum.fedora;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A Fedora 6 resource found in OCFL: its id ({@code info:fedora/a/b}), the object that holds it (its own, or the
 * Archival Group's it belongs to), the id of that object's root resource, and its header (Fedora's
 * {@code ResourceHeaders} JSON).
 */
record FedoraResource(String id, OcflStorage.OcflObject object, String objectRootId, JsonNode header) {
    static final String ROOT = "info:fedora";
    static final String NON_RDF_SOURCE = "http://www.w3.org/ns/ldp#NonRDFSource";

    /** The path of one of its sidecar headers: {@code ""} for its own, {@code "~fcr-acl"}, {@code "~fcr-desc"}. */
    String headerPath(String suffix) {
        return ".fcrepo/" + (id.equals(objectRootId) ? "fcr-root" : id.substring(objectRootId.length() + 1)) + suffix
                + ".json";
    }

    boolean binary() {
        return NON_RDF_SOURCE.equals(header.path("interactionModel").asText());
    }

    boolean deleted() {
        return header.path("deleted").asBoolean(false);
    }

    /** Content Fedora proxies or redirects to: not in OCFL. */
    boolean external() {
        return !header.path("externalUrl").asText("").isEmpty() || !header.path("externalHandling").asText("")
                .isEmpty();
    }

    /** The logical path of its content (binary bytes, or a container's triples), or null. */
    String contentPath() {
        String p = header.path("contentPath").asText("");
        return p.isEmpty() ? null : p;
    }

    String parent() {
        String p = header.path("parent").asText("");
        return p.isEmpty() ? null : p;
    }

    String interactionModel() {
        return header.path("interactionModel").asText("");
    }

    boolean archivalGroup() {
        return header.path("archivalGroup").asBoolean(false);
    }
}
