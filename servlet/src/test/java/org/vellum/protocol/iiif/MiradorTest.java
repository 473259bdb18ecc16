package org.vellum.protocol.iiif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vellum.config.Settings;
import org.vellum.testing.Books;
import org.vellum.testing.Chromium;
import org.vellum.testing.Http;
import org.vellum.testing.NpmPackages;
import org.vellum.testing.PageServer;

/**
 * Mirador 4 (npm {@code mirador}, fetched at test time) in headless Chromium, on a page of another loopback origin,
 * opening a folder's manifest: it lists the folder's canvases and draws the first page's image.
 */
class MiradorTest {
    static final String MIRADOR = "4.0.0";

    @TempDir
    static Path tmp;
    static Http vellum;
    static PageServer pages;
    static Path mirador;

    @BeforeAll
    static void start() throws Exception {
        Path images = Files.createDirectories(tmp.resolve("images"));
        Path book = images.resolve("book");
        Books.writePage(book, "f1.jp2", 1, 900, 1200);
        Books.writePage(book, "f2.jp2", 2, 900, 1200);
        Books.writePage(book, "f10.jp2", 3, 900, 1200);
        Books.writeText(book.resolve("manifest.properties"), """
                title = Mirador's book
                paged = true
                label.f1.jp2 = Folio one
                label.f2.jp2 = Folio two
                label.f10.jp2 = Folio ten
                """);
        vellum = new Http(Settings.fromEnvironment(Map.of("FILESYSTEM_PREFIX", images.toString())));
        pages = PageServer.start(path -> {
            if (path.equals("/mirador.js") && mirador != null) {
                return new PageServer.Page(Files.readAllBytes(mirador), "application/javascript");
            }
            if (path.equals("/")) {
                return new PageServer.Page(page(vellum.server().baseUrl() + "/iiif/presentation/book/manifest")
                        .getBytes(StandardCharsets.UTF_8), "text/html; charset=utf-8");
            }
            return null;
        });
    }

    @AfterAll
    static void stop() throws Exception {
        if (pages != null) pages.close();
        if (vellum != null) vellum.close();
    }

    /** Mirador with one window on the manifest, its canvas index open; the page reports Mirador's state. */
    static String page(String manifest) {
        return """
                <!DOCTYPE html><html><head><meta charset="utf-8"><title>mirador</title>
                <style>html,body{margin:0;height:100%} #mirador{position:absolute;inset:0}</style></head><body>
                <div id="mirador"></div><pre id="result" style="display:none">pending</pre>
                <script src="/mirador.js"></script>
                <script>
                var errors = [];
                window.onerror = function (m) { errors.push('script: ' + m); };
                var mirador = Mirador.viewer({
                    id: 'mirador',
                    windows: [{manifestId: 'MANIFEST', thumbnailNavigationPosition: 'off'}],
                    window: {allowClose: false, sideBarOpen: true, defaultSideBarPanel: 'canvas', panels: {canvas: true}},
                    workspaceControlPanel: {enabled: false}
                });
                function report() {
                    var state = mirador.store.getState();
                    var m = state.manifests['MANIFEST'] || {};
                    var labels = Array.prototype.map.call(document.querySelectorAll('[role=listitem], li'),
                        function (e) { return e.textContent.trim(); }).filter(function (t) { return t; });
                    document.getElementById('result').textContent = 'RESULT' + JSON.stringify({errors: errors,
                        manifestError: m.error ? String(m.error) : '', fetched: !!m.json,
                        canvases: m.json && m.json.items ? m.json.items.length : 0, listed: labels,
                        openSeadragon: document.querySelectorAll('.openseadragon-canvas canvas').length}) + 'END';
                }
                setInterval(report, 500);
                </script></body></html>
                """.replace("MANIFEST", manifest);
    }

    static String url() {
        return pages.origin() + "/";
    }

    static void requireMirador() throws Exception {
        assumeTrue(Chromium.available(), "no Chromium at " + Chromium.BINARY + " (bin/install-deps test installs it)");
        mirador = NpmPackages.fetch("mirador", MIRADOR, "dist/mirador.min.js");
        assumeTrue(mirador != null, "npm could not fetch mirador@" + MIRADOR);
    }

    @Test
    @SuppressWarnings("unchecked")
    void miradorListsTheCanvasesOfAFolderManifest() throws Exception {
        requireMirador();
        String dom = Chromium.dom(tmp, url(), 1200, 900, 20000);
        Matcher m = Pattern.compile("RESULT(.*?)END", Pattern.DOTALL).matcher(dom);
        assertTrue(m.find(), "the page did not report: " + dom);
        Map<String, Object> r = MiniJson.parse(m.group(1).replace("&quot;", "\"").replace("&amp;", "&"));
        assertEquals(List.of(), r.get("errors"), r.toString());
        assertEquals("", r.get("manifestError"), r.toString());
        assertEquals(3L, r.get("canvases"), r.toString());
        String listed = String.join("|", (List<String>) r.get("listed"));
        int one = listed.indexOf("Folio one");
        int two = listed.indexOf("Folio two");
        int ten = listed.indexOf("Folio ten");
        assertTrue(one >= 0 && one < two && two < ten, "the canvas index lists the pages in order: " + listed);
        assertTrue((Long) r.get("openSeadragon") >= 1, "no OpenSeadragon canvas: " + r);
    }

    @Test
    void miradorDrawsTheFirstPage() throws Exception {
        requireMirador();
        // Chromium's virtual time does not wait for the tiles Mirador's OpenSeadragon loads from scripts: on a loaded
        // machine the screenshot came before them although the server answered each within 0.4 s. So this test looks
        // in real time, until page 1 shows or a minute has passed.
        int page1 = Books.colour(1).getRGB();
        BufferedImage shot = Chromium.screenshotWhen(tmp, url(), 1200, 900, 60_000, "mirador-first-page",
                s -> Chromium.share(s, page1, 12) > 0.05);
        double first = Chromium.share(shot, Books.colour(1).getRGB(), 12);
        double second = Chromium.share(shot, Books.colour(2).getRGB(), 12);
        assertTrue(first > 0.05, "page 1's colour covers " + first + " of the screenshot");
        assertTrue(second < 0.01, "page 2's colour covers " + second + " of the screenshot");
    }
}
