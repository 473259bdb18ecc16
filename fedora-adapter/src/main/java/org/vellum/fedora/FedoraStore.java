package org.vellum.fedora;

import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Fedora 6's resources in its OCFL storage, found without Fedora's database: a resource lives in the OCFL object of
 * its own id, or, below an Archival Group, in the nearest Archival Group's object (they do not nest). So the resource's
 * id is tried, then its ancestors'; the first object found must be the resource's own, or an Archival Group holding
 * the resource's header ({@code .fcrepo/<relative path>.json}).
 */
final class FedoraStore {
    private final OcflStorage storage;

    FedoraStore(OcflStorage storage) {
        this.storage = storage;
    }

    OcflStorage storage() {
        return storage;
    }

    /** The resource with this id ({@code info:fedora/...}), or null; tombstones and non-binaries included. */
    FedoraResource find(String id) throws IOException {
        String candidate = id;
        while (true) {
            OcflStorage.OcflObject object = storage.object(candidate);
            if (object != null) {
                if (candidate.equals(id)) {
                    JsonNode header = storage.json(object, ".fcrepo/fcr-root.json");
                    return header == null ? null : new FedoraResource(id, object, id, header);
                }
                JsonNode rootHeader = storage.json(object, ".fcrepo/fcr-root.json");
                if (rootHeader == null || !rootHeader.path("archivalGroup").asBoolean(false)) return null;
                FedoraResource member = new FedoraResource(id, object, candidate, rootHeader);
                JsonNode header = storage.json(object, member.headerPath(""));
                return header == null ? null : new FedoraResource(id, object, candidate, header);
            }
            if (candidate.equals(FedoraResource.ROOT)) return null;
            int slash = candidate.lastIndexOf('/');
            candidate = slash < 0 || slash < FedoraResource.ROOT.length() ? FedoraResource.ROOT
                    : candidate.substring(0, slash);
        }
    }

    /** The triples of the resource's ACL ({@code fcr:acl}), or null when it has none. */
    List<NTriples.Triple> acl(FedoraResource r) throws IOException {
        return sidecar(r, "~fcr-acl");
    }

    /** The triples of a binary's description ({@code fcr:metadata}), or null. */
    List<NTriples.Triple> description(FedoraResource r) throws IOException {
        return sidecar(r, "~fcr-desc");
    }

    /** A container's own triples, or null. */
    List<NTriples.Triple> triples(FedoraResource r) throws IOException {
        String content = r.contentPath();
        return content == null || r.binary() ? null : storage.rdf(r.object(), content);
    }

    private List<NTriples.Triple> sidecar(FedoraResource r, String suffix) throws IOException {
        JsonNode header = storage.json(r.object(), r.headerPath(suffix));
        if (header == null || header.path("deleted").asBoolean(false)) return null;
        String content = header.path("contentPath").asText("");
        return content.isEmpty() ? null : storage.rdf(r.object(), content);
    }
}
