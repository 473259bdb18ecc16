package org.vellum.fedora;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Fedora's root authorization: the authorizations that decide wherever no ACL in the repository applies. Fedora 6
 * takes them from the RDF file {@code fcrepo.auth.webac.authorization} names, else from its built-in
 * {@code root-authorization.ttl} (foaf:Agent acl:Read, {@code acl:accessTo} and {@code acl:default} the root). It
 * reads the file again whenever it asks ({@code WebACRolesProvider.getDefaultAuthorizations}), so an edit counts at
 * once; here it is read again when its modification time, size or identity change. As Fedora does, every subject of
 * the file with {@code acl:} statements is one authorization (no {@code rdf:type acl:Authorization} needed).
 *
 * <p>Where Fedora would fall back to its public built-in authorization (the file missing) or fail each request (the
 * file unparsable), Vellum refuses to start and, should the file go bad later, answers 503 and reports not ready: a
 * typing error in a path must never make a private repository public.
 */
final class RootAuthorization {
    /** Fedora 6's built-in root-authorization.ttl. */
    private static final List<WebAc.Authorization> FEDORA_DEFAULT = List.of(new WebAc.Authorization(
            Set.of(FedoraResource.ROOT), Set.of(), Set.of(WebAc.FOAF_AGENT), Set.of(WebAc.ACL + "Read"),
            Set.of(FedoraResource.ROOT)));

    /** The root authorization file cannot be read or parsed. */
    static final class Unreadable extends IOException {
        Unreadable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Path file;
    private final List<WebAc.Authorization> fixed;
    private Object stamp;
    private List<WebAc.Authorization> read;

    private RootAuthorization(Path file, List<WebAc.Authorization> fixed) {
        this.file = file;
        this.fixed = fixed;
    }

    /** Fedora's built-in one ({@code publicRead}), or one that lets foaf:Agent read nothing. */
    static RootAuthorization builtIn(boolean publicRead) {
        return new RootAuthorization(null, publicRead ? FEDORA_DEFAULT : List.of());
    }

    /**
     * The authorizations of this Turtle (or N-Triples) file, read now.
     *
     * @throws IOException naming the file and what is wrong with it
     */
    static RootAuthorization of(Path file) throws IOException {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!name.endsWith(".ttl") && !name.endsWith(".turtle") && !name.endsWith(".nt")) {
            // Fedora lets Jena guess the syntax from the name; only Turtle and N-Triples are read here
            throw new IOException("FEDORA_WEBAC_AUTHORIZATION " + file + ": only Turtle (.ttl) or N-Triples (.nt) "
                    + "root authorizations are read");
        }
        RootAuthorization r = new RootAuthorization(file.toAbsolutePath(), null);
        r.authorizations();
        return r;
    }

    /** The file, or null for a built-in authorization. */
    Path file() {
        return file;
    }

    /**
     * The root authorizations now.
     *
     * @throws IOException when the file is missing, unreadable or not valid Turtle
     */
    synchronized List<WebAc.Authorization> authorizations() throws IOException {
        if (fixed != null) return fixed;
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException e) {
            read = null;   // never the last good copy: the file's state now is what counts
            throw new Unreadable("FEDORA_WEBAC_AUTHORIZATION " + file + " cannot be read: " + e, e);
        }
        if (!a.isRegularFile()) throw new Unreadable("FEDORA_WEBAC_AUTHORIZATION " + file + " is not a file", null);
        Object now = List.of(a.lastModifiedTime().toMillis(), a.size(), String.valueOf(a.fileKey()));
        if (read != null && now.equals(stamp)) return read;
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (CharacterCodingException e) {
            read = null;
            throw new Unreadable("FEDORA_WEBAC_AUTHORIZATION " + file + " is not UTF-8 text", e);
        }
        try {
            read = authorizations(Turtle.parse(text, file.toUri()));
        } catch (Turtle.SyntaxException e) {
            read = null;
            throw new Unreadable("FEDORA_WEBAC_AUTHORIZATION " + file + " is not valid Turtle: " + e.getMessage(), e);
        }
        stamp = now;
        return read;
    }

    /** Each subject with {@code acl:} statements, one authorization (Fedora's getDefaultAuthorizations). */
    static List<WebAc.Authorization> authorizations(List<NTriples.Triple> triples) {
        Map<String, Map<String, Set<String>>> bySubject = new LinkedHashMap<>();
        for (NTriples.Triple t : triples) {
            if (!t.predicate().startsWith(WebAc.ACL)) continue;
            if (t.object().startsWith("_:") && !t.objectIsLiteral()) continue;     // Fedora keeps IRIs and literals
            bySubject.computeIfAbsent(t.subject(), k -> new HashMap<>())
                    .computeIfAbsent(t.predicate().substring(WebAc.ACL.length()), k -> new java.util.HashSet<>())
                    .add(t.object());
        }
        List<WebAc.Authorization> out = new ArrayList<>();
        for (Map<String, Set<String>> v : bySubject.values()) {
            out.add(new WebAc.Authorization(v.getOrDefault("accessTo", Set.of()),
                    v.getOrDefault("accessToClass", Set.of()), v.getOrDefault("agentClass", Set.of()),
                    v.getOrDefault("mode", Set.of()), v.getOrDefault("default", Set.of())));
        }
        return out;
    }
}
