package org.vellum.fedora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vellum.api.ImageNotFoundException;
import org.vellum.api.ResolvedImage;

/** What the resolver does with a storage root that is damaged, tampered with or not Fedora's. */
class FedoraResolverTest {
    static final String ID = "info:fedora/c/p.jp2";

    private static FedoraFixture repository(Path dir) throws Exception {
        FedoraFixture f = new FedoraFixture(dir);
        f.repositoryRoot();
        f.container("info:fedora/c", "info:fedora");
        f.binary(ID, "info:fedora/c", FedoraFixture.jp2(120, 90, dir.resolve("scratch")));
        return f;
    }

    private static FedoraResolver resolver(FedoraFixture f) throws IOException {
        return FedoraResolver.create(FedoraSettings.fromEnvironment(Map.of("FEDORA_OCFL_ROOT",
                f.ocflRoot().toString())));
    }

    private static Path objectRoot(FedoraFixture f, String id) throws IOException {
        OcflStorage storage = new OcflStorage(f.ocflRoot(), 16);
        return storage.root().resolve(storage.layout().objectRoot(id));
    }

    @Test
    void theObjectRootIsTheHashedNTuplePathOfTheId(@TempDir Path dir) throws Exception {
        try (FedoraFixture f = repository(dir)) {
            assertTrue(Files.isDirectory(f.ocflRoot().resolve(
                    "141/964/af8/141964af842132b7a706ed010474c410514b472acc0d7d8f805c23e748578b8b")),
                    "info:fedora's object where the reference says");
            assertTrue(Files.exists(objectRoot(f, ID).resolve("inventory.json")));
            try (FedoraResolver r = resolver(f)) {
                ResolvedImage image = r.resolve(ID);
                assertEquals(objectRoot(f, ID).resolve("v1/content/p.jp2").toRealPath(), image.path());
            }
        }
    }

    @Test
    void aManifestPathLeadingOutOfTheObjectIsNotFollowed(@TempDir Path dir) throws Exception {
        try (FedoraFixture f = repository(dir)) {
            Path outside = Files.write(dir.resolve("outside.jp2"), FedoraFixture.jp2(120, 90, dir.resolve("scratch")));
            Path inventory = objectRoot(f, ID).resolve("inventory.json");
            String escape = "../".repeat(objectRoot(f, ID).getNameCount()) + outside.toString().substring(1);
            Files.writeString(inventory, Files.readString(inventory).replace("v1/content/p.jp2", escape));
            try (FedoraResolver r = resolver(f)) {
                assertThrows(ImageNotFoundException.class, () -> r.resolve(ID));
            }
        }
    }

    @Test
    void aSymbolicLinkOutOfTheStorageRootIsNotFollowed(@TempDir Path dir) throws Exception {
        try (FedoraFixture f = repository(dir)) {
            Path content = objectRoot(f, ID).resolve("v1/content/p.jp2");
            Path outside = Files.write(dir.resolve("outside.jp2"), Files.readAllBytes(content));
            Files.delete(content);
            Files.createSymbolicLink(content, outside);
            try (FedoraResolver r = resolver(f)) {
                assertThrows(ImageNotFoundException.class, () -> r.resolve(ID), "a linked file");
            }
            Files.delete(content);
            Files.write(content, Files.readAllBytes(outside));
            Path v1 = objectRoot(f, ID).resolve("v1");
            Path moved = Files.move(v1, dir.resolve("v1-elsewhere"));
            Files.createSymbolicLink(v1, moved);
            try (FedoraResolver r = resolver(f)) {
                assertThrows(ImageNotFoundException.class, () -> r.resolve(ID), "a linked folder");
            }
        }
    }

    @Test
    void aDamagedOrForeignInventoryIsNotFoundNotAnError(@TempDir Path dir) throws Exception {
        try (FedoraFixture f = repository(dir)) {
            Path inventory = objectRoot(f, ID).resolve("inventory.json");
            String good = Files.readString(inventory);
            Files.writeString(inventory, good.substring(0, good.length() / 2));
            try (FedoraResolver r = resolver(f)) {
                assertThrows(ImageNotFoundException.class, () -> r.resolve(ID), "truncated");
                Files.writeString(inventory, good.replace("\"id\":\"" + ID + "\"", "\"id\":\"info:fedora/other\""));
                assertThrows(ImageNotFoundException.class, () -> r.resolve(ID), "another object's");
                Files.writeString(inventory, good);
                assertTrue(r.resolve(ID).size() > 0, "read again once repaired");
            }
        }
    }

    @Test
    void aVanishedContentFileIsNotFound(@TempDir Path dir) throws Exception {
        try (FedoraFixture f = repository(dir); FedoraResolver r = resolver(f)) {
            r.resolve(ID);
            Files.delete(objectRoot(f, ID).resolve("v1/content/p.jp2"));
            assertThrows(ImageNotFoundException.class, () -> r.resolve(ID));
        }
    }

    @Test
    void aRootThatIsNotFedorasOcflStorageStopsStartUp(@TempDir Path dir) throws Exception {
        assertThrows(IOException.class, () -> FedoraResolver.create(FedoraSettings.fromEnvironment(Map.of(
                "FEDORA_OCFL_ROOT", dir.toString()))), "no ocfl_layout.json");
        Files.writeString(dir.resolve("ocfl_layout.json"),
                "{\"extension\":\"0002-flat-direct-storage-layout\",\"description\":\"flat\"}");
        IOException e = assertThrows(IOException.class, () -> FedoraResolver.create(FedoraSettings.fromEnvironment(
                Map.of("FEDORA_OCFL_ROOT", dir.toString()))));
        assertTrue(e.getMessage().contains("0004-hashed-n-tuple-storage-layout"), e.getMessage());
    }

    @Test
    void nTriplesAreReadWithEscapesLiteralsAndBlankNodes() {
        List<NTriples.Triple> t = NTriples.parse("""
                # a comment
                <info:fedora/a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://pcdm.org/use#ServiceFile> .
                <info:fedora/a> <http://purl.org/dc/terms/title> "A \\"quoted\\" title\\u00E9"@en .
                _:b0 <http://purl.org/dc/terms/extent> "12"^^<http://www.w3.org/2001/XMLSchema#int> .
                <info:fedora/a%20b> <http://example.org/p> <info:fedora/x\\u0020y> .
                not a triple
                """);
        assertEquals(4, t.size());
        assertEquals("http://pcdm.org/use#ServiceFile", t.get(0).object());
        assertEquals("A \"quoted\" titleé", t.get(1).object());
        assertTrue(t.get(1).objectIsLiteral());
        assertEquals("_:b0", t.get(2).subject());
        assertEquals("info:fedora/x y", t.get(3).object());
    }
}
