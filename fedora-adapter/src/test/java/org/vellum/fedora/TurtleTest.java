package org.vellum.fedora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Turtle 1.1 as Fedora's root authorization files are written, and the errors that must stop start-up. */
class TurtleTest {
    private static final URI BASE = URI.create("file:///etc/fcrepo/root-acl.ttl");
    private static final String ACL = "http://www.w3.org/ns/auth/acl#";
    private static final String TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";

    private static List<NTriples.Triple> parse(String text) throws Turtle.SyntaxException {
        return Turtle.parse(text, BASE);
    }

    private static NTriples.Triple t(String s, String p, String o) {
        return new NTriples.Triple(s, p, o, false);
    }

    @Test
    void fedorasOwnRootAuthorizationReadsAsItsTriples() throws Exception {
        List<NTriples.Triple> triples = parse("""
                @prefix acl: <http://www.w3.org/ns/auth/acl#> .
                @prefix foaf: <http://xmlns.com/foaf/0.1/> .
                @prefix webac: <http://fedora.info/definitions/v4/webac#> .
                @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

                <info:fedora/fcr:acl> a webac:Acl .

                <info:fedora/fcr:acl#authz> a acl:Authorization ;
                   rdfs:label "Root Authorization" ;
                   rdfs:comment "By default, all non-Admin agents (foaf:Agent) only have read access" ;
                   acl:agentClass foaf:Agent ;
                   acl:mode acl:Read ;
                   acl:accessTo <info:fedora> ;
                   acl:default <info:fedora> .
                """);
        String a = "info:fedora/fcr:acl#authz";
        assertEquals(List.of(t("info:fedora/fcr:acl", TYPE, "http://fedora.info/definitions/v4/webac#Acl"),
                t(a, TYPE, ACL + "Authorization"),
                new NTriples.Triple(a, "http://www.w3.org/2000/01/rdf-schema#label", "Root Authorization", true),
                new NTriples.Triple(a, "http://www.w3.org/2000/01/rdf-schema#comment",
                        "By default, all non-Admin agents (foaf:Agent) only have read access", true),
                t(a, ACL + "agentClass", "http://xmlns.com/foaf/0.1/Agent"), t(a, ACL + "mode", ACL + "Read"),
                t(a, ACL + "accessTo", "info:fedora"), t(a, ACL + "default", "info:fedora")), triples);
    }

    @Test
    void relativeIrisResolveAgainstTheFileAndBaseAndSparqlDirectivesCount() throws Exception {
        List<NTriples.Triple> triples = parse("""
                PREFIX acl: <http://www.w3.org/ns/auth/acl#>
                <> acl:mode acl:Read, acl:Write ; ; acl:accessTo <#x> .  # a comment
                @base <http://example.org/a/> .
                <b> acl:agent <../c> .
                """);
        assertEquals(List.of(t("file:///etc/fcrepo/root-acl.ttl", ACL + "mode", ACL + "Read"),
                t("file:///etc/fcrepo/root-acl.ttl", ACL + "mode", ACL + "Write"),
                t("file:///etc/fcrepo/root-acl.ttl", ACL + "accessTo", "file:///etc/fcrepo/root-acl.ttl#x"),
                t("http://example.org/a/b", ACL + "agent", "http://example.org/c")), triples);
    }

    @Test
    void blankNodesCollectionsLongStringsNumbersAndBooleansAreRead() throws Exception {
        List<NTriples.Triple> triples = parse("""
                @prefix : <http://example.org/> .
                [ :p "x" ] :q _:b1 .
                _:b1 :list ( 1 -2.5 1e3 ) ; :flag true ; :text \"""two
                lines \\"quoted\\"\"""@en ; :typed "5"^^<http://www.w3.org/2001/XMLSchema#int> ; :u "\\u00e9" .
                :s:x :p :o.
                """);
        assertEquals(new NTriples.Triple("_:genid0", "http://example.org/p", "x", true), triples.get(0));
        assertEquals(t("_:genid0", "http://example.org/q", "_:b_b1"), triples.get(1));
        assertTrue(triples.contains(new NTriples.Triple("_:b_b1", "http://example.org/flag", "true", true)));
        assertTrue(triples.contains(new NTriples.Triple("_:b_b1", "http://example.org/text",
                "two\nlines \"quoted\"", true)));
        assertTrue(triples.contains(new NTriples.Triple("_:b_b1", "http://example.org/u", "\u00e9", true)));
        assertTrue(triples.contains(new NTriples.Triple("_:b_b1", "http://example.org/typed", "5", true)));
        assertTrue(triples.contains(new NTriples.Triple("_:genid2", TYPE.replace("type", "first"), "-2.5", true)));
        assertTrue(triples.contains(t("http://example.org/s:x", "http://example.org/p", "http://example.org/o")));
        assertEquals(14, triples.size());
    }

    @Test
    void nTriplesIsTurtle() throws Exception {
        assertEquals(List.of(t("info:fedora", ACL + "mode", ACL + "Read")),
                parse("<info:fedora> <" + ACL + "mode> <" + ACL + "Read> .\n"));
    }

    @Test
    void malformedTurtleIsAnErrorNamingItsLine() {
        for (String bad : List.of("@prefix acl: <http://www.w3.org/ns/auth/acl#> .\n<a> acl:mode acl:Read",
                "<a> undeclared:mode <b> .", "<a> <b> \"open .", "<a> <b> <c> . \n\n<a b> <c> <d> .",
                "@prefix x <http://x/> .", "<a> <b> [ <c> <d> .", "\"lit\" <b> <c> .", "<a> <b> \"\\q\" .")) {
            Turtle.SyntaxException e = assertThrows(Turtle.SyntaxException.class, () -> parse(bad), bad);
            assertTrue(e.getMessage().startsWith("line "), e.getMessage());
        }
        Turtle.SyntaxException e = assertThrows(Turtle.SyntaxException.class,
                () -> parse("<a> <b> <c> .\n\n<a b> <c> <d> ."));
        assertTrue(e.getMessage().startsWith("line 3:"), e.getMessage());
    }
}
