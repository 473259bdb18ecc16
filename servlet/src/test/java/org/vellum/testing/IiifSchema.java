package org.vellum.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

/**
 * The IIIF Presentation 3.0 JSON schema the tests validate manifests and collections against, for any module's tests:
 * Vellum's own, written from the specification's text ({@code presentation-3.schema.json} beside
 * {@code PresentationSchemaTest}). IIIF's validator schema ({@code schema/iiif_3_0.json} of IIIF's presentation
 * validator) is published on no registry the build reaches (neither npm nor Maven Central; see
 * {@code PresentationSchemaTest} for giving it by hand).
 */
public final class IiifSchema {
    public static final String RESOURCE = "/org/vellum/protocol/iiif/presentation-3.schema.json";
    private static volatile Schema ours;

    private IiifSchema() {
    }

    /** Vellum's schema (draft 2020-12). */
    public static Schema ours() {
        Schema s = ours;
        if (s == null) {
            try (InputStream in = IiifSchema.class.getResourceAsStream(RESOURCE)) {
                if (in == null) throw new IllegalStateException(RESOURCE + " is not on the class path");
                s = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            ours = s;
        }
        return s;
    }

    /** The document's violations of the schema, as text; empty when it is valid. */
    public static List<String> errors(JsonNode document) {
        return ours().validate(document).stream().map(Error::toString).toList();
    }
}
