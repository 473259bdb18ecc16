package org.vellum.fedora;

import static org.vellum.fedora.FedoraFixture.ACL;
import static org.vellum.fedora.FedoraFixture.FOAF_AGENT;
import static org.vellum.fedora.FedoraFixture.RDF_TYPE;
import static org.vellum.fedora.FedoraFixture.authorization;
import static org.vellum.fedora.FedoraFixture.publicRead;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.fcrepo.storage.ocfl.CommitType;

/**
 * The repository the tests serve, written by Fedora's storage library: every case of issue 18, each binary a JPEG 2000
 * of its own size, so an answer's size names the file it came from.
 */
public final class FedoraSample {
    /** A binary the tests expect served, by its path below the REST root. */
    public record Served(String path, int width, int height) {
        public String id() {
            return FedoraFixture.ROOT + "/" + path;
        }
    }

    /** At an object root, public through the root's inherited ACL. */
    public static final Served PAGE = new Served("objects/page1.jp2", 700, 500);
    /** A name with a space and a percent sign: stored as page%2050%25.jp2. */
    public static final Served ODD_NAME = new Served("objects/page 50%.jp2", 301, 203);
    /** Inside an Archival Group, in a container of it. */
    public static final Served AG_PAGE = new Served("book/pages/p1.jp2", 400, 300);
    /** The same bytes again in the Archival Group: one content file for two logical paths. */
    public static final Served AG_COPY = new Served("book/pages/p1-copy.jp2", 400, 300);
    /** Own ACL (public) below a private subtree. */
    public static final Served OPEN_IN_PRIVATE = new Served("private/open.jp2", 230, 170);
    /** Public through acl:accessToClass and the rdf:type of its description. */
    public static final Served SERVICE_FILE = new Served("classy/service.jp2", 250, 190);
    /** Below a container whose ACL has no acl:default: that ACL is passed over, the root's applies. */
    public static final Served BELOW_ACL_WITHOUT_DEFAULT = new Served("nodefault/page.jp2", 260, 180);
    /** Written with unversioned commits: in the mutable head. */
    public static final Served DRAFT = new Served("drafts/scan.jp2", 320, 240);

    public static final List<Served> SERVED = List.of(PAGE, ODD_NAME, AG_PAGE, AG_COPY, OPEN_IN_PRIVATE, SERVICE_FILE,
            BELOW_ACL_WITHOUT_DEFAULT, DRAFT);

    /** A private subtree's binary (acl:default for acl:AuthenticatedAgent only). */
    public static final Served SECRET = new Served("private/secret.jp2", 200, 150);
    /** Its own ACL gives foaf:Agent acl:Write only. */
    public static final Served WRITE_ONLY = new Served("private/writeonly.jp2", 210, 150);
    /** accessToClass does not match its type. */
    public static final Served MASTER_FILE = new Served("classy/master.jp2", 240, 180);
    public static final String TOMBSTONE = "objects/deleted.jp2";
    public static final String EXTERNAL = "objects/external.jp2";
    public static final String NOT_JP2 = "objects/readme.txt";
    public static final String CONTAINER = "objects";

    static final String AUTHENTICATED = ACL + "AuthenticatedAgent";
    static final String SERVICE = "http://pcdm.org/use#ServiceFile";
    static final String ORIGINAL = "http://pcdm.org/use#OriginalFile";

    private FedoraSample() {
    }

    /** Writes the sample into a new OCFL storage root under {@code dir}. */
    public static FedoraFixture write(Path dir) throws Exception {
        FedoraFixture f = new FedoraFixture(dir);
        Path scratch = dir.resolve("scratch");
        String root = FedoraFixture.ROOT;
        f.repositoryRoot();
        f.acl(root, root, publicRead(root, true));

        f.container(id("objects"), root);
        f.binary(PAGE.id(), id("objects"), FedoraFixture.jp2(PAGE.width(), PAGE.height(), scratch));
        f.binary(ODD_NAME.id(), id("objects"), FedoraFixture.jp2(ODD_NAME.width(), ODD_NAME.height(), scratch));
        f.binary(id(TOMBSTONE), id("objects"), FedoraFixture.jp2(90, 60, scratch));
        f.tombstone(id(TOMBSTONE));
        f.external(id(EXTERNAL), id("objects"), "http://images.example.org/elsewhere.jp2");
        f.binary(id(NOT_JP2), id("objects"), "not an image".getBytes(StandardCharsets.UTF_8), "text/plain",
                CommitType.NEW_VERSION);

        String book = id("book");
        f.archivalGroup(book, root);
        f.memberContainer(book, id("book/pages"), book);
        byte[] p1 = FedoraFixture.jp2(AG_PAGE.width(), AG_PAGE.height(), scratch);
        f.member(book, AG_PAGE.id(), id("book/pages"), p1);
        f.member(book, AG_COPY.id(), id("book/pages"), p1);

        String priv = id("private");
        f.container(priv, root);
        f.acl(priv, priv, authorization(priv + "/fcr:acl", "staff", priv, null, AUTHENTICATED, "Read", priv));
        f.binary(SECRET.id(), priv, FedoraFixture.jp2(SECRET.width(), SECRET.height(), scratch));
        f.binary(OPEN_IN_PRIVATE.id(), priv, FedoraFixture.jp2(OPEN_IN_PRIVATE.width(), OPEN_IN_PRIVATE.height(),
                scratch));
        f.acl(OPEN_IN_PRIVATE.id(), OPEN_IN_PRIVATE.id(), publicRead(OPEN_IN_PRIVATE.id(), false));
        f.binary(WRITE_ONLY.id(), priv, FedoraFixture.jp2(WRITE_ONLY.width(), WRITE_ONLY.height(), scratch));
        f.acl(WRITE_ONLY.id(), WRITE_ONLY.id(), authorization(WRITE_ONLY.id() + "/fcr:acl", "w", WRITE_ONLY.id(),
                null, FOAF_AGENT, "Write", null));

        String classy = id("classy");
        f.container(classy, root);
        f.acl(classy, classy, authorization(classy + "/fcr:acl", "services", null, SERVICE, FOAF_AGENT, "Read",
                classy));
        f.binary(SERVICE_FILE.id(), classy, FedoraFixture.jp2(SERVICE_FILE.width(), SERVICE_FILE.height(), scratch));
        f.description(SERVICE_FILE.id(), SERVICE_FILE.id(), typed(SERVICE_FILE.id(), SERVICE));
        f.binary(MASTER_FILE.id(), classy, FedoraFixture.jp2(MASTER_FILE.width(), MASTER_FILE.height(), scratch));
        f.description(MASTER_FILE.id(), MASTER_FILE.id(), typed(MASTER_FILE.id(), ORIGINAL));

        String nodefault = id("nodefault");
        f.container(nodefault, root);
        // were this ACL (no acl:default) taken for the page below, foaf:Agent could only write: 403
        f.acl(nodefault, nodefault, authorization(nodefault + "/fcr:acl", "w", nodefault, null, FOAF_AGENT, "Write",
                null));
        f.binary(BELOW_ACL_WITHOUT_DEFAULT.id(), nodefault, FedoraFixture.jp2(BELOW_ACL_WITHOUT_DEFAULT.width(),
                BELOW_ACL_WITHOUT_DEFAULT.height(), scratch));

        f.container(id("drafts"), root);
        f.binary(DRAFT.id(), id("drafts"), FedoraFixture.jp2(DRAFT.width(), DRAFT.height(), scratch), "image/jp2",
                CommitType.UNVERSIONED);
        return f;
    }

    static String id(String path) {
        return FedoraFixture.ROOT + "/" + path;
    }

    private static String typed(String id, String type) {
        return "<" + id + "> <" + RDF_TYPE + "> <" + type + "> .\n";
    }
}
