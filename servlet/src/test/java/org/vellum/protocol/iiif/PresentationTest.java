package org.vellum.protocol.iiif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vellum.config.Settings;
import org.vellum.testing.Books;
import org.vellum.testing.Fixtures;
import org.vellum.testing.Http;

/**
 * IIIF Presentation 3.0 for folders over real HTTP: a folder of JPEG 2000 files is a Manifest, a folder of folders a
 * Collection, described by the folder's manifest.properties.
 */
class PresentationTest {
    @TempDir
    static Path tmp;
    static Path images;
    static Http vellum;
    static Http behindProxy;

    @BeforeAll
    static void start() throws Exception {
        images = library(tmp);
        vellum = new Http(Settings.fromEnvironment(Map.of("FILESYSTEM_PREFIX", images.toString())));
        behindProxy = new Http(Settings.fromEnvironment(Map.of("FILESYSTEM_PREFIX", images.toString(),
                "BASE_URL", "https://images.example.org/", "CORS", "https://repo.example.org")));
    }

    /**
     * The test library under {@code tmp/images}: book (3 pages, a sidecar, files that are no pages), big (120 pages),
     * shelf (folders of books and a folder of folders, an empty one), empty, a link out of the root, single.jp2.
     */
    static Path library(Path tmp) throws Exception {
        Path images = Files.createDirectories(tmp.resolve("images"));
        Path book = images.resolve("book");
        Books.writePage(book, "p10.jp2", 10, 260, 220);
        Books.writePage(book, "p2.jp2", 2, 280, 210);
        Books.writePage(book, "p1.jp2", 1, 300, 200);
        Books.writeText(book.resolve("notes.txt"), "not a page");
        Books.writeText(book.resolve("scan.tif"), "not a JPEG 2000 file either");
        Books.writeText(book.resolve(".hidden.jp2"), "hidden files are never pages");
        Books.writeText(book.resolve("manifest.properties"), """
                # the sidecar
                title = Liber Floridus
                summary = An encyclopaedia, c. 1120
                attribution = Ghent University Library
                rights = https://creativecommons.org/publicdomain/mark/1.0/
                direction = right-to-left
                paged = true
                label.p1.jp2 = Front cover
                meta.Author = Lambert of Saint-Omer
                meta.Date = c. 1120
                colour = blue
                """);
        Path big = images.resolve("big");
        for (int i = 120; i >= 1; i--) Books.writePage(big, "page" + i + ".jp2", i, 40, 30 + i % 7);
        Books.writePage(images.resolve("shelf/vol10"), "a.jp2", 1, 64, 64);
        Books.writePage(images.resolve("shelf/vol2"), "a.jp2", 2, 64, 64);
        Books.writePage(images.resolve("shelf/series/part-a"), "a.jp2", 3, 64, 64);
        Files.createDirectories(images.resolve("shelf/nothing-here"));
        Books.writeText(images.resolve("shelf/notes/readme.txt"), "no pages");
        Files.createDirectories(images.resolve("empty"));
        Books.writePage(tmp.resolve("outside/secret"), "s.jp2", 9, 64, 64);
        Files.createSymbolicLink(images.resolve("link"), tmp.resolve("outside/secret"));
        Fixtures.write(images, "single.jp2", Fixtures.colourGrid(64, 48), Fixtures.lossless(2, 0));
        return images;
    }

    @AfterAll
    static void stop() throws Exception {
        if (vellum != null) vellum.close();
        if (behindProxy != null) behindProxy.close();
    }

    static Map<String, Object> json(Http server, String path, String... headers) {
        HttpResponse<byte[]> r = server.get(path, headers);
        assertEquals(200, r.statusCode(), path + ": " + Http.text(r));
        return MiniJson.parse(Http.text(r));
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> items(Map<String, Object> doc) {
        return (List<Map<String, Object>>) doc.get("items");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> body(Map<String, Object> canvas) {
        Map<String, Object> page = items(canvas).get(0);
        return (Map<String, Object>) items(page).get(0).get("body");
    }

    @SuppressWarnings("unchecked")
    static String serviceId(Map<String, Object> canvas) {
        return (String) ((List<Map<String, Object>>) body(canvas).get("service")).get(0).get("id");
    }

    static Object none(Object languageMap) {
        return ((Map<?, ?>) languageMap).get("none");
    }

    @Test
    void pagesAreTheFolderImagesInNaturalOrder() {
        List<Map<String, Object>> canvases = items(json(vellum, "/iiif/presentation/book/manifest"));
        List<String> services = canvases.stream().map(PresentationTest::serviceId).toList();
        String base = vellum.server().baseUrl() + "/iiif/3/";
        assertEquals(List.of(base + "book%2Fp1.jp2", base + "book%2Fp2.jp2", base + "book%2Fp10.jp2"), services);
    }

    @Test
    void aLargeFolderListsEveryPageInNaturalOrder() {
        List<Map<String, Object>> canvases = items(json(vellum, "/iiif/presentation/big/manifest"));
        assertEquals(120, canvases.size());
        for (int i = 0; i < 120; i++) {
            assertTrue(serviceId(canvases.get(i)).endsWith("%2Fpage" + (i + 1) + ".jp2"), serviceId(canvases.get(i)));
            assertEquals((long) (30 + (i + 1) % 7), canvases.get(i).get("height"));
        }
    }

    @Test
    void eachCanvasHasItsImageSizeAndPaintsTheImageThroughImageApi3() {
        Map<String, Object> manifest = json(vellum, "/iiif/presentation/book/manifest");
        Map<String, Object> first = items(manifest).get(0);
        assertEquals("Canvas", first.get("type"));
        assertEquals(300L, first.get("width"));
        assertEquals(200L, first.get("height"));
        Map<String, Object> annotation = items(items(first).get(0)).get(0);
        assertEquals("painting", annotation.get("motivation"));
        assertEquals(first.get("id"), annotation.get("target"));
        Map<String, Object> body = body(first);
        assertEquals(300L, body.get("width"));
        assertEquals("image/jpeg", body.get("format"));
        String service = serviceId(first);
        Map<String, Object> info = json(vellum, service.substring(vellum.server().baseUrl().length()) + "/info.json");
        assertEquals(service, info.get("id"));
        assertEquals(300L, info.get("width"));
        assertEquals(200L, info.get("height"));
        // the thumbnail is a real image of the page
        @SuppressWarnings("unchecked")
        String thumb = (String) ((List<Map<String, Object>>) first.get("thumbnail")).get(0).get("id");
        var img = Fixtures.decode(vellum.ok(thumb.substring(vellum.server().baseUrl().length())));
        assertEquals(256, img.getWidth());                   // !256,256 of 300 x 200
        assertEquals(Books.colour(1).getRGB() & 0xFFFFFF, img.getRGB(2, 2) & 0xFFFFFF, 0x0);
    }

    @Test
    void theSidecarGivesTitleSummaryAttributionRightsDirectionPagedAndPageLabels() {
        Map<String, Object> m = json(vellum, "/iiif/presentation/book/manifest");
        assertEquals(List.of("Liber Floridus"), none(m.get("label")));
        assertEquals(List.of("An encyclopaedia, c. 1120"), none(m.get("summary")));
        assertEquals(List.of("Ghent University Library"), none(((Map<?, ?>) m.get("requiredStatement")).get("value")));
        assertEquals("http://creativecommons.org/publicdomain/mark/1.0/", m.get("rights"));
        assertEquals("right-to-left", m.get("viewingDirection"));
        assertEquals(List.of("paged"), m.get("behavior"));
        List<?> metadata = (List<?>) m.get("metadata");
        assertEquals(2, metadata.size());
        assertEquals(List.of("Date"), ((Map<?, ?>) ((Map<?, ?>) metadata.get(1)).get("label")).get("en"));
        List<Map<String, Object>> canvases = items(m);
        assertEquals(List.of("Front cover"), none(canvases.get(0).get("label")));
        assertEquals(List.of("2"), none(canvases.get(1).get("label")));    // unlabelled pages are numbered
        assertEquals(List.of("3"), none(canvases.get(2).get("label")));
    }

    @Test
    void withoutASidecarTheLabelIsTheFolderNameAndNothingIsPaged() {
        Map<String, Object> m = json(vellum, "/iiif/presentation/big/manifest");
        assertEquals(List.of("big"), none(m.get("label")));
        assertNull(m.get("behavior"));
        assertNull(m.get("viewingDirection"));
        assertNull(m.get("rights"));
    }

    @Test
    void aFolderOfFoldersIsACollectionOfItsManifestsAndCollections() {
        Map<String, Object> c = json(vellum, "/iiif/presentation/shelf/collection");
        assertEquals("Collection", c.get("type"));
        List<String> listed = new ArrayList<>();
        for (Map<String, Object> item : items(c)) {
            listed.add(item.get("type") + " " + none(item.get("label")) + " " + item.get("id"));
        }
        String base = vellum.server().baseUrl() + "/iiif/presentation/shelf/";
        assertEquals(List.of("Collection [series] " + base + "series/collection",
                "Manifest [vol2] " + base + "vol2/manifest", "Manifest [vol10] " + base + "vol10/manifest"), listed);
        Map<String, Object> series = json(vellum, "/iiif/presentation/shelf/series/collection");
        assertEquals("Manifest", items(series).get(0).get("type"));
        assertEquals(1, items(json(vellum, "/iiif/presentation/shelf/series/part-a/manifest")).size());
    }

    @Test
    void theImageFolderItselfIsTheRootCollection() {
        List<String> labels = items(json(vellum, "/iiif/presentation/collection")).stream()
                .map(i -> String.valueOf(none(i.get("label")))).toList();
        assertEquals(List.of("[big]", "[book]", "[shelf]"), labels);   // no empty folder, no link out of the root
        assertEquals(1, items(json(vellum, "/iiif/presentation/manifest")).size());   // single.jp2
    }

    @Test
    void anEmptyFolderHasNoManifestAndNoCollection() {
        assertEquals(404, vellum.get("/iiif/presentation/empty/manifest").statusCode());
        assertEquals(404, vellum.get("/iiif/presentation/empty/collection").statusCode());
        assertEquals(404, vellum.get("/iiif/presentation/book/collection").statusCode());
        assertEquals(404, vellum.get("/iiif/presentation/shelf/manifest").statusCode());
        assertEquals(404, vellum.get("/iiif/presentation/no-such-folder/manifest").statusCode());
        assertEquals(404, vellum.get("/iiif/presentation/single.jp2/manifest").statusCode());
        assertEquals(404, vellum.get("/iiif/presentation/book/sequence").statusCode());
    }

    @Test
    void pathsNeverLeaveTheImageFolder() {
        for (String path : List.of("/iiif/presentation/..%2Foutside%2Fsecret/manifest",
                "/iiif/presentation/%2E%2E/outside/secret/manifest", "/iiif/presentation/link/manifest",
                "/iiif/presentation/%2Fetc/collection", "/iiif/presentation/book%00/manifest",
                "/iiif/presentation/%C3%28/manifest")) {
            HttpResponse<byte[]> r = vellum.get(path);
            assertTrue(r.statusCode() == 403 || r.statusCode() == 404 || r.statusCode() == 400,
                    path + " -> " + r.statusCode() + " " + Http.text(r));
            assertFalse(Http.text(r).contains("secret/s.jp2"), Http.text(r));
        }
        assertEquals(403, vellum.get("/iiif/presentation/link/manifest").statusCode());
    }

    @Test
    void idsFollowBaseUrlLikeTheImageIds() {
        Map<String, Object> m = json(behindProxy, "/iiif/presentation/book/manifest");
        assertEquals("https://images.example.org/iiif/presentation/book/manifest", m.get("id"));
        assertEquals("https://images.example.org/iiif/3/book%2Fp1.jp2", serviceId(items(m).get(0)));
        assertTrue(((String) items(m).get(0).get("id")).startsWith("https://images.example.org/iiif/presentation/book/"));
    }

    @Test
    void idsFollowForwardedHeadersLikeTheImageIds() {
        Map<String, Object> m = json(vellum, "/iiif/presentation/book/manifest", "X-Forwarded-Proto", "https",
                "X-Forwarded-Host", "books.example.org");
        assertEquals("https://books.example.org/iiif/presentation/book/manifest", m.get("id"));
        assertEquals("https://books.example.org/iiif/3/book%2Fp1.jp2", serviceId(items(m).get(0)));
        Map<String, Object> c = json(vellum, "/iiif/presentation/shelf/collection", "X-Forwarded-Proto", "https",
                "X-Forwarded-Host", "books.example.org");
        assertTrue(((String) items(c).get(0).get("id")).startsWith("https://books.example.org/iiif/presentation/"));
    }

    @Test
    void corsAndCachingComeFromTheOnePolicy() {
        HttpResponse<byte[]> open = vellum.get("/iiif/presentation/book/manifest", "Origin", "https://a.example");
        assertEquals("*", Http.header(open, "Access-Control-Allow-Origin"));
        assertEquals("application/json", Http.header(open, "Content-Type"));
        assertEquals("Accept", Http.header(open, "Vary"));
        assertTrue(Http.header(open, "Cache-Control").startsWith("max-age") || Http.header(open, "Cache-Control")
                .contains("public"), Http.header(open, "Cache-Control"));
        HttpResponse<byte[]> narrow = behindProxy.get("/iiif/presentation/book/manifest", "Origin",
                "https://repo.example.org");
        assertEquals("https://repo.example.org", Http.header(narrow, "Access-Control-Allow-Origin"));
        HttpResponse<byte[]> ld = vellum.get("/iiif/presentation/book/manifest", "Accept", "application/ld+json");
        assertEquals("application/ld+json;profile=\"http://iiif.io/api/presentation/3/context.json\"",
                Http.header(ld, "Content-Type"));
        HttpResponse<byte[]> preflight = vellum.send("OPTIONS", "/iiif/presentation/book/manifest", "Origin",
                "https://a.example", "Access-Control-Request-Method", "GET");
        assertEquals("*", Http.header(preflight, "Access-Control-Allow-Origin"));
    }

    @Test
    void aManifestIsRevalidatedAndChangesWithItsFolder() throws Exception {
        Path dir = images.resolve("growing");
        Books.writePage(dir, "p1.jp2", 1, 50, 40);
        HttpResponse<byte[]> first = vellum.get("/iiif/presentation/growing/manifest");
        String etag = Http.header(first, "ETag");
        assertTrue(etag != null && etag.startsWith("\""), etag);
        assertEquals(304, vellum.get("/iiif/presentation/growing/manifest", "If-None-Match", etag).statusCode());
        assertEquals(304, vellum.get("/iiif/presentation/growing/manifest", "If-Modified-Since",
                Http.header(first, "Last-Modified")).statusCode());
        Books.writePage(dir, "p2.jp2", 2, 60, 40);
        Files.setLastModifiedTime(dir, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 2000));
        HttpResponse<byte[]> second = vellum.get("/iiif/presentation/growing/manifest", "If-None-Match", etag);
        assertEquals(200, second.statusCode());
        assertNotEquals(etag, Http.header(second, "ETag"));
        assertEquals(2, items(MiniJson.parse(Http.text(second))).size());
        // the sidecar alone changing is a change too
        Books.writeText(dir.resolve("manifest.properties"), "title = Grown\n");
        Files.setLastModifiedTime(dir.resolve("manifest.properties"),
                java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 4000));
        Map<String, Object> third = json(vellum, "/iiif/presentation/growing/manifest");
        assertEquals(List.of("Grown"), none(third.get("label")));
    }

    @Test
    void theManifestAsksNothingOfTheServerThatItCannotAnswer() {
        Map<String, Object> m = json(vellum, "/iiif/presentation/shelf/vol2/manifest");
        assertEquals(vellum.server().baseUrl() + "/iiif/presentation/shelf/vol2/manifest", m.get("id"));
        String body = (String) body(items(m).get(0)).get("id");
        assertEquals(200, vellum.get(body.substring(vellum.server().baseUrl().length())).statusCode());
    }
}
