package org.vellum.fedora;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether anyone may read a resource, decided from the ACLs in OCFL as Fedora 6's WebAC does it
 * ({@code WebACRolesProvider}): the effective ACL is the resource's own {@code fcr:acl} with all its authorizations,
 * else the nearest ancestor's whose authorizations include some with {@code acl:default} (only those count; an ACL
 * without them is passed over), else Fedora's root authorization ({@link RootAuthorization}, whose
 * {@code acl:accessTo} may also name any ancestor). An authorization applies when its
 * {@code acl:accessTo} names the resource or the ACL's holder, or its {@code acl:accessToClass} names one of their
 * types (the server's and those of the binary's description). Public means an applicable authorization gives
 * {@code acl:agentClass foaf:Agent} the mode {@code acl:Read} ({@code acl:Write} does not imply it, and
 * {@code acl:AuthenticatedAgent} is not the public).
 */
final class WebAc {
    static final String ACL = "http://www.w3.org/ns/auth/acl#";
    static final String RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
    static final String FOAF_AGENT = "http://xmlns.com/foaf/0.1/Agent";
    private static final String FEDORA = "http://fedora.info/definitions/v4/repository#";
    private static final String LDP = "http://www.w3.org/ns/ldp#";

    /** One {@code acl:Authorization}'s values. */
    record Authorization(Set<String> accessTo, Set<String> accessToClass, Set<String> agentClass, Set<String> modes,
            Set<String> defaults) {
    }

    private final FedoraStore store;
    private final RootAuthorization root;

    WebAc(FedoraStore store, RootAuthorization root) {
        this.store = store;
        this.root = root;
    }

    /** foaf:Agent may read the resource. */
    boolean publicRead(FedoraResource resource) throws IOException {
        FedoraResource holder = resource;
        List<Authorization> effective = null;
        boolean ancestor = false;
        Set<String> seen = new HashSet<>();
        while (holder != null && seen.add(holder.id())) {
            List<NTriples.Triple> acl = store.acl(holder);
            if (acl != null) {
                List<Authorization> auths = new ArrayList<>();
                for (Authorization a : authorizations(acl)) {
                    if (!ancestor || !a.defaults().isEmpty()) auths.add(a);
                }
                if (!auths.isEmpty()) {
                    effective = auths;
                    break;
                }
            }
            String parent = holder.parent();
            if (parent == null || holder.id().equals(FedoraResource.ROOT)) {
                holder = null;
            } else {
                holder = store.find(parent);
                ancestor = true;
            }
        }
        Set<String> targets = new HashSet<>(List.of(resource.id()));
        Set<String> classes = types(resource);
        if (effective == null) {
            // Fedora's root authorization, which may name the resource or any of its ancestors in acl:accessTo
            String id = resource.id();
            for (int slash = id.lastIndexOf('/'); slash >= FedoraResource.ROOT.length();
                    slash = id.lastIndexOf('/', slash - 1)) {
                targets.add(id.substring(0, slash));
            }
            targets.add(FedoraResource.ROOT);
            return grantsPublicRead(root.authorizations(), targets, classes);
        }
        if (holder != resource) {
            targets.add(holder.id());
            classes.addAll(types(holder));
        }
        return grantsPublicRead(effective, targets, classes);
    }

    private static boolean grantsPublicRead(List<Authorization> authorizations, Set<String> targets,
            Set<String> classes) {
        for (Authorization a : authorizations) {
            boolean applies = a.accessTo().stream().anyMatch(targets::contains)
                    || a.accessToClass().stream().anyMatch(classes::contains);
            if (applies && a.agentClass().contains(FOAF_AGENT) && a.modes().contains(ACL + "Read")) return true;
        }
        return false;
    }

    /**
     * The resource's types: those the server gives it (interaction model, fedora:Resource, fedora:Binary or
     * fedora:Container, ...) and its {@code rdf:type}s, from a binary's description or a container's own triples.
     */
    Set<String> types(FedoraResource r) throws IOException {
        Set<String> types = new LinkedHashSet<>();
        if (!r.interactionModel().isEmpty()) types.add(r.interactionModel());
        types.add(FEDORA + "Resource");
        types.add(LDP + "Resource");
        if (r.binary()) {
            types.add(FEDORA + "Binary");
        } else {
            types.add(FEDORA + "Container");
            types.add(LDP + "RDFSource");
            types.add(LDP + "Container");
        }
        if (r.archivalGroup()) types.add(FEDORA + "ArchivalGroup");
        List<NTriples.Triple> rdf = r.binary() ? store.description(r) : store.triples(r);
        if (rdf != null) {
            for (NTriples.Triple t : rdf) {
                if (t.subject().equals(r.id()) && t.predicate().equals(RDF_TYPE) && !t.objectIsLiteral()) {
                    types.add(t.object());
                }
            }
        }
        return types;
    }

    /** The subjects typed {@code acl:Authorization}, with their {@code acl:} values. */
    static List<Authorization> authorizations(List<NTriples.Triple> triples) {
        Set<String> subjects = new LinkedHashSet<>();
        for (NTriples.Triple t : triples) {
            if (t.predicate().equals(RDF_TYPE) && t.object().equals(ACL + "Authorization")) subjects.add(t.subject());
        }
        Map<String, Map<String, Set<String>>> values = new HashMap<>();
        for (NTriples.Triple t : triples) {
            if (!subjects.contains(t.subject()) || !t.predicate().startsWith(ACL)) continue;
            values.computeIfAbsent(t.subject(), s -> new HashMap<>())
                    .computeIfAbsent(t.predicate().substring(ACL.length()), p -> new HashSet<>()).add(t.object());
        }
        List<Authorization> out = new ArrayList<>();
        for (String s : subjects) {
            Map<String, Set<String>> v = values.getOrDefault(s, Map.of());
            out.add(new Authorization(v.getOrDefault("accessTo", Set.of()), v.getOrDefault("accessToClass", Set.of()),
                    v.getOrDefault("agentClass", Set.of()), v.getOrDefault("mode", Set.of()),
                    v.getOrDefault("default", Set.of())));
        }
        return out;
    }
}
