package org.vellum.protocol.iiif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vellum.config.Settings;
import org.vellum.testing.Http;
import org.vellum.testing.IiifSchema;

/**
 * Every kind of document Vellum writes, valid against a IIIF Presentation 3.0 JSON schema: ours
 * (presentation-3.schema.json, written from the specification's text; {@link IiifSchema}), and, when
 * {@code -Dvellum.iiifSchema=<file>} names one, any other. IIIF's own (its presentation validator's
 * schema/iiif_3_0.json) is published on PyPI inside the validator and on GitHub, neither of which the build reaches;
 * no npm package or Maven artifact ships it (searched 2026-12-05: the npm and Maven lists, npm's IIIF packages, the
 * validator's repository, code that vendors the file).
 */
class PresentationSchemaTest {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final List<String> DOCUMENTS = List.of("/iiif/presentation/book/manifest", "/iiif/presentation/big/manifest",
            "/iiif/presentation/shelf/collection", "/iiif/presentation/shelf/series/collection",
            "/iiif/presentation/shelf/vol2/manifest", "/iiif/presentation/collection", "/iiif/presentation/manifest");

    @TempDir
    static Path tmp;
    static Http vellum;
    static Schema ours;

    @BeforeAll
    static void start() throws Exception {
        Path images = PresentationTest.library(tmp);
        vellum = new Http(Settings.fromEnvironment(Map.of("FILESYSTEM_PREFIX", images.toString())));
        ours = IiifSchema.ours();
        System.out.println("PresentationSchemaTest: validating against Vellum's presentation-3.schema.json"
                + (System.getProperty("vellum.iiifSchema", "").isEmpty() ? "" : " and "
                + System.getProperty("vellum.iiifSchema")));
    }

    @AfterAll
    static void stop() throws Exception {
        if (vellum != null) vellum.close();
    }

    static JsonNode fetch(String path) throws Exception {
        return MAPPER.readTree(vellum.ok(path));
    }

    @Test
    void everyManifestAndCollectionIsValid() throws Exception {
        for (String path : DOCUMENTS) {
            List<Error> errors = ours.validate(fetch(path));
            assertEquals(List.of(), errors.stream().map(Error::toString).toList(), path);
        }
    }

    @Test
    void theSchemaRejectsACanvasWithoutItsSize() throws Exception {
        ObjectNode m = (ObjectNode) fetch("/iiif/presentation/book/manifest");
        ((ObjectNode) m.get("items").get(0)).remove("width");
        assertFalse(ours.validate(m).isEmpty(), "a canvas without width passed");
    }

    @Test
    void theSchemaRejectsPropertiesThePresentationApiDoesNotDefine() throws Exception {
        ObjectNode m = (ObjectNode) fetch("/iiif/presentation/book/manifest");
        m.put("viewingHint", "paged");        // Presentation 2's name for behavior
        assertFalse(ours.validate(m).isEmpty(), "a Presentation 2 property passed");
        ObjectNode c = (ObjectNode) fetch("/iiif/presentation/book/manifest");
        c.put("rights", "All rights reserved");
        assertFalse(ours.validate(c).isEmpty(), "rights that are no URI passed");
    }

    /** With -Dvellum.iiifSchema=path: the same documents against that schema (draft 7, as IIIF's validator uses). */
    @Test
    void everyDocumentIsValidAgainstAnExternalSchemaWhenOneIsGiven() throws Exception {
        String file = System.getProperty("vellum.iiifSchema", "");
        org.junit.jupiter.api.Assumptions.assumeFalse(file.isEmpty(), "no -Dvellum.iiifSchema given");
        ObjectNode node = (ObjectNode) MAPPER.readTree(Files.readString(Path.of(file)));
        node.remove("$schema");          // "http://json-schema.org/schema#" names no draft; it is written for draft 7
        Schema external = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(node);
        for (String path : DOCUMENTS) {
            List<Error> errors = external.validate(fetch(path));
            assertEquals(List.of(), errors.stream().map(Error::toString).toList(), path);
        }
    }
}
