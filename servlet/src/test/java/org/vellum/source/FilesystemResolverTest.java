package org.vellum.source;

import org.vellum.api.ForbiddenPathException;
import org.vellum.api.ImageNotFoundException;
import org.vellum.api.ImageSequence;
import org.vellum.api.ResolvedImage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FILESYSTEM_PREFIX + identifier + FILESYSTEM_SUFFIX, confined to the prefix folder. */
class FilesystemResolverTest {
    @TempDir
    Path tmp;
    Path root;
    Path outside;
    FilesystemResolver resolver;

    @BeforeEach
    void files() throws Exception {
        root = Files.createDirectories(tmp.resolve("root"));
        outside = Files.createDirectories(tmp.resolve("outside"));
        Files.createDirectories(root.resolve("sub"));
        Files.write(root.resolve("a.jp2"), new byte[] {1, 2, 3});
        Files.write(root.resolve("sub/b.jp2"), new byte[] {4, 5});
        Files.write(outside.resolve("secret.jp2"), new byte[] {6});
        Files.write(tmp.resolve("rootsibling.jp2"), new byte[] {7});
        resolver = new FilesystemResolver(root, "");
    }

    @Test
    void anIdentifierIsAPathBelowTheRoot() throws Exception {
        Files.setLastModifiedTime(root.resolve("sub/b.jp2"), FileTime.from(Instant.parse("2024-01-02T03:04:05Z")));
        ResolvedImage img = resolver.resolve("sub/b.jp2");
        assertEquals(root.resolve("sub/b.jp2").toRealPath(), img.path());
        assertEquals(2, img.size());
        assertEquals(Instant.parse("2024-01-02T03:04:05Z").toEpochMilli(), img.lastModified());
        assertEquals("sub/b.jp2", img.identifier());
    }

    @Test
    void aLeadingSlashIsConcatenatedNotAbsolute() throws Exception {
        assertEquals(root.resolve("a.jp2").toRealPath(), resolver.resolve("/a.jp2").path());
        assertEquals(root.resolve("a.jp2").toRealPath(), resolver.resolve("//a.jp2").path());
    }

    @Test
    void theSuffixIsAppended() throws Exception {
        FilesystemResolver suffixed = new FilesystemResolver(root, ".jp2");
        assertEquals(root.resolve("a.jp2").toRealPath(), suffixed.resolve("a").path());
    }

    @Test
    void dotDotLeadingOutOfTheRootIsForbidden() {
        assertThrows(ForbiddenPathException.class, () -> resolver.resolve("../outside/secret.jp2"));
        assertThrows(ForbiddenPathException.class, () -> resolver.resolve("sub/../../outside/secret.jp2"));
        assertThrows(ForbiddenPathException.class, () -> resolver.resolve("..\\outside\\secret.jp2"));
        assertThrows(ForbiddenPathException.class, () -> resolver.resolve("../rootsibling.jp2"));
    }

    @Test
    void dotDotStayingInsideTheRootIsFine() throws Exception {
        assertEquals(root.resolve("a.jp2").toRealPath(), resolver.resolve("sub/../a.jp2").path());
    }

    @Test
    void anAbsolutePathIsReadBelowTheRoot() {
        String abs = outside.resolve("secret.jp2").toAbsolutePath().toString();
        assertThrows(ImageNotFoundException.class, () -> resolver.resolve(abs));
    }

    @Test
    void aSymlinkLeadingOutOfTheRootIsForbidden() throws Exception {
        Files.createSymbolicLink(root.resolve("link.jp2"), outside.resolve("secret.jp2"));
        Files.createSymbolicLink(root.resolve("linkdir"), outside);
        assertThrows(ForbiddenPathException.class, () -> resolver.resolve("link.jp2"));
        assertThrows(ForbiddenPathException.class, () -> resolver.resolve("linkdir/secret.jp2"));
    }

    @Test
    void aSymlinkStayingInsideTheRootIsFollowed() throws Exception {
        Files.createSymbolicLink(root.resolve("alias.jp2"), root.resolve("sub/b.jp2"));
        assertEquals(root.resolve("sub/b.jp2").toRealPath(), resolver.resolve("alias.jp2").path());
    }

    @Test
    void aRootReachedThroughASymlinkStillConfines() throws Exception {
        Path linkedRoot = Files.createSymbolicLink(tmp.resolve("linkedroot"), root);
        FilesystemResolver viaLink = new FilesystemResolver(linkedRoot, "");
        assertEquals(root.resolve("a.jp2").toRealPath(), viaLink.resolve("a.jp2").path());
        Files.createSymbolicLink(root.resolve("link.jp2"), outside.resolve("secret.jp2"));
        assertThrows(ForbiddenPathException.class, () -> viaLink.resolve("link.jp2"));
        assertThrows(ForbiddenPathException.class, () -> viaLink.resolve("../outside/secret.jp2"));
    }

    @Test
    void missingFilesFoldersAndOddNamesAreNotFound() {
        assertThrows(ImageNotFoundException.class, () -> resolver.resolve("nothere.jp2"));
        assertThrows(ImageNotFoundException.class, () -> resolver.resolve("sub"));
        assertThrows(ImageNotFoundException.class, () -> resolver.resolve(""));
        assertThrows(ImageNotFoundException.class, () -> resolver.resolve(null));
        assertThrows(ImageNotFoundException.class, () -> resolver.resolve("a.jp2\0.png"));
        ImageNotFoundException e = assertThrows(ImageNotFoundException.class, () -> resolver.resolve("x/y.jp2"));
        assertTrue(e.getMessage().contains("x/y.jp2 is neither a file nor part of an image sequence"));
    }

    @Test
    void anIdentifierNamingNoFileNamesTheImageSequenceAroundIt() throws Exception {
        for (String name : List.of("book_pyr_000_090.jp2", "book_pyr_001_090.jp2", "book_pyr_010_090.jp2",
                "book_pyr_000_045.jp2", "book_pyr_0002_090.jp2", "book_pyr_003_090.tif", "book_pyr_x_090.jp2")) {
            Files.write(root.resolve("sub/" + name), new byte[] {9});
        }
        ImageSequence s = resolver.sequence("sub/book", null);
        assertEquals(List.of(0, 1, 10), s.horizontal());          // other extensions and non-%03d names are no views
        assertEquals(List.of(45, 90), s.vertical());
        assertEquals("sub/book_pyr_010_090.jp2", s.member(10, 90));
        ResolvedImage first = resolver.resolve("sub/book");
        assertEquals(root.resolve("sub/book_pyr_000_090.jp2").toRealPath(), first.path());
        assertEquals("sub/book", first.identifier());
        assertEquals(root.resolve("sub/book_pyr_001_090.jp2").toRealPath(), resolver.resolve(s.member(1, 90)).path());
        assertNull(resolver.sequence("a.jp2", null));                 // a file is a single image
        assertNull(resolver.sequence("sub/nobook", null));
        assertNull(new FilesystemResolver(root, "", "_seq_").sequence("sub/book", null));
        // with a suffix, a member's own identifier still resolves
        FilesystemResolver suffixed = new FilesystemResolver(root, ".jp2", "_pyr_");
        assertEquals(root.resolve("sub/book_pyr_001_090.jp2").toRealPath(), suffixed.resolve(s.member(1, 90)).path());
        Files.write(root.resolve("sub/book_pyr_000_090.jpx"), new byte[] {9});
        ImageNotFoundException e = assertThrows(ImageNotFoundException.class, () -> resolver.sequence("sub/book", null));
        assertTrue(e.getMessage().startsWith("There are multiple file extensions matching"));
    }

    @Test
    void sequencesStayInsideTheRoot() throws Exception {
        Files.write(outside.resolve("book_pyr_000_090.jp2"), new byte[] {9});
        Files.write(tmp.resolve("book_pyr_000_090.jp2"), new byte[] {9});
        assertThrows(ForbiddenPathException.class, () -> resolver.sequence("../outside/book", null));
        assertThrows(ForbiddenPathException.class, () -> resolver.resolve("../book"));
        Files.createSymbolicLink(root.resolve("out"), outside);
        assertThrows(ForbiddenPathException.class, () -> resolver.sequence("out/book", null));
        Files.createSymbolicLink(root.resolve("leak_pyr_000_090.jp2"), outside.resolve("book_pyr_000_090.jp2"));
        assertThrows(ForbiddenPathException.class, () -> resolver.resolve("leak"));
    }
}
