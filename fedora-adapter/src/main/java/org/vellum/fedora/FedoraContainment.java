package org.vellum.fedora;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Which resources a container holds, for a container that is its own OCFL object: Fedora keeps containment in its
 * database (rebuilt from OCFL by a full scan), not in the container's files, so without that database Vellum does
 * what Fedora's rebuild does. It walks the storage root's object folders and reads each object's root header for its
 * {@code parent}. A folder is read once: a resource's id and parent never change in Fedora 6 (there is no move, and a
 * deletion leaves a tombstone in place), so a later walk only lists the folders and reads the new ones. A walk is
 * reused for {@link #RESCAN_SECONDS}, so a new page shows in its container's manifest within that time.
 */
final class FedoraContainment {
    static final long RESCAN_SECONDS = 10;

    private record Known(String id, String parent) {
    }

    private final OcflStorage storage;
    private final LongSupplier nanos;
    private final Map<Path, Known> known = new HashMap<>();
    private Map<String, List<String>> children = Map.of();
    private long walked;
    private boolean ever;

    FedoraContainment(OcflStorage storage, LongSupplier nanos) {
        this.storage = storage;
        this.nanos = nanos;
    }

    /** The ids of the resources at object roots whose parent is {@code id}, in no particular order. */
    synchronized List<String> children(String id) throws IOException {
        long now = nanos.getAsLong();
        if (!ever || now - walked > TimeUnit.SECONDS.toNanos(RESCAN_SECONDS)) {
            walk();
            walked = now;
            ever = true;
        }
        return children.getOrDefault(id, List.of());
    }

    private void walk() throws IOException {
        Path root = storage.root();
        int depth = storage.layout().numberOfTuples() + 1;
        Map<String, List<String>> index = new HashMap<>();
        Set<Path> seen = new HashSet<>();
        try (Stream<Path> dirs = Files.find(root, depth, (p, a) -> a.isDirectory()
                && root.relativize(p).getNameCount() == depth)) {
            for (Path dir : (Iterable<Path>) dirs::iterator) {
                seen.add(dir);
                Known k = known.get(dir);
                if (k == null) {
                    k = read(dir);
                    if (k == null) continue;        // no object (yet): asked again on the next walk
                    known.put(dir, k);
                }
                if (k.parent() != null && !k.parent().equals(k.id())) {
                    index.computeIfAbsent(k.parent(), p -> new ArrayList<>()).add(k.id());
                }
            }
        }
        known.keySet().retainAll(seen);
        children = index;
    }

    private Known read(Path dir) throws IOException {
        OcflStorage.OcflObject object = storage.objectAt(dir);
        if (object == null) return null;
        JsonNode header = storage.json(object, ".fcrepo/fcr-root.json");
        if (header == null) return null;
        String parent = header.path("parent").asText("");
        return new Known(object.inventory().id(), parent.isEmpty() ? null : parent);
    }
}
