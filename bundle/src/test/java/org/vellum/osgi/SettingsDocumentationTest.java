package org.vellum.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.vellum.api.settings.SettingsDocument;
import org.vellum.config.Settings;
import org.vellum.dspace.DspaceSettings;
import org.vellum.fedora.FedoraSettings;

/**
 * docs/settings.md and the metatype interface are what the declarations render, so a setting is declared once and its
 * documentation, OSGi property, default and metatype description cannot drift apart. After changing a declaration,
 * render them again with {@value #RENDER}.
 */
class SettingsDocumentationTest {
    static final String RENDER = "mvn -o -q -pl bundle -am test -Dtest='*SettingsDocumentationTest' "
            + "-Dsurefire.failIfNoSpecifiedTests=false -Dvellum.writeSettingsDoc=true";
    private static final Path MODULE = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
    private static final Path ROOT = MODULE.getParent();

    @Test
    void docsSettingsMdIsRenderedFromTheDeclarations() throws IOException {
        check(ROOT.resolve("docs/settings.md"), settingsPage());
    }

    @Test
    void theMetatypeOfPidOrgVellumIsRenderedFromTheDeclarations() throws IOException {
        check(MODULE.resolve("src/main/java/org/vellum/osgi/VellumConfiguration.java"),
                SettingsDocument.configurationInterface(new SettingsDocument.Ocd("org.vellum.osgi",
                        "VellumConfiguration", "org.vellum", "Vellum",
                        "JPEG 2000 image server: every setting, with its iipsrv environment variable as its name",
                        """
                        Every setting of {@link org.vellum.config.Settings}, as configuration PID {@value #PID}: \
                        each method is one declaration
                        of {@code Settings.DECLARED}, named by its property, with its default and its environment \
                        variable as its name.
                        Values are checked and clamped exactly as the environment's are; a property left out keeps \
                        the declared default
                        (0 or -1 means "automatic" where the default depends on the machine)."""),
                        Settings.DECLARED, "Rendered from org.vellum.config.Settings.DECLARED; do not edit. After changing a "
                        + "declaration:\n" + RENDER));
    }

    static String settingsPage() {
        return """
                # Settings

                <!-- Rendered from the declarations (org.vellum.config.Settings.DECLARED, \
                org.vellum.dspace.DspaceSettings.DECLARED,
                     org.vellum.fedora.FedoraSettings.DECLARED);
                     do not edit. After changing a declaration:
                     %s -->

                Every setting has an environment variable (iipsrv's name where iipsrv has the setting), which is also \
                a context
                parameter of the WAR's `web.xml`, and a property of the OSGi configuration. Values are taken from the \
                defaults, then
                the environment, then the WAR's context parameters; in OSGi from the configuration alone. A value \
                that cannot be read
                as its type leaves the default (with a warning); values out of range are clamped.

                ## Vellum

                OSGi configuration PID `org.vellum`.

                %s
                ## DSpace adapter

                OSGi configuration PID `org.vellum.dspace`; for the embedded launcher (`org.vellum.server.Main` with the \
                adapter on its class path) the environment. Unlike the server's, a value that cannot be read, or is refused, stops start-up with a message naming it.

                %s
                ## Fedora adapter

                OSGi configuration PID `org.vellum.fedora`; for the WAR, context parameters or the environment; for
                the embedded launcher (`org.vellum.server.Main`) the environment. As the DSpace
                adapter's, a value that cannot be read, or is refused, stops start-up with a message naming it \
                ([fedora.md](fedora.md)).

                %s""".formatted(RENDER, SettingsDocument.markdownTable(Settings.DECLARED),
                SettingsDocument.markdownTable(DspaceSettings.DECLARED),
                SettingsDocument.markdownTable(FedoraSettings.DECLARED));
    }

    /** Fails when the file differs from what the declarations render; rewrites it with -Dvellum.writeSettingsDoc=true. */
    private static void check(Path file, String rendered) throws IOException {
        if (Boolean.getBoolean("vellum.writeSettingsDoc")) {
            Files.writeString(file, rendered);
            return;
        }
        String actual = Files.exists(file) ? Files.readString(file) : "";
        assertEquals(rendered, actual, ROOT.relativize(file) + " differs from what the declarations render; "
                + "render it again with: " + RENDER);
    }
}
