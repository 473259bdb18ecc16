package org.vellum.fedora;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.vellum.api.settings.SettingsDocument;

/**
 * The metatype interface of PID org.vellum.fedora is what {@link FedoraSettings#DECLARED} renders (the Fedora table
 * of docs/settings.md is checked with the server's, in the bundle module). After changing a declaration, render both
 * again with {@value #RENDER}.
 */
class FedoraSettingsDocumentationTest {
    static final String RENDER = "mvn -o -q -pl bundle -am test -Dtest='*SettingsDocumentationTest' "
            + "-Dsurefire.failIfNoSpecifiedTests=false -Dvellum.writeSettingsDoc=true";
    private static final Path MODULE = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();

    @Test
    void theMetatypeOfPidOrgVellumFedoraIsRenderedFromTheDeclarations() throws IOException {
        Path file = MODULE.resolve("src/main/java/org/vellum/fedora/FedoraConfiguration.java");
        String rendered = SettingsDocument.configurationInterface(new SettingsDocument.Ocd("org.vellum.fedora",
                "FedoraConfiguration", "org.vellum.fedora", "Vellum Fedora resolver",
                "Serves Fedora 6 binaries from Fedora's OCFL storage root",
                """
                Every setting of {@link FedoraSettings}, as configuration PID {@value #PID}: each method is one \
                declaration of
                {@code FedoraSettings.DECLARED}, named by its property ({@code ocfl_root()} is {@code ocfl.root}), \
                with its default
                and its environment variable as its name."""),
                FedoraSettings.DECLARED, "Rendered from org.vellum.fedora.FedoraSettings.DECLARED; do not edit. "
                        + "After changing a declaration:\n" + RENDER);
        if (Boolean.getBoolean("vellum.writeSettingsDoc")) {
            Files.writeString(file, rendered);
            return;
        }
        assertEquals(rendered, Files.readString(file), MODULE.getFileName().resolve(MODULE.relativize(file))
                + " differs from what the declarations render; render it again with: " + RENDER);
    }
}
