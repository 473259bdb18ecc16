package org.vellum.fedora;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

import org.vellum.api.Caller;
import org.vellum.api.ImageNotFoundException;
import org.vellum.api.ImageObject;
import org.vellum.api.ResolvedImage;
import org.vellum.api.ResolverException;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Fedora containers as books: an Archival Group's pages are the JPEG 2000 binaries among all its members (at any
 * depth); any other container's are the JPEG 2000 binaries among its direct children (inside an Archival Group, read
 * from the group's object; elsewhere from {@link FedoraContainment}). Pages are in natural order of their path below
 * the container ({@code p2} before {@code p10}): Fedora itself keeps no order of children, and the orderings front ends
 * write (PCDM/ORE proxies, Islandora's weights in Drupal) are not in every repository, so none is guessed from them.
 * The label is the container's {@code dcterms:title}, {@code dc:title} or {@code rdfs:label}, else its last path
 * segment. Each page is resolved for the caller as an image request would be, so only the pages the caller may read
 * are listed; the container itself must be readable too (its title is in the manifest).
 */
final class FedoraObjects {
    static final String DCTERMS_TITLE = "http://purl.org/dc/terms/title";
    static final String DC_TITLE = "http://purl.org/dc/elements/1.1/title";
    static final String RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label";
    private static final List<String> LABELS = List.of(DCTERMS_TITLE, DC_TITLE, RDFS_LABEL);

    /** What the resolver decides for one resource and caller. */
    interface Access {
        /** The page's image for the caller, refused as an image request would be. */
        ResolvedImage page(String identifier, Caller caller) throws ImageNotFoundException, ResolverException;

        /** Whether the answer about this container is personal; throws when the caller may not read it. */
        boolean container(FedoraResource container, Caller caller, String identifier) throws IOException,
                ResolverException, ImageNotFoundException;
    }

    private final FedoraStore store;
    private final FedoraContainment containment;

    FedoraObjects(FedoraStore store, FedoraContainment containment) {
        this.store = store;
        this.containment = containment;
    }

    /** The container with Fedora id {@code id} as an object, with the pages {@code caller} may read. */
    ImageObject object(String identifier, String id, Caller caller, Access access) throws IOException,
            ImageNotFoundException, ResolverException {
        FedoraResource container = store.find(id);
        if (container == null || container.deleted()) {
            throw new ImageNotFoundException("No Fedora container " + identifier);
        }
        if (container.binary()) throw new ImageNotFoundException(identifier + " is a binary, not a container");
        boolean personal = access.container(container, caller, identifier);

        List<String> candidates = new ArrayList<>(candidates(container));
        String below = id + "/";
        Comparator<String> byPath = Comparator.comparing(c -> c.startsWith(below) ? c.substring(below.length()) : c,
                FedoraObjects::natural);
        candidates.sort(byPath);

        List<ImageObject.Page> pages = new ArrayList<>();
        boolean loginWouldHelp = false;
        boolean refused = false;
        long lastModified = modified(container.header());
        String label = label(container);
        MessageDigest version = sha256();
        version.update(label.getBytes(StandardCharsets.UTF_8));
        for (String candidate : candidates) {
            String pageIdentifier = candidate.substring(FedoraResource.ROOT.length() + 1);
            ResolvedImage image;
            try {
                image = access.page(pageIdentifier, caller);
            } catch (ImageNotFoundException e) {
                continue;                 // not a JPEG 2000, a tombstone, external content, a container
            } catch (ResolverException e) {
                if (e.status() == 401) loginWouldHelp = true;
                if (e.status() == 403) refused = true;
                if (e.status() == 401 || e.status() == 403 || e.status() == 400) continue;
                throw e;
            }
            pages.add(new ImageObject.Page(pageIdentifier, null));
            personal |= image.personal();
            lastModified = Math.max(lastModified, image.lastModified());
            version.update(("|" + pageIdentifier + "@" + image.fingerprint()).getBytes(StandardCharsets.UTF_8));
        }
        if (pages.isEmpty()) {
            if (loginWouldHelp) throw new ResolverException(401, identifier + ": its pages need credentials");
            if (refused) throw new ResolverException(403, identifier + ": this caller may read none of its pages");
            throw new ImageNotFoundException(identifier + " holds no JPEG 2000 binary");
        }
        return new ImageObject(identifier, label, pages, List.of(), ImageObject.Description.NONE, lastModified,
                HexFormat.of().formatHex(version.digest(), 0, 12), personal);
    }

    /**
     * The ids of the binaries that may be pages: an Archival Group's member binaries; a container's direct children
     * (binaries or not: resolving them sorts that out).
     */
    private List<String> candidates(FedoraResource container) throws IOException {
        boolean inGroup = !container.id().equals(container.objectRootId());
        if (!container.archivalGroup() && !inGroup) return containment.children(container.id());
        List<String> out = new ArrayList<>();
        OcflStorage.OcflObject object = container.object();
        for (String path : object.inventory().state().keySet()) {
            if (!path.startsWith(".fcrepo/") || !path.endsWith(".json") || path.equals(".fcrepo/fcr-root.json")
                    || path.contains("~fcr-")) {
                continue;
            }
            JsonNode header = store.storage().json(object, path);
            if (header == null || header.path("deleted").asBoolean(false)) continue;
            if (!FedoraResource.NON_RDF_SOURCE.equals(header.path("interactionModel").asText())) continue;
            String memberId = header.path("id").asText("");
            if (!memberId.startsWith(container.id() + "/")) continue;
            if (inGroup && !container.id().equals(header.path("parent").asText())) continue;
            out.add(memberId);
        }
        return out;
    }

    /** The container's title from its own triples, else its last path segment. */
    private String label(FedoraResource container) throws IOException {
        List<NTriples.Triple> triples = store.triples(container);
        if (triples != null) {
            for (String predicate : LABELS) {
                for (NTriples.Triple t : triples) {
                    if (t.subject().equals(container.id()) && t.predicate().equals(predicate) && t.objectIsLiteral()
                            && !t.object().isBlank()) {
                        return t.object().strip();
                    }
                }
            }
        }
        String id = container.id();
        return id.equals(FedoraResource.ROOT) ? id : id.substring(id.lastIndexOf('/') + 1);
    }

    private static long modified(JsonNode header) {
        try {
            return Instant.parse(header.path("lastModifiedDate").asText("")).toEpochMilli();
        } catch (DateTimeParseException e) {
            return 0;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Names in the order people number pages, as the image folder orders its files: runs of digits by value, the
     * rest without case, then fewer leading zeros first, then the exact characters.
     */
    static int natural(String a, String b) {
        int i = 0;
        int j = 0;
        int zeros = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i);
            char cb = b.charAt(j);
            if (digit(ca) && digit(cb)) {
                int si = i;
                int sj = j;
                while (si < a.length() && a.charAt(si) == '0') si++;
                while (sj < b.length() && b.charAt(sj) == '0') sj++;
                int ei = si;
                int ej = sj;
                while (ei < a.length() && digit(a.charAt(ei))) ei++;
                while (ej < b.length() && digit(b.charAt(ej))) ej++;
                int d = Integer.compare(ei - si, ej - sj);
                if (d == 0) d = a.substring(si, ei).compareTo(b.substring(sj, ej));
                if (d != 0) return d;
                if (zeros == 0) zeros = Integer.compare(si - i, sj - j);
                i = ei;
                j = ej;
            } else {
                int d = Character.compare(Character.toLowerCase(Character.toUpperCase(ca)),
                        Character.toLowerCase(Character.toUpperCase(cb)));
                if (d != 0) return d;
                i++;
                j++;
            }
        }
        int rest = Integer.compare(a.length() - i, b.length() - j);
        if (rest != 0) return rest;
        return zeros != 0 ? zeros : a.compareTo(b);
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }
}
