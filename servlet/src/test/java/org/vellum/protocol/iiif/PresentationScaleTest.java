package org.vellum.protocol.iiif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vellum.api.ResolvedImage;
import org.vellum.image.ImageEngine;
import org.vellum.config.Settings;
import org.vellum.testing.Books;
import org.vellum.testing.Http;

/**
 * On demand (bench/RESULTS.md): {@code -Dvellum.bench.pages=1500} makes a folder of that many pages and times its
 * manifest cold (every page's header read), warm (kept for the folder's mtime), and after a page is added (listing
 * again, headers from the engine's cache). Skipped without the property: making the pages takes a while.
 */
class PresentationScaleTest {
    @TempDir
    Path tmp;

    @Test
    void aManifestOfManyPages() throws Exception {
        int pages = Integer.getInteger("vellum.bench.pages", 0);
        assumeTrue(pages > 0, "on demand: -Dvellum.bench.pages=N");
        Path book = Files.createDirectories(tmp.resolve("images/book"));
        long made = System.nanoTime();
        for (int i = 1; i <= pages; i++) Books.writePage(book, String.format("f%d.jp2", i), i, 64 + i % 5, 48);
        System.out.printf("made %d pages in %d ms%n", pages, (System.nanoTime() - made) / 1_000_000);
        // the same pages again under another name: its manifest is the first this server makes (classes loaded,
        // code not yet compiled), so that the book's own cold manifest measures the folder, not the JVM
        Path other = Files.createDirectories(tmp.resolve("images/other"));
        try (var files = Files.list(book)) {
            for (Path f : (Iterable<Path>) files::iterator) Files.copy(f, other.resolve(f.getFileName()));
        }
        try (Http vellum = new Http(Settings.fromEnvironment(Map.of("FILESYSTEM_PREFIX",
                tmp.resolve("images").toString())))) {
            vellum.ok("/iiif/3/book%2Ff1.jp2/info.json");    // classes and the native library loaded
            long first = time(vellum, "other", pages);
            long cold = time(vellum, "book", pages);
            long warm = Long.MAX_VALUE;
            for (int i = 0; i < 5; i++) warm = Math.min(warm, time(vellum, "book", pages));
            Books.writePage(book, "f0.jp2", 0, 64, 48);
            Files.setLastModifiedTime(book, FileTime.fromMillis(System.currentTimeMillis() + 2000));
            long changed = time(vellum, "book", pages + 1);
            System.out.printf("manifest of %d pages: the server's first %d ms; then another folder's cold %d ms, "
                    + "warm %d ms (best of 5), after a page was added %d ms%n", pages, first, cold, warm, changed);
        }
        // the pages' sizes alone, one after the other, on a server that has read none of them: the boxes and SIZ
        // marker in Java (what manifests use) against OpenJPEG's header through the decoder pool (what they used)
        try (Http fresh = new Http(Settings.fromEnvironment(Map.of("FILESYSTEM_PREFIX",
                tmp.resolve("images").toString())))) {
            ImageEngine engine = fresh.server().vellum().engine();
            List<ResolvedImage> files = new ArrayList<>();
            for (int i = 1; i <= pages; i++) files.add(engine.resolve("book/f" + i + ".jp2", null));
            long java = System.nanoTime();
            for (ResolvedImage f : files) engine.size(f);
            java = System.nanoTime() - java;
            long openjpeg = System.nanoTime();
            for (ResolvedImage f : files) engine.info(f);
            openjpeg = System.nanoTime() - openjpeg;
            System.out.printf("sizes of %d pages, one thread: boxes and SIZ in Java %d ms, OpenJPEG header through "
                    + "the decoder pool %d ms%n", pages, java / 1_000_000, openjpeg / 1_000_000);
        }
    }

    private static long time(Http vellum, String folder, int pages) {
        long start = System.nanoTime();
        HttpResponse<byte[]> r = vellum.get("/iiif/presentation/" + folder + "/manifest");
        long ms = (System.nanoTime() - start) / 1_000_000;

        assertEquals(200, r.statusCode());
        assertEquals(pages, PresentationTest.items(MiniJson.parse(Http.text(r))).size());
        return ms;
    }
}
