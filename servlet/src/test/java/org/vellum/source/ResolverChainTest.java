package org.vellum.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vellum.api.ForbiddenPathException;
import org.vellum.api.ImageNotFoundException;
import org.vellum.api.ImageResolver;
import org.vellum.api.ResolverException;

/** The rule the OSGi runtime, the WAR and the embedded launcher ask their resolvers by, over real image folders. */
class ResolverChainTest {
    @TempDir
    Path tmp;
    FilesystemResolver first;
    FilesystemResolver second;
    final List<String> askedLast = new ArrayList<>();

    @BeforeEach
    void folders() throws Exception {
        Path a = Files.createDirectories(tmp.resolve("a"));
        Path b = Files.createDirectories(tmp.resolve("b"));
        Files.write(a.resolve("both.jp2"), new byte[] {1});
        Files.write(b.resolve("both.jp2"), new byte[] {1, 2});
        Files.write(b.resolve("second.jp2"), new byte[] {1, 2, 3});
        first = new FilesystemResolver(a, "");
        second = new FilesystemResolver(b, "");
    }

    /** Stands for a resolver after the others and records what reaches it. */
    private ImageResolver recorder() {
        return id -> {
            askedLast.add(id);
            throw new ImageNotFoundException(id + ": not in the recorder");
        };
    }

    @Test
    void theFirstResolverThatFindsTheImageAnswers() throws Exception {
        assertEquals(1, new ResolverChain(List.of(first, second)).resolve("both.jp2").size());
    }

    @Test
    void notFoundPassesTheIdentifierOn() throws Exception {
        assertEquals(3, new ResolverChain(List.of(first, second)).resolve("second.jp2").size());
    }

    @Test
    void forbiddenIsFinal() {
        ResolverChain chain = new ResolverChain(List.of(first, recorder()));
        assertThrows(ForbiddenPathException.class, () -> chain.resolve("../b/second.jp2"));
        assertEquals(List.of(), askedLast);
    }

    @Test
    void anIdentifierThatIsNotAResolversOwnPassesOnButAnOutageIsFinal() throws Exception {
        ImageResolver malformed = id -> {
            throw new ResolverException(400, "not a handle");
        };
        ImageResolver down = id -> {
            throw new ResolverException(503, "repository unreachable");
        };
        assertEquals(3, new ResolverChain(List.of(malformed, second)).resolve("second.jp2").size());
        ResolverException e = assertThrows(ResolverException.class,
                () -> new ResolverChain(List.of(down, second)).resolve("second.jp2"));
        assertEquals(503, e.status());
    }

    @Test
    void whenNobodyHasItTheFirstNotFoundIsTheAnswerElseTheFirst400() {
        ImageResolver malformed = id -> {
            throw new ResolverException(400, "not a handle");
        };
        ImageNotFoundException nf = assertThrows(ImageNotFoundException.class,
                () -> new ResolverChain(List.of(malformed, first, recorder())).resolve("none.jp2"));
        assertEquals(List.of("none.jp2"), askedLast);
        assertEquals(false, nf.getMessage().contains("recorder"));
        ResolverException e = assertThrows(ResolverException.class,
                () -> new ResolverChain(List.of(malformed)).resolve("none.jp2"));
        assertEquals(400, e.status());
    }

    @Test
    void sequencesArePassedOnToTheResolverThatKnowsThem() throws Exception {
        Path b = tmp.resolve("b");
        Files.write(b.resolve("book_pyr_000_090.jp2"), new byte[] {1});
        Files.write(b.resolve("book_pyr_001_090.jp2"), new byte[] {1});
        ResolverChain chain = new ResolverChain(List.of(first, second));
        assertNotNull(chain.sequence("book", null), "the second folder's sequence");
        assertNull(chain.sequence("both.jp2", null), "a single image is no sequence");
        assertThrows(ForbiddenPathException.class, () -> chain.sequence("../b/book", null));
    }
}
