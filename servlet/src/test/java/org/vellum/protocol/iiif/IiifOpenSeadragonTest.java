package org.vellum.protocol.iiif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vellum.config.Settings;
import org.vellum.testing.Fixtures;
import org.vellum.testing.Http;
import org.vellum.testing.PageServer;

/**
 * OpenSeadragon's IIIF tile source in headless Chromium against the running server: the viewer page comes from
 * another loopback origin (so CORS is exercised), opens info.json, loads tiles, and writes into the DOM how many
 * tiles loaded, which failed, and whether its canvas shows the grid. OpenSeadragon 2.4.2 comes from the WebJar the
 * server serves; 6.1.1 is fetched with npm into target/ when npm can reach its registry.
 */
class IiifOpenSeadragonTest {
    static final Path CHROMIUM = Path.of(System.getProperty("vellum.chromium", "/usr/bin/chromium"));
    static final String OSD_WEBJAR = "/webjars/openseadragon/2.4.2/build/openseadragon/openseadragon.min.js";
    static final String OSD_NPM_VERSION = "6.1.1";

    @TempDir
    static Path tmp;
    static Http vellum;
    static PageServer pages;
    static Path osdNpm;

    @BeforeAll
    static void start() throws IOException {
        Path images = Files.createDirectories(tmp.resolve("images"));
        Fixtures.write(images, "grid.jp2", Fixtures.colourGrid(2000, 1400), Fixtures.lossless(4, 512));
        vellum = new Http(Settings.fromEnvironment(Map.of("FILESYSTEM_PREFIX", images.toString())));
        pages = PageServer.start(path -> {
            if (path.equals("/osd-npm.js") && osdNpm != null) {
                return new PageServer.Page(Files.readAllBytes(osdNpm), "application/javascript");
            }
            if (path.startsWith("/page/")) {
                String[] p = path.split("/");           // /page/<script: webjar|npm>/<version>
                String script = p[2].equals("npm") ? "/osd-npm.js" : vellum.server().baseUrl() + OSD_WEBJAR;
                return new PageServer.Page(page(script, vellum.server().baseUrl() + "/iiif/" + p[3]
                        + "/grid.jp2/info.json").getBytes(StandardCharsets.UTF_8), "text/html; charset=utf-8");
            }
            return null;
        });
    }

    @AfterAll
    static void stop() throws Exception {
        if (pages != null) pages.close();
        if (vellum != null) vellum.close();
    }

    /** The viewer page: OpenSeadragon on the info.json, reporting tile events and a canvas sample into #result. */
    static String page(String script, String infoJson) {
        return """
                <!DOCTYPE html><html><head><meta charset="utf-8"><title>osd</title></head><body style="margin:0">
                <div id="viewer" style="width:800px;height:600px"></div><pre id="result">pending</pre>
                <script src="SCRIPT"></script>
                <script>
                var loaded = 0, failed = [], errors = [], urls = {};
                window.onerror = function (m) { errors.push('script: ' + m); };
                var viewer = OpenSeadragon({id: 'viewer', tileSources: 'INFO', crossOriginPolicy: 'Anonymous',
                    showNavigationControl: false, animationTime: 0, blendTime: 0, immediateRender: true});
                viewer.addHandler('tile-loaded', function (e) { loaded++; urls[e.tile.url || ''] = 1; });
                viewer.addHandler('tile-load-failed', function (e) { failed.push(e.message + ' ' + e.tile.url); });
                viewer.addHandler('open-failed', function (e) { errors.push('open-failed: ' + e.message); });
                function report() {
                    var nonBlank = 0, colours = {};
                    try {
                        var c = document.querySelector('#viewer canvas');
                        var d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                        for (var i = 0; i < d.length; i += 4 * 7) {
                            if (d[i + 3] > 0 && (d[i] + d[i + 1] + d[i + 2]) > 0) nonBlank++;
                            colours[(d[i] >> 3) + ',' + (d[i + 1] >> 3) + ',' + (d[i + 2] >> 3)] = 1;
                        }
                    } catch (e) { errors.push('canvas: ' + e); }
                    var item = viewer.world.getItemAt(0);
                    document.getElementById('result').textContent = 'RESULT' + JSON.stringify({loaded: loaded,
                        failed: failed, errors: errors, nonBlank: nonBlank, colours: Object.keys(colours).length,
                        fullyLoaded: !!(item && item.getFullyLoaded && item.getFullyLoaded()),
                        sample: Object.keys(urls).slice(0, 3)}) + 'END';
                }
                setInterval(report, 500);
                </script></body></html>
                """.replace("SCRIPT", script).replace("INFO", infoJson);
    }

    /** Runs Chromium headless on the page and returns the JSON the page wrote. */
    static Map<String, Object> browse(String pagePath) throws Exception {
        Path profile = Files.createTempDirectory(tmp, "chromium");
        ProcessBuilder pb = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--window-size=800,700", "--dump-dom",
                "--virtual-time-budget=15000",
                pages.origin() + pagePath);
        pb.redirectError(tmp.resolve("chromium-" + pagePath.replace('/', '_') + ".log").toFile());
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish");
        }
        String dom = new String(out, StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("RESULT(.*?)END", Pattern.DOTALL).matcher(dom);
        assertTrue(m.find(), "the page did not report: " + dom);
        return MiniJson.parse(m.group(1).replace("&quot;", "\"").replace("&amp;", "&"));
    }

    static void assertViewerShowsTheImage(Map<String, Object> r) {
        assertEquals(List.of(), r.get("errors"), r.toString());
        assertEquals(List.of(), r.get("failed"), r.toString());
        assertTrue((Long) r.get("loaded") >= 2, "tiles loaded: " + r);
        assertTrue((Long) r.get("nonBlank") > 1000, "the canvas is blank: " + r);
        assertTrue((Long) r.get("colours") >= 20, "the canvas does not show the grid's squares: " + r);
    }

    @Test
    void openSeadragon242ShowsTheImageThroughImageApi2() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "no Chromium at " + CHROMIUM + " (bin/install-deps test installs it)");
        assertViewerShowsTheImage(browse("/page/webjar/2"));
    }

    @Test
    void openSeadragon242ShowsTheImageThroughImageApi3() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "no Chromium at " + CHROMIUM + " (bin/install-deps test installs it)");
        assertViewerShowsTheImage(browse("/page/webjar/3"));
    }

    @Test
    void currentOpenSeadragonShowsTheImageThroughImageApi3() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "no Chromium at " + CHROMIUM + " (bin/install-deps test installs it)");
        osdNpm = fetchOpenSeadragon();
        assumeTrue(osdNpm != null, "npm could not fetch openseadragon@" + OSD_NPM_VERSION);
        assertViewerShowsTheImage(browse("/page/npm/3"));
    }

    /** openseadragon from npm into target/ (kept there for later runs, never in the source tree). */
    static Path fetchOpenSeadragon() throws Exception {
        Path dir = Path.of("target", "openseadragon-" + OSD_NPM_VERSION).toAbsolutePath();
        Path js = dir.resolve("package/build/openseadragon/openseadragon.min.js");
        if (Files.isRegularFile(js)) return js;
        Files.createDirectories(dir);
        if (!run(dir, "npm", "pack", "--silent", "openseadragon@" + OSD_NPM_VERSION)) return null;
        Path tgz = dir.resolve("openseadragon-" + OSD_NPM_VERSION + ".tgz");
        if (!Files.isRegularFile(tgz) || !run(dir, "tar", "xzf", tgz.toString())) return null;
        return Files.isRegularFile(js) ? js : null;
    }

    private static boolean run(Path dir, String... command) throws Exception {
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("fetch.log").toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
