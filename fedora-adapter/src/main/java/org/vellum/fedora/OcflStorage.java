package org.vellum.fedora;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * An OCFL storage root, read only: the storage layout from {@code ocfl_layout.json} (Fedora 6 writes
 * {@code 0004-hashed-n-tuple-storage-layout}), an object's current inventory (the mutable head's when there is one,
 * OCFL extension 0005, else the root's), and a logical path's file through digest and manifest. Inventories and the
 * small JSON and RDF files Fedora keeps beside its binaries are cached only while their files are unchanged
 * ({@link FileCache}), because Fedora writes while Vellum reads.
 */
final class OcflStorage {
    private static final Logger LOG = LoggerFactory.getLogger(OcflStorage.class);
    static final String HASHED_N_TUPLE = "0004-hashed-n-tuple-storage-layout";
    static final String MUTABLE_HEAD_INVENTORY = "extensions/0005-mutable-head/head/inventory.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An object's root folder and current inventory. */
    record OcflObject(Path root, Inventory inventory) {
    }

    /** OCFL extension 0004's parameters. */
    record Layout(String digestAlgorithm, int tupleSize, int numberOfTuples, boolean shortObjectRoot) {
        String objectRoot(String id) {
            String hex = HexFormat.of().formatHex(digest(digestAlgorithm, id));
            StringBuilder b = new StringBuilder();
            for (int t = 0; t < numberOfTuples; t++) {
                b.append(hex, t * tupleSize, (t + 1) * tupleSize).append('/');
            }
            b.append(shortObjectRoot ? hex.substring(numberOfTuples * tupleSize) : hex);
            return b.toString();
        }
    }

    private final Path root;
    private final Layout layout;
    private final FileCache<Inventory> inventories;
    private final FileCache<JsonNode> jsonFiles;
    private final FileCache<List<NTriples.Triple>> rdfFiles;

    /**
     * Reads the storage root's layout.
     *
     * @throws IOException when the root is not a readable OCFL storage root with a layout this class knows
     */
    OcflStorage(Path storageRoot, int cacheSize) throws IOException {
        this.root = storageRoot.toRealPath();
        JsonNode declared = JSON.readTree(root.resolve("ocfl_layout.json").toFile());
        String extension = declared.path("extension").asText("");
        if (!extension.equals(HASHED_N_TUPLE)) {
            throw new IOException(root + ": storage layout " + extension + " is not Fedora's " + HASHED_N_TUPLE);
        }
        Path config = root.resolve("extensions").resolve(HASHED_N_TUPLE).resolve("config.json");
        JsonNode c = Files.exists(config) ? JSON.readTree(config.toFile()) : JSON.createObjectNode();
        this.layout = new Layout(c.path("digestAlgorithm").asText("sha256").toLowerCase(Locale.ROOT),
                c.path("tupleSize").asInt(3), c.path("numberOfTuples").asInt(3),
                c.path("shortObjectRoot").asBoolean(false));
        digest(layout.digestAlgorithm(), "");     // an algorithm this JVM lacks stops start-up, not a request
        int hexLength = HexFormat.of().formatHex(digest(layout.digestAlgorithm(), "")).length();
        if (layout.tupleSize() < 0 || layout.numberOfTuples() < 0
                || layout.tupleSize() * layout.numberOfTuples() > hexLength) {
            throw new IOException(config + ": tupleSize x numberOfTuples exceeds the digest");
        }
        this.inventories = new FileCache<>(cacheSize, file -> Inventory.of(JSON.readTree(file.toFile()),
                file.endsWith(MUTABLE_HEAD_INVENTORY)));
        this.jsonFiles = new FileCache<>(cacheSize, file -> JSON.readTree(file.toFile()));
        this.rdfFiles = new FileCache<>(cacheSize, file -> NTriples.parse(Files.readString(file,
                StandardCharsets.UTF_8)));
    }

    Path root() {
        return root;
    }

    Layout layout() {
        return layout;
    }

    /** The object with this id, or null when the storage root holds none. */
    OcflObject object(String id) throws IOException {
        Path dir = root.resolve(layout.objectRoot(id));
        Inventory inventory;
        try {
            inventory = inventories.get(dir.resolve(MUTABLE_HEAD_INVENTORY));
            if (inventory == null) inventory = inventories.get(dir.resolve("inventory.json"));
        } catch (IllegalArgumentException | com.fasterxml.jackson.core.JacksonException e) {
            LOG.warn("Cannot read the inventory of OCFL object {} in {}: {}", id, dir, e.toString());
            return null;
        }
        if (inventory == null) return null;
        if (!inventory.id().equals(id)) {
            LOG.warn("OCFL object {} holds the inventory of {}", dir, inventory.id());
            return null;
        }
        return new OcflObject(dir, inventory);
    }

    /**
     * The object whose root folder is {@code dir} (found by walking the storage root), with the id its inventory
     * names, or null when the folder holds no readable inventory.
     */
    OcflObject objectAt(Path dir) throws IOException {
        try {
            Inventory inventory = inventories.get(dir.resolve(MUTABLE_HEAD_INVENTORY));
            if (inventory == null) inventory = inventories.get(dir.resolve("inventory.json"));
            return inventory == null ? null : new OcflObject(dir, inventory);
        } catch (IllegalArgumentException | com.fasterxml.jackson.core.JacksonException e) {
            LOG.warn("Cannot read the inventory of the OCFL object in {}: {}", dir, e.toString());
            return null;
        }
    }

    /**
     * The file holding a logical path's bytes in the object's current version: through its digest to the first of its
     * content paths that exists, which must lie inside the object's folder; null when there is none (the path is not
     * in the version, or its file moved: a mutable head committed since the inventory was read).
     */
    Path file(OcflObject object, String logicalPath) {
        for (String content : object.inventory().contentPaths(logicalPath)) {
            Path file = object.root().resolve(content).normalize();
            if (!file.startsWith(object.root()) || file.equals(object.root())) {
                LOG.warn("OCFL object {}: content path {} leads outside the object", object.root(), content);
                continue;
            }
            if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) return file;
        }
        return null;
    }

    /** A JSON file of the object (a Fedora resource header) by logical path, or null. */
    JsonNode json(OcflObject object, String logicalPath) throws IOException {
        Path file = file(object, logicalPath);
        return file == null ? null : jsonFiles.get(file);
    }

    /** An N-Triples file of the object (RDF of a container, description or ACL) by logical path, or null. */
    List<NTriples.Triple> rdf(OcflObject object, String logicalPath) throws IOException {
        Path file = file(object, logicalPath);
        return file == null ? null : rdfFiles.get(file);
    }

    /** Inventories read from disk so far (the rest came from memory). */
    long inventoryReads() {
        return inventories.reads();
    }

    static byte[] digest(String algorithm, String id) {
        String name = switch (algorithm) {
            case "sha256" -> "SHA-256";
            case "sha512" -> "SHA-512";
            case "sha1" -> "SHA-1";
            case "md5" -> "MD5";
            default -> algorithm;
        };
        try {
            return MessageDigest.getInstance(name).digest(id.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalArgumentException("OCFL storage layout: unknown digest algorithm " + algorithm, e);
        }
    }
}
