package org.vellum.fedora;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The current version of an OCFL object as its inventory states it (OCFL 1.0/1.1 section 3.5): the head version's
 * state, logical path → digest, and the manifest, digest → content paths relative to the object root. A logical path
 * is never a file name: content may be stored under another name (percent-encoded by Fedora's storage library), once
 * for many logical paths (deduplication), or in the mutable head's revision folders.
 *
 * @param id       the object's id, as the inventory says
 * @param head     the head version (v3)
 * @param state    logical path → digest (lower case)
 * @param manifest digest (lower case) → content paths
 * @param mutable  read from the mutable head extension's inventory
 */
record Inventory(String id, String head, Map<String, String> state, Map<String, List<String>> manifest,
        boolean mutable) {

    /** The digest of a logical path of the head version, or null. */
    String digest(String logicalPath) {
        return state.get(logicalPath);
    }

    /** The content paths holding a logical path's bytes (more than one when the same bytes were stored twice). */
    List<String> contentPaths(String logicalPath) {
        String digest = state.get(logicalPath);
        if (digest == null) return List.of();
        return manifest.getOrDefault(digest, List.of());
    }

    /**
     * The inventory's JSON.
     *
     * @throws IllegalArgumentException when it lacks what every OCFL inventory has
     */
    static Inventory of(JsonNode json, boolean mutable) {
        String id = json.path("id").asText(null);
        String head = json.path("head").asText(null);
        JsonNode version = json.path("versions").path(head == null ? "" : head);
        if (id == null || head == null || !version.isObject() || !json.path("manifest").isObject()) {
            throw new IllegalArgumentException("not an OCFL inventory (id, head, its version and a manifest needed)");
        }
        Map<String, String> state = new HashMap<>();
        version.path("state").fields().forEachRemaining(e -> {
            String digest = e.getKey().toLowerCase(Locale.ROOT);
            for (JsonNode p : e.getValue()) state.put(p.asText(), digest);
        });
        Map<String, List<String>> manifest = new HashMap<>();
        json.path("manifest").fields().forEachRemaining(e -> {
            List<String> paths = new java.util.ArrayList<>();
            for (JsonNode p : e.getValue()) paths.add(p.asText());
            manifest.merge(e.getKey().toLowerCase(Locale.ROOT), List.copyOf(paths), (a, b) -> {
                List<String> all = new java.util.ArrayList<>(a);
                all.addAll(b);
                return List.copyOf(all);
            });
        });
        return new Inventory(id, head, Map.copyOf(state), Map.copyOf(manifest), mutable);
    }
}
