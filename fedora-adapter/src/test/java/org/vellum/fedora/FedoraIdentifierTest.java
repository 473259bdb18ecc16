package org.vellum.fedora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.vellum.api.ResolverException;

class FedoraIdentifierTest {
    static final String REST = "https://repo.example.org/fcrepo/rest";
    static final List<FedoraSettings.Prefix> PREFIXES = FedoraSettings.prefixesOf(List.of("/_flysystem/fedora/=",
            "hyrax:=prod/"));

    private static String parse(String identifier) throws ResolverException {
        return FedoraIdentifier.parse(identifier, REST, PREFIXES);
    }

    @Test
    void aResourceUriLosesTheRestRootAndIsUrlDecoded() throws Exception {
        assertEquals("info:fedora/a/b/page 1.jp2", parse(REST + "/a/b/page%201.jp2"));
        assertEquals("info:fedora/a/b/50%.jp2", parse(REST + "/a/b/50%25.jp2"));
        assertEquals("info:fedora/a/b+c.jp2", parse(REST + "/a/b+c.jp2"), "a plus stays a plus in a path");
        assertEquals("info:fedora/a/b", parse(REST + "/a/b/"), "Fedora drops a trailing slash");
    }

    @Test
    void aUriOfAnotherHostIsRecognisedByItsRestSegment() throws Exception {
        assertEquals("info:fedora/x/y.jp2", parse("http://fcrepo:8080/fcrepo/rest/x/y.jp2"));
        assertEquals("info:fedora/x/y z.jp2", FedoraIdentifier.parse("http://fcrepo/rest/x/y%20z.jp2", "", List.of()));
    }

    @Test
    void anInternalIdAndAPathAreTakenAsTheyAre() throws Exception {
        assertEquals("info:fedora/a/b/50%25.jp2", parse("info:fedora/a/b/50%25.jp2"));
        assertEquals("info:fedora/a/b/page 1.jp2", parse("a/b/page 1.jp2"));
        assertEquals("info:fedora/a/b.jp2", parse("/a/b.jp2"));
    }

    @Test
    void prefixesMapFrontEndUrlsBelowTheRestRootWhateverTheirHost() throws Exception {
        assertEquals("info:fedora/2024-01/x y.jp2", parse("/_flysystem/fedora/2024-01/x%20y.jp2"));
        assertEquals("info:fedora/2024-01/x.jp2", parse("https://drupal.example.org/_flysystem/fedora/2024-01/x.jp2"));
        assertEquals("info:fedora/prod/ab/cd.jp2", parse("hyrax:ab/cd.jp2"));
    }

    @Test
    void whatCannotNameABinaryIsABadRequest() {
        for (String bad : List.of("a/../b.jp2", "a/./b.jp2", "a//b.jp2", REST + "/a/%2e%2e/b.jp2", "a/b.jp2/fcr:metadata",
                "a/b.jp2/fcr:acl", REST + "/a/b%zz.jp2", REST + "/a/b%2", "https://other.example.org/files/a.jp2",
                "a/b\u0000.jp2", "", "x".repeat(5000))) {
            ResolverException e = assertThrows(ResolverException.class, () -> parse(bad), bad);
            assertEquals(400, e.status(), bad);
        }
    }

    @Test
    void theRepositoryRootIsItsOwnId() throws Exception {
        assertEquals("info:fedora", parse(REST + "/"));
        assertEquals("info:fedora", parse("info:fedora"));
    }
}
