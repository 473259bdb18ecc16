package org.vellum.dspace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.vellum.api.settings.SettingsDocument;

/**
 * The metatype interface of PID org.vellum.dspace is what {@link DspaceSettings#DECLARED} renders (the DSpace table
 * of docs/settings.md is checked with the server's, in the bundle module). After changing a declaration, render
 * both again with {@value #RENDER}.
 */
class DspaceSettingsDocumentationTest {
    static final String RENDER = "mvn -o -q -pl bundle -am test -Dtest='*SettingsDocumentationTest' "
            + "-Dsurefire.failIfNoSpecifiedTests=false -Dvellum.writeSettingsDoc=true";
    private static final Path MODULE = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();

    @Test
    void theMetatypeOfPidOrgVellumDspaceIsRenderedFromTheDeclarations() throws IOException {
        Path file = MODULE.resolve("src/main/java/org/vellum/dspace/DspaceConfiguration.java");
        String rendered = SettingsDocument.configurationInterface(new SettingsDocument.Ocd("org.vellum.dspace",
                "DspaceConfiguration", "org.vellum.dspace", "Vellum DSpace resolver",
                "Serves DSpace bitstream UUIDs and handles from DSpace's assetstore",
                """
                Every setting of {@link DspaceSettings}, as configuration PID {@value #PID}: each method is one \
                declaration of
                {@code DspaceSettings.DECLARED}, named by its property ({@code db_url()} is {@code db.url}), with its \
                default and its
                environment variable as its name."""),
                DspaceSettings.DECLARED, "Rendered from org.vellum.dspace.DspaceSettings.DECLARED; do not edit. "
                        + "After changing a declaration:\n" + RENDER);
        if (Boolean.getBoolean("vellum.writeSettingsDoc")) {
            Files.writeString(file, rendered);
            return;
        }
        assertEquals(rendered, Files.readString(file), MODULE.getFileName().resolve(MODULE.relativize(file))
                + " differs from what the declarations render; render it again with: " + RENDER);
    }
}
