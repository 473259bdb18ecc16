package org.vellum.fedora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vellum.fedora.FedoraEndToEndTest.iiif;
import static org.vellum.testing.Http.text;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.vellum.api.ResolverException;
import org.vellum.config.Settings;
import org.vellum.fedora.FedoraSample.Served;
import org.vellum.testing.Fixtures;
import org.vellum.testing.Http;

/**
 * FEDORA_WEBAC_AUTHORIZATION: the root authorization file Fedora reads ({@code fcrepo.auth.webac.authorization})
 * decides wherever no ACL in the repository applies, read as Fedora reads it (each subject with acl: statements one
 * authorization); ACLs in the repository still come first. A file that is missing or unparsable stops start-up, and
 * one that goes bad later makes Vellum not ready and its answers 503, never public by accident.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FedoraRootAuthorizationTest {
    static final Served OPEN = new Served("open/page.jp2", 260, 190);
    static final Served CLOSED = new Served("closed/page.jp2", 240, 170);
    static final Served SERVICE = new Served("closed/service.jp2", 250, 180);
    static final Served ORIGINAL = new Served("closed/original.jp2", 230, 160);

    /** The repository private to all but an administrator; foaf:Agent may only write (never read) the root. */
    static final String PRIVATE_ROOT = """
            @prefix acl: <http://www.w3.org/ns/auth/acl#> .
            @prefix foaf: <http://xmlns.com/foaf/0.1/> .
            @prefix webac: <http://fedora.info/definitions/v4/webac#> .

            <info:fedora/fcr:acl> a webac:Acl .
            # two authorizations: were they merged into one, foaf:Agent would read the root
            <info:fedora/fcr:acl#admin> a acl:Authorization ;
                acl:agent <info:fedora/fedoraAdmin> ;
                acl:mode acl:Read, acl:Write ;
                acl:accessTo <info:fedora> ;
                acl:default <info:fedora> .
            <info:fedora/fcr:acl#drop> a acl:Authorization ;
                acl:agentClass foaf:Agent ;
                acl:mode acl:Append ;
                acl:accessTo <info:fedora> .
            """;
    /** The public reads service files (by the rdf:type of their description), nothing else. */
    static final String SERVICE_FILES_PUBLIC = """
            @prefix acl: <http://www.w3.org/ns/auth/acl#> .
            @prefix foaf: <http://xmlns.com/foaf/0.1/> .
            @prefix pcdmuse: <http://pcdm.org/use#> .
            <#services> acl:agentClass foaf:Agent ; acl:mode acl:Read ; acl:accessToClass pcdmuse:ServiceFile .
            """;

    Path tmp;
    FedoraFixture fedora;

    @BeforeAll
    void setUp(@TempDir Path tmp) throws Exception {
        this.tmp = tmp;
        fedora = new FedoraFixture(tmp);
        Path scratch = tmp.resolve("scratch");
        String root = FedoraFixture.ROOT;
        fedora.repositoryRoot();                       // no ACL on the root: the root authorization decides
        String open = FedoraSample.id("open");
        fedora.container(open, root);
        fedora.acl(open, open, FedoraFixture.publicRead(open, true));
        fedora.binary(OPEN.id(), open, FedoraFixture.jp2(OPEN.width(), OPEN.height(), scratch));
        String closed = FedoraSample.id("closed");
        fedora.container(closed, root);
        for (Served s : new Served[] {CLOSED, SERVICE, ORIGINAL}) {
            fedora.binary(s.id(), closed, FedoraFixture.jp2(s.width(), s.height(), scratch));
        }
        fedora.description(SERVICE.id(), SERVICE.id(), "<" + SERVICE.id() + "> <" + FedoraFixture.RDF_TYPE
                + "> <" + FedoraSample.SERVICE + "> .\n");
        fedora.description(ORIGINAL.id(), ORIGINAL.id(), "<" + ORIGINAL.id() + "> <" + FedoraFixture.RDF_TYPE
                + "> <" + FedoraSample.ORIGINAL + "> .\n");
    }

    @AfterAll
    void tearDown() {
        if (fedora != null) fedora.close();
    }

    private Path file(String name, String turtle) throws IOException {
        return Files.writeString(Files.createDirectories(tmp.resolve("etc")).resolve(name), turtle);
    }

    private FedoraResolver resolver(Path rootAuthorization) throws IOException {
        return FedoraResolver.create(FedoraSettings.fromEnvironment(Map.of("FEDORA_OCFL_ROOT",
                fedora.ocflRoot().toString(), "FEDORA_WEBAC_AUTHORIZATION", rootAuthorization.toString())));
    }

    private static void assertServed(Http http, Served s) {
        HttpResponse<byte[]> r = http.get("/iiif/3/" + iiif(s.path()) + "/32,16,128,96/max/0/default.png");
        assertEquals(200, r.statusCode(), s.path() + ": " + text(r));
        assertFalse(Http.header(r, "Cache-Control").contains("private"), "public: shared caches may keep it");
        BufferedImage tile = Fixtures.decode(r.body());
        BufferedImage expected = Fixtures.colourGrid(s.width(), s.height()).getSubimage(32, 16, tile.getWidth(),
                tile.getHeight());
        assertTrue(Fixtures.meanError(expected, tile) < 1, s.path());
        assertEquals(200, http.get("/iip?FIF=" + iiif(s.path()) + "&obj=Max-size").statusCode(), s.path());
    }

    private static void assertForbidden(Http http, Served s) {
        assertEquals(403, http.get("/iiif/3/" + iiif(s.path()) + "/info.json").statusCode(), s.path());
        assertEquals(403, http.get("/iip?FIF=" + iiif(s.path()) + "&obj=Max-size").statusCode(), s.path());
    }

    @Test
    void withoutTheFileFedorasBuiltInRootAuthorizationLetsThePublicRead() throws Exception {
        try (FedoraResolver r = FedoraResolver.create(FedoraSettings.fromEnvironment(Map.of("FEDORA_OCFL_ROOT",
                fedora.ocflRoot().toString())));
             Http http = new Http(Settings.defaults(), r)) {
            assertServed(http, CLOSED);
            assertServed(http, OPEN);
        }
    }

    @Test
    void aPrivateRootAuthorizationKeepsTheRepositoryPrivateButASubtreesOwnAclOpensIt() throws Exception {
        try (FedoraResolver r = resolver(file("private-root.ttl", PRIVATE_ROOT));
             Http http = new Http(Settings.defaults(), r)) {
            assertForbidden(http, CLOSED);
            assertForbidden(http, SERVICE);
            assertServed(http, OPEN);
        }
    }

    @Test
    void aRootAuthorizationGrantsByTheTypeOfTheBinarysDescription() throws Exception {
        try (FedoraResolver r = resolver(file("services.ttl", SERVICE_FILES_PUBLIC));
             Http http = new Http(Settings.defaults(), r)) {
            assertServed(http, SERVICE);
            assertForbidden(http, ORIGINAL);
            assertForbidden(http, CLOSED);
            assertServed(http, OPEN);
        }
    }

    @Test
    void aRootAuthorizationMayNameAnAncestorInAccessTo() throws Exception {
        String closedOnly = "<#c> <http://www.w3.org/ns/auth/acl#agentClass> <http://xmlns.com/foaf/0.1/Agent> ;\n"
                + "  <http://www.w3.org/ns/auth/acl#mode> <http://www.w3.org/ns/auth/acl#Read> ;\n"
                + "  <http://www.w3.org/ns/auth/acl#accessTo> <info:fedora/closed> .\n";
        try (FedoraResolver r = resolver(file("closed.ttl", closedOnly));
             Http http = new Http(Settings.defaults(), r)) {
            assertServed(http, CLOSED);
            assertServed(http, ORIGINAL);
        }
    }

    @Test
    void anEditedFileCountsAtOnceAsInFedora() throws Exception {
        Path f = file("edited.ttl", SERVICE_FILES_PUBLIC);
        try (FedoraResolver r = resolver(f);
             Http http = new Http(Settings.defaults(), r)) {
            assertForbidden(http, CLOSED);
            Files.writeString(f, SERVICE_FILES_PUBLIC.replace("acl:accessToClass pcdmuse:ServiceFile",
                    "acl:accessTo <info:fedora>"));
            Files.setLastModifiedTime(f, FileTime.from(Instant.now().plusSeconds(5)));
            assertServed(http, CLOSED);
        }
    }

    @Test
    void aMissingOrUnparsableFileStopsStartUpNamingIt() throws Exception {
        Path missing = tmp.resolve("etc/nowhere.ttl");
        IOException gone = assertThrows(IOException.class, () -> resolver(missing));
        assertTrue(gone.getMessage().contains("FEDORA_WEBAC_AUTHORIZATION") && gone.getMessage().contains(
                missing.toString()), gone.getMessage());

        Path broken = file("broken.ttl", "@prefix acl: <http://www.w3.org/ns/auth/acl#> .\n<#a> acl:mode acl:Read");
        IOException bad = assertThrows(IOException.class, () -> resolver(broken));
        assertTrue(bad.getMessage().contains("not valid Turtle: line 2"), bad.getMessage());

        Path rdfXml = file("root.rdf", "<rdf:RDF/>");
        IOException other = assertThrows(IOException.class, () -> resolver(rdfXml));
        assertTrue(other.getMessage().contains("only Turtle"), other.getMessage());

        // through the WAR's and the launcher's provider too
        assertThrows(IOException.class, () -> new FedoraResolverProvider().create(
                org.vellum.api.settings.SettingSource.variables(Map.of("FEDORA_OCFL_ROOT",
                        fedora.ocflRoot().toString(), "FEDORA_WEBAC_AUTHORIZATION", broken.toString()))));

        IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
                () -> FedoraSettings.fromEnvironment(Map.of("FEDORA_OCFL_ROOT", fedora.ocflRoot().toString(),
                        "FEDORA_WEBAC_AUTHORIZATION", broken.toString(), "FEDORA_WEBAC_ROOT_PUBLIC", "false")));
        assertTrue(both.getMessage().contains("FEDORA_WEBAC_ROOT_PUBLIC"), both.getMessage());
    }

    @Test
    void withTrustTheFileIsNotReadAsWebAcDecidesNothing() throws Exception {
        try (FedoraResolver r = FedoraResolver.create(FedoraSettings.fromEnvironment(Map.of("FEDORA_OCFL_ROOT",
                fedora.ocflRoot().toString(), "FEDORA_ACCESS", "trust", "FEDORA_WEBAC_AUTHORIZATION",
                tmp.resolve("etc/absent.ttl").toString())))) {
            assertTrue(r.resolve(CLOSED.path()).personal());
            r.check();
        }
    }

    @Test
    void aFileThatGoesBadLaterMakesVellumNotReadyAndItsAnswers503() throws Exception {
        Path f = file("later.ttl", SERVICE_FILES_PUBLIC);
        try (FedoraResolver r = resolver(f);
             Http http = new Http(Settings.defaults(), r)) {
            assertEquals(200, http.get("/health/ready").statusCode());
            Files.writeString(f, "this is not turtle");
            Files.setLastModifiedTime(f, FileTime.from(Instant.now().plusSeconds(5)));
            HttpResponse<byte[]> ready = http.get("/health/ready");
            assertEquals(503, ready.statusCode(), text(ready));
            assertTrue(text(ready).contains("fedora-storage"), text(ready));
            assertEquals(503, http.get("/iiif/3/" + iiif(CLOSED.path()) + "/info.json").statusCode());
            ResolverException e = assertThrows(ResolverException.class, () -> r.resolve(SERVICE.path()));
            assertEquals(503, e.status());
            assertServed(http, OPEN);                  // its own ACL decides: the root authorization is not asked

            Files.delete(f);
            assertEquals(503, http.get("/health/ready").statusCode());
            assertEquals(503, http.get("/iiif/3/" + iiif(CLOSED.path()) + "/info.json").statusCode());

            Files.writeString(f, SERVICE_FILES_PUBLIC);
            assertEquals(200, http.get("/health/ready").statusCode());
            assertServed(http, SERVICE);
        }
    }

    @Test
    void theFileIsUtf8Text() throws Exception {
        Path f = tmp.resolve("etc/latin1.ttl");
        Files.createDirectories(f.getParent());
        Files.write(f, "<#a> <http://www.w3.org/2000/01/rdf-schema#label> \"caf\u00e9\" .\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        IOException e = assertThrows(IOException.class, () -> resolver(f));
        assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
    }
}
