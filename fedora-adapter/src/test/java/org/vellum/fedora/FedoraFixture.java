package org.vellum.fedora;

import static com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;

import org.fcrepo.storage.ocfl.CommitType;
import org.fcrepo.storage.ocfl.DefaultOcflObjectSessionFactory;
import org.fcrepo.storage.ocfl.OcflObjectSession;
import org.fcrepo.storage.ocfl.ResourceHeaders;
import org.fcrepo.storage.ocfl.cache.NoOpCache;
import org.vellum.testing.Fixtures;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.ocfl.api.MutableOcflRepository;
import io.ocfl.api.OcflConfig;
import io.ocfl.api.model.OcflVersion;
import io.ocfl.core.OcflRepositoryBuilder;
import io.ocfl.core.extension.storage.layout.config.HashedNTupleLayoutConfig;
import io.ocfl.core.path.mapper.LogicalPathMappers;
import io.ocfl.core.storage.OcflStorageBuilder;

/**
 * An OCFL storage root written by Fedora's own storage library ({@code fcrepo-storage-ocfl}), configured as Fedora
 * 6.4 configures it (hashed n-tuple layout, sha512, OCFL 1.1, the percent-encoding logical path mapper of Linux,
 * Fedora's resource headers), with the resources a test asks for. Commits are new versions unless the test asks for
 * unversioned ones (Islandora's {@code fcrepo.autoversioning.enabled=false}), which leave a mutable head.
 */
public final class FedoraFixture implements AutoCloseable {
    public static final String ROOT = "info:fedora";
    public static final String BASIC_CONTAINER = "http://www.w3.org/ns/ldp#BasicContainer";
    public static final String NON_RDF_SOURCE = "http://www.w3.org/ns/ldp#NonRDFSource";
    public static final String ACL_MODEL = "http://fedora.info/definitions/v4/webac#Acl";
    public static final String DESCRIPTION_MODEL = "http://fedora.info/definitions/v4/repository#NonRdfSourceDescription";
    static final String ACL = "http://www.w3.org/ns/auth/acl#";
    static final String FOAF_AGENT = "http://xmlns.com/foaf/0.1/Agent";
    static final String RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";

    private final Path root;
    private final Path work;
    private final MutableOcflRepository repository;
    private final DefaultOcflObjectSessionFactory sessions;

    public FedoraFixture(Path dir) throws IOException {
        root = Files.createDirectories(dir.resolve("ocfl-root"));
        work = Files.createDirectories(dir.resolve("ocfl-work"));
        Path staging = Files.createDirectories(dir.resolve("staging"));
        repository = new OcflRepositoryBuilder()
                .defaultLayoutConfig(new HashedNTupleLayoutConfig())
                .ocflConfig(new OcflConfig().setDefaultDigestAlgorithm(io.ocfl.api.DigestAlgorithmRegistry.sha512)
                        .setOcflVersion(OcflVersion.OCFL_1_1))
                .logicalPathMapper(LogicalPathMappers.percentEncodingLinuxMapper())
                .storage(OcflStorageBuilder.builder().fileSystem(root).build())
                .workDir(work)
                .buildMutable();
        ObjectMapper mapper = new ObjectMapper().configure(WRITE_DATES_AS_TIMESTAMPS, false)
                .registerModule(new JavaTimeModule()).setSerializationInclusion(JsonInclude.Include.NON_NULL);
        sessions = new DefaultOcflObjectSessionFactory(repository, staging, mapper, new NoOpCache<>(),
                new NoOpCache<>(), CommitType.NEW_VERSION, "Vellum test", "fedoraAdmin", "info:fedora/fedoraAdmin");
    }

    public Path ocflRoot() {
        return root;
    }

    /** The repository root, {@code info:fedora}, as Fedora creates it on first start. */
    public void repositoryRoot() {
        write(ROOT, s -> s.writeResource(container(ROOT, ROOT, false, true).build(), triples(ROOT)));
    }

    /** A container as its own OCFL object. */
    public void container(String id, String parent) {
        write(id, s -> s.writeResource(container(id, parent, false, true).build(), triples(id)));
    }

    /** A container as its own OCFL object, with its own triples (N-Triples, internal ids): a title, say. */
    public void container(String id, String parent, String ntriples) {
        write(id, s -> s.writeResource(container(id, parent, false, true).build(),
                new ByteArrayInputStream(ntriples.getBytes(StandardCharsets.UTF_8))));
    }

    /** An Archival Group with its own triples. */
    public void archivalGroup(String id, String parent, String ntriples) {
        write(id, s -> s.writeResource(container(id, parent, true, true).build(),
                new ByteArrayInputStream(ntriples.getBytes(StandardCharsets.UTF_8))));
    }

    /** An Archival Group: its members are written into its object by {@link #member}. */
    public void archivalGroup(String id, String parent) {
        write(id, s -> s.writeResource(container(id, parent, true, true).build(), triples(id)));
    }

    /** A container inside an Archival Group. */
    public void memberContainer(String agId, String id, String parent) {
        write(agId, s -> s.writeResource(container(id, parent, false, false).withArchivalGroupId(agId).build(),
                triples(id)));
    }

    /** A JPEG 2000 of a colour grid w x h, lossless, as the bytes of a binary at an object root. */
    public static byte[] jp2(int w, int h, Path scratch) {
        try {
            Path file = Fixtures.write(Files.createDirectories(scratch), UUID.randomUUID() + ".jp2",
                    Fixtures.colourGrid(w, h), Fixtures.lossless(3, 0));
            byte[] bytes = Files.readAllBytes(file);
            Files.delete(file);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A binary as its own OCFL object, committed as a new version or (unversioned) into the mutable head. */
    public void binary(String id, String parent, byte[] bytes, String mimeType, CommitType commit) {
        write(id, commit, s -> s.writeResource(binaryHeaders(id, parent, bytes, mimeType).withObjectRoot(true).build(),
                new ByteArrayInputStream(bytes)));
    }

    public void binary(String id, String parent, byte[] bytes) {
        binary(id, parent, bytes, "image/jp2", CommitType.NEW_VERSION);
    }

    /** A binary inside an Archival Group's object. */
    public void member(String agId, String id, String parent, byte[] bytes) {
        write(agId, s -> s.writeResource(binaryHeaders(id, parent, bytes, "image/jp2").withArchivalGroupId(agId)
                .build(), new ByteArrayInputStream(bytes)));
    }

    /** A binary whose bytes live elsewhere (Fedora proxies or redirects to them). */
    public void external(String id, String parent, String url) {
        ResourceHeaders h = base(id, parent, NON_RDF_SOURCE).withObjectRoot(true).withMimeType("image/jp2")
                .withExternalUrl(url).withExternalHandling("proxy").withContentSize(-1).build();
        write(id, s -> s.writeResource(h, null));
    }

    /** Deletes a binary at an object root as Fedora does: its header stays, marked deleted, its content goes. */
    public void tombstone(String id) {
        tombstone(id, CommitType.NEW_VERSION);
    }

    /** The same, into the mutable head when unversioned. */
    public void tombstone(String id, CommitType commit) {
        write(id, commit, s -> {
            ResourceHeaders h = s.readHeaders(id);
            s.deleteContentFile(ResourceHeaders.builder(h).withDeleted(true).withLastModifiedDate(Instant.now())
                    .build());
        });
    }

    /** The resource's {@code fcr:acl}, N-Triples with the internal ids, written into the object that holds it. */
    public void acl(String objectId, String resourceId, String ntriples) {
        String id = resourceId + "/fcr:acl";
        write(objectId, s -> s.writeResource(base(id, resourceId, ACL_MODEL).build(),
                new ByteArrayInputStream(ntriples.getBytes(StandardCharsets.UTF_8))));
    }

    /** A binary's {@code fcr:metadata}. */
    public void description(String objectId, String binaryId, String ntriples) {
        String id = binaryId + "/fcr:metadata";
        write(objectId, s -> s.writeResource(base(id, binaryId, DESCRIPTION_MODEL).build(),
                new ByteArrayInputStream(ntriples.getBytes(StandardCharsets.UTF_8))));
    }

    /** One WebAC authorization in N-Triples; {@code accessTo}, {@code accessToClass}, {@code def} may be null. */
    public static String authorization(String aclId, String name, String accessTo, String accessToClass,
            String agentClass, String mode, String def) {
        String s = "<" + aclId + "#" + name + ">";
        StringBuilder b = new StringBuilder();
        b.append(s).append(" <").append(RDF_TYPE).append("> <").append(ACL).append("Authorization> .\n");
        if (accessTo != null) b.append(s).append(" <").append(ACL).append("accessTo> <").append(accessTo).append("> .\n");
        if (accessToClass != null) {
            b.append(s).append(" <").append(ACL).append("accessToClass> <").append(accessToClass).append("> .\n");
        }
        b.append(s).append(" <").append(ACL).append("agentClass> <").append(agentClass).append("> .\n");
        b.append(s).append(" <").append(ACL).append("mode> <").append(ACL).append(mode).append("> .\n");
        if (def != null) b.append(s).append(" <").append(ACL).append("default> <").append(def).append("> .\n");
        return b.toString();
    }

    /** foaf:Agent may read the resource, and (with default) what lies below it. */
    public static String publicRead(String resourceId, boolean inherited) {
        return authorization(resourceId + "/fcr:acl", "public", resourceId, null, FOAF_AGENT, "Read",
                inherited ? resourceId : null);
    }

    private ResourceHeaders.Builder container(String id, String parent, boolean ag, boolean objectRoot) {
        return base(id, parent, BASIC_CONTAINER).withArchivalGroup(ag).withObjectRoot(objectRoot);
    }

    private ResourceHeaders.Builder binaryHeaders(String id, String parent, byte[] bytes, String mimeType) {
        return base(id, parent, NON_RDF_SOURCE).withMimeType(mimeType)
                .withFilename(id.substring(id.lastIndexOf('/') + 1)).withContentSize(bytes.length)
                .addDigest(URI.create("urn:sha-512:" + hex("SHA-512", bytes)));
    }

    private static ResourceHeaders.Builder base(String id, String parent, String model) {
        Instant now = Instant.now();
        return ResourceHeaders.builder().withHeadersVersion("1.0").withId(id).withParent(parent)
                .withInteractionModel(model).withStateToken(hex("MD5", (id + now).getBytes(StandardCharsets.UTF_8)))
                .withCreatedDate(now).withLastModifiedDate(now).withCreatedBy("fedoraAdmin")
                .withLastModifiedBy("fedoraAdmin");
    }

    private static InputStream triples(String id) {
        return new ByteArrayInputStream(("<" + id + "> <http://purl.org/dc/terms/title> \"" + id + "\" .\n")
                .getBytes(StandardCharsets.UTF_8));
    }

    private static String hex(String algorithm, byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @FunctionalInterface
    private interface Work {
        void apply(OcflObjectSession session) throws Exception;
    }

    private void write(String objectId, Work work) {
        write(objectId, CommitType.NEW_VERSION, work);
    }

    private void write(String objectId, CommitType commit, Work work) {
        OcflObjectSession session = sessions.newSession(objectId);
        try {
            session.commitType(commit);
            work.apply(session);
            session.commit();
        } catch (Exception e) {
            session.abort();
            throw new IllegalStateException("writing " + objectId + ": " + e, e);
        } finally {
            session.close();
        }
    }

    /** Commits an object's mutable head as a new version, as Fedora does on its next versioned commit. */
    public void commitMutableHead(String objectId) {
        repository.commitStagedChanges(objectId, new io.ocfl.api.model.VersionInfo().setMessage("commit"));
    }

    @Override
    public void close() {
        sessions.close();
        repository.close();
    }
}
