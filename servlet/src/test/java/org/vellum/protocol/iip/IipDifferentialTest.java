package org.vellum.protocol.iip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.vellum.codec.openjpeg.Jp2EncodeOptions;
import org.vellum.codec.openjpeg.Jp2Writer;
import org.vellum.config.Settings;
import org.vellum.pipeline.HttpDates;
import org.vellum.server.EmbeddedServer;
import org.vellum.testing.RawHttp;
import org.vellum.testing.RawResponse;
import org.vellum.testing.ReferenceIipsrv;
import org.vellum.testing.ResponseDiff;

/**
 * Differential test: the same IIP, Zoomify= and DeepZoom= requests to iipsrv 1.1 (behind nginx) and to Vellum, on
 * the same JPEG 2000 files (made by our encoder, lossless, all quality layers decoded by both).
 * Text answers (OBJ, errors, XML, 404 texts) must match byte for byte; images must have the same type and size and
 * decode to nearly the same pixels. Headers compared: {@link ResponseDiff#DEFAULT_HEADERS} by value, every other
 * non-framing header by presence; order is not compared (nginx reorders iipsrv's headers).
 * Every way Vellum differs on purpose is one {@link Deliberate} entry; nothing else may differ, and each entry is
 * checked to be what Vellum really does.
 * Not compared here: Server, Date and framing headers (Content-Length, chunking), methods other than GET, IIIF,
 * image commands beyond WID/HEI/RGN/QLT (ROT, CNT, GAM, …), and the If-Modified-Since hour in which 1.1 is random.
 */
class IipDifferentialTest {

    /** The deliberate differences from iipsrv 1.1, each checked by {@link #deliberateDifferenceIsWhatVellumDoes}. */
    enum Deliberate {
        CEIL_LEVEL_SIZES("odd-size levels are ceil(w/2^d), the true JP2 sizes (iipsrv HEAD #283); 1.1 floors them"),
        DPI_ACCEPTED("obj=dpi is accepted and prints no line; 1.1 rejects the whole response with Error/7:3 2 dpi"),
        CORS_EVERYWHERE("CORS headers on every response; 1.1 leaves them off JTL, CVT, Zoomify/DZI XML and the banner"),
        NO_SERVER_PATH_IN_404("a missing file's 404 names the identifier only; 1.1 prints FILESYSTEM_PREFIX+identifier"),
        ERROR_CONTENT_TYPE("404/400 texts say Content-Type: text/plain;charset=utf-8 (HEAD sends one too); 1.1 none"),
        OBJ_WITHOUT_FIF_WELL_FORMED("OBJ without FIF (IIP-server, …) has proper headers; 1.1's empty Last-Modified line "
                + "ends its headers early, so Content-Type and CORS spill into the body"),
        TILE_COLUMNS_BOUNDED("a Zoomify/Deep Zoom tile x beyond the last column is 404; 1.1 computes y*cols+x unchecked "
                + "and serves a tile of the next row"),
        CVT_SIZE_FROM_FULL_RESOLUTION("CVT keeps the full-resolution region's aspect; 1.1 rounds from its floored "
                + "level size, so odd-size images can come out 1 px smaller (999x701 WID=123: 122x86, ours 123x86)"),
        BANNER_TEXT("the empty-request HTML banner names Vellum; status and headers are 1.1's"),
        ZOOMIFY_NUMTILES_ALL_LEVELS("Zoomify NUMTILES counts the tiles of every level; 1.1 counts the full level only"),
        DEEPZOOM_SMALL_LEVELS_TRUE_SIZE("Deep Zoom levels below the smallest IIP level have their true size; 1.1 "
                + "repeats the smallest IIP level"),
        NOT_MODIFIED_WHEN_MTIME_AT_OR_BEFORE_IMS("304 exactly when mtime <= If-Modified-Since (to the second); 1.1 is "
                + "off by up to an hour (uninitialised tm_isdst)"),
        NOT_MODIFIED_CARRIES_VALIDATORS("304 carries Last-Modified, ETag and Cache-Control; 1.1 sends Server only"),
        ETAG_SENT("an ETag on every success; 1.1 sends none"),
        SDS_SELECTS_THE_VIEW("SDS=h,v (and JTLS's angles) serve the sequence's file for that view, with its own "
                + "Last-Modified; 1.1's OpenJPEG reader always serves the 000_090 file whatever SDS says (its TIFF reader "
                + "does switch)"),
        BAD_SDS_IS_400("an SDS that is not h or h,v, or names a view a sequence lacks, is a 400; 1.1 reads it with atoi "
                + "and serves the 000_090 file (or, for a single image, ignores it)");

        final String why;

        Deliberate(String why) {
            this.why = why;
        }
    }

    private static final String IIP = ReferenceIipsrv.FCGI_PATH + "?";
    private static final Instant MTIME = Instant.parse("2024-03-01T10:20:30Z");
    private static final String CORS = "*";
    /** IipResponses asks for "text/plain; charset=utf-8"; Jetty writes it without the space. */
    private static final String TEXT_PLAIN = "text/plain;charset=utf-8";
    private static final String MISSING = " is neither a file nor part of an image sequence";
    /** Mean absolute error per 0-255 sample allowed between the two servers' re-encoded JPEG tiles. */
    private static final double TILE_LIMIT = 2.5;
    /**
     * The same for CVT exports. Both resample, differently: 1.1 interpolates bilinearly from the level it decodes,
     * Vellum averages the source pixels each output pixel covers, which differs most on thin lines and sharp edges
     * at large reductions (about 8.5 at 14x here). cvtDownscalingIsAtLeastAsFaithfulAsIipsrvs checks that this
     * difference is 1.1's aliasing, not an error of ours.
     */
    private static final double CVT_LIMIT = 10.0;

    /** A fixture: RGB (3) or grey (1) 8-bit, lossless, written by our encoder. */
    record Img(String name, int width, int height, int bands, int tileSize) {
        int levels() {
            int n = 1;
            for (int w = width, h = height; w > 256 || h > 256; w /= 2, h /= 2) {
                n++;
            }
            return n;
        }

        /** Level size after {@code d} halvings: ceil is the JP2 truth (Vellum), floor is 1.1's. */
        int[] level(int d, boolean ceil) {
            int s = (1 << d) - (ceil ? 1 : 0);
            return ceil ? new int[] {(width + s) >> d, (height + s) >> d} : new int[] {width >> d, height >> d};
        }

        int[] tile(int r, int k, boolean ceil) {
            int[] l = level(levels() - 1 - r, ceil);
            int cols = (l[0] + 255) / 256;
            int x = k % cols * 256;
            int y = k / cols * 256;
            return new int[] {Math.min(256, l[0] - x), Math.min(256, l[1] - y)};
        }

        int columns(int r) {
            return (level(levels() - 1 - r, false)[0] + 255) / 256;
        }

        int rows(int r) {
            return (level(levels() - 1 - r, false)[1] + 255) / 256;
        }

        boolean odd() {
            return level(levels() - 1, true)[0] != level(levels() - 1, false)[0]
                    || level(levels() - 1, true)[1] != level(levels() - 1, false)[1];
        }

        /** Deep Zoom's full-size level, ceil(log2(max(W, H))). */
        int deepZoomTop() {
            return 32 - Integer.numberOfLeadingZeros(Math.max(width, height) - 1);
        }
    }

    static final Img TILED = new Img("tiled.jp2", 1000, 700, 3, 256);
    static final Img PLAIN = new Img("plain.jp2", 1000, 700, 3, 0);
    static final Img ODD = new Img("odd.jp2", 999, 701, 3, 0);
    static final Img GREY = new Img("grey.jp2", 600, 400, 1, 0);
    static final List<Img> IMAGES = List.of(TILED, PLAIN, ODD, GREY);
    /** An image sequence "book" (FILENAME_PATTERN _pyr_): views 0, 1, 2 horizontally and 45, 90 vertically. */
    static final Img BOOK0 = new Img("book_pyr_000_090.jp2", 300, 200, 3, 0);
    static final Img BOOK1 = new Img("book_pyr_001_090.jp2", 400, 250, 3, 0);
    static final Img BOOK2 = new Img("book_pyr_002_090.jp2", 300, 200, 1, 0);
    static final Img BOOK45 = new Img("book_pyr_000_045.jp2", 200, 300, 3, 0);
    static final List<Img> SEQUENCE = List.of(BOOK0, BOOK1, BOOK2, BOOK45);

    @TempDir
    static Path images;
    static ReferenceIipsrv ref;
    static EmbeddedServer vellum;
    static String prefix;
    static final Set<Deliberate> explained = EnumSet.noneOf(Deliberate.class);
    static final Map<String, Double> worst = new TreeMap<>();

    @BeforeAll
    static void start() throws Exception {
        if (!ReferenceIipsrv.available()) {
            Assumptions.abort("iipsrv 1.1 not installed: needs " + ReferenceIipsrv.IIPSRV
                    + ", nginx and spawn-fcgi (apt-get install iipimage-server nginx-light spawn-fcgi)");
        }
        Jp2EncodeOptions lossless = Jp2EncodeOptions.archive().withLossless(true);
        for (Img img : java.util.stream.Stream.concat(IMAGES.stream(), SEQUENCE.stream()).toList()) {
            Path file = images.resolve(img.name());
            Jp2Writer.write(file, img.width(), img.height(), img.bands(), 8, false,
                    lossless.withTileSize(img.tileSize()), (x0, y0, w, h, planes) -> {
                        for (int j = 0; j < h; j++) {
                            for (int i = 0; i < w; i++) {
                                int[] p = pixel(x0 + i, y0 + j, img.width(), img.height());
                                if (img.bands() == 1) {
                                    planes[0][j * w + i] = (p[0] * 77 + p[1] * 150 + p[2] * 29) >> 8;
                                } else {
                                    for (int c = 0; c < 3; c++) {
                                        planes[c][j * w + i] = p[c];
                                    }
                                }
                            }
                        }
                    });
            // A whole second keeps Last-Modified and If-Modified-Since arithmetic exact.
            Files.setLastModifiedTime(file, FileTime.from(MTIME));
        }
        Map<String, String> env = Map.of("MAX_LAYERS", "-1", "JPEG_QUALITY", "75", "CORS", CORS);
        ref = ReferenceIipsrv.start(images, env);
        prefix = images.toRealPath() + "/";
        Map<String, String> ours = new java.util.HashMap<>(env);
        ours.put("FILESYSTEM_PREFIX", images + "/");
        vellum = EmbeddedServer.start(Settings.fromEnvironment(ours), "127.0.0.1", 0, TILED.name());
    }

    @AfterAll
    static void stop() throws Exception {
        boolean refAlive = ref == null || ref.alive();
        String logs = ref == null ? "" : ref.logs();
        try {
            if (vellum != null) {
                vellum.close();
            }
        } finally {
            if (ref != null) {
                ref.close();
            }
        }
        assertTrue(refAlive, () -> "iipsrv or nginx died during the comparison:\n" + logs);
        List<String> left = ProcessHandle.current().descendants()
                .filter(ProcessHandle::isAlive)
                .map(h -> h.info().commandLine().orElse(h.info().command().orElse("?")))
                .filter(c -> c.contains("nginx") || c.contains("iipsrv") || c.contains("spawn-fcgi"))
                .toList();
        assertTrue(left.isEmpty(), () -> "still running after close(): " + left);
        System.out.println("IipDifferentialTest: deliberate differences met: " + explained
                + "; worst mean absolute error per sample: " + worst);
    }

    /** Gradients, a wrapping ramp, a disc, a box and a thin diagonal, so misplaced or mis-scaled pixels show. */
    static int[] pixel(int x, int y, int w, int h) {
        int r = x * 255 / (w - 1);
        int g = y * 255 / (h - 1);
        int b = (x + 2 * y) / 3 & 0xff;
        int dx = x - w / 3;
        int dy = y - h / 2;
        if (dx * dx + dy * dy < h * h / 16) {
            r = 255 - r;
            g = 255 - g;
        }
        if (x > w * 6 / 10 && x < w * 85 / 100 && y > h / 5 && y < h / 2) {
            return new int[] {30, 200, 90};
        }
        if (Math.abs(x * h - y * w) < 2 * w) {
            return new int[] {250, 250, 250};
        }
        return new int[] {r, g, b};
    }

    // ---------------------------------------------------------------------------------------------------- text

    @Test
    void objAnswersMatchByteForByte() throws IOException {
        List<String> objects = List.of(
                "obj=IIP,1.0&obj=Max-size&obj=Tile-size&obj=Resolution-number&obj=Resolutions",
                "obj=IIP,1.0", "obj=Max-size", "obj=Tile-size", "obj=Resolution-number", "obj=Resolutions",
                "obj=Basic-Info", "obj=colorspace,0-2,0:*", "obj=IIP,1.0&obj=Colorspace", "obj=Bits-per-channel",
                "obj=Min-Max-sample-values", "obj=Horizontal-views", "obj=Vertical-views", "obj=IIP-server",
                "obj=iip-opt-comm", "obj=iip-opt-obj", "ROT=90&obj=Max-size", "OBJ=MAX-SIZE&obj=iip,1.0",
                "obj=IIP,1.0&obj=Basic-Info&obj=Bits-per-channel&obj=Min-Max-sample-values&obj=Resolutions",
                "obj=IIP,1.0&obj=title&obj=author");                       // absent metadata prints nothing
        List<String> failures = new ArrayList<>();
        for (Img img : IMAGES) {
            for (String obj : objects) {
                Pair p = get("FIF=" + img.name() + "&" + obj);
                if (img.odd() && obj.contains("Resolutions")) {
                    // CEIL_LEVEL_SIZES: only the Resolutions line may differ, as deliberateDifference… checks.
                    p = p.withOurBody(p.ours().bodyText().replace(resolutions(img, true), resolutions(img, false)));
                    explained.add(Deliberate.CEIL_LEVEL_SIZES);
                }
                failures.addAll(unexplained(p, true));
            }
        }
        for (String obj : List.of("obj=IIP-server", "obj=iip-opt-comm", "obj=iip-opt-obj", "obj=IIP,1.0",
                "obj=IIP,1.0&obj=iip-opt-comm&obj=iip-opt-obj")) {
            failures.addAll(unexplained(unspill(get(obj)), true));
        }
        assertNoFailures(failures);
    }

    @Test
    void iipErrorsMatchByteForByte() throws IOException {
        List<String> queries = List.of(
                "FIF=tiled.jp2",                                            // 2 1: no output
                "FIF=tiled.jp2&obj=copyright",                              // 2 1, cut to 31 chars
                "FIF=plain.jp2&obj=title&obj=author&obj=keywords",         // 2 1, long request
                "foo=bar",                                                  // 2 2
                "FIF=tiled.jp2&averyveryveryverylongcommandname=1",        // 2 2, cut
                "FIF=tiled.jp2&obj=toolongobjectname",                      // 3 2
                "FIF=tiled.jp2&obj=IIP,1.0&obj=averyveryveryverylongobjectname",
                "FIF=tiled.jp2&obj=IIP,1.0&obj=Max-size&obj=nonsense",    // the error drops the OBJ lines
                "obj=max-size",                                             // 1 3
                "obj=Resolutions&obj=Tile-size",
                "JTL=0,0",                                                  // 1 3 with an empty argument
                "CVT=jpeg",
                "FIF=tiled.jp2&obj=IIP,1.0&obj=max-size&foo=1&obj=bar",   // stacked
                "foo=1&bar=2&obj=baz&obj=max-size",
                "obj=max-size&foo=1",                                       // 1 3 ends the request
                "JTL=0,0&obj=max-size",
                "foo=1&obj=max-size&bar=2&obj=baz");
        List<String> failures = new ArrayList<>();
        for (String q : queries) {
            Pair p = get(q);
            if (p.ref().status() != 400 || !p.ref().bodyText().startsWith("Error/")) {
                failures.add(q + ": the reference did not answer an IIP error: " + p.ref());
            }
            failures.addAll(unexplained(p, true));
        }
        assertNoFailures(failures);
    }

    @Test
    void emptyRequestAndNegativeTileGiveTheBannerStatusAndHeaders() throws IOException {
        List<String> failures = new ArrayList<>();
        for (String q : List.of("", "FIF=tiled.jp2&JTL=-1,0", "FIF=tiled.jp2&JTL=0,-1", "FIF=odd.jp2&JTL=-3,-3")) {
            Pair p = get(q);
            assertEquals(400, p.ref().status(), p.ref()::toString);
            // BANNER_TEXT: the body is ours; status and headers must be 1.1's.
            failures.addAll(unexplained(p, false));
            explained.add(Deliberate.BANNER_TEXT);
        }
        assertNoFailures(failures);
    }

    @Test
    void missingFilesGive404WithTheSameTextLessTheServerPath() throws IOException {
        List<String> failures = new ArrayList<>();
        for (String q : List.of("FIF=nothere.jp2&obj=IIP,1.0", "FIF=nothere.jp2&JTL=0,0", "FIF=sub/nothere.jp2&CVT=jpeg",
                "Zoomify=nothere.jp2/ImageProperties.xml", "Zoomify=nothere.jp2/TileGroup0/0-0-0.jpg",
                "DeepZoom=nothere.jp2.dzi", "DeepZoom=nothere.jp2_files/8/0_0.jpg")) {
            Pair p = get(q);
            assertEquals(404, p.ref().status(), p.ref()::toString);
            String refText = p.ref().bodyText();
            if (refText.startsWith(prefix) && refText.endsWith(MISSING)) {
                p = p.withRefBody(refText.substring(prefix.length()));
                explained.add(Deliberate.NO_SERVER_PATH_IN_404);
            }
            failures.addAll(unexplained(p, true));
        }
        assertNoFailures(failures);
    }

    @Test
    void tilesAndResolutionsThatDoNotExistGiveThe404Text() throws IOException {
        List<String> failures = new ArrayList<>();
        for (Img img : IMAGES) {
            int n = img.levels();
            for (int r = 0; r < n; r++) {
                failures.addAll(unexplained(get("FIF=" + img.name() + "&JTL=" + r + "," + img.columns(r) * img.rows(r)), true));
            }
            failures.addAll(unexplained(get("FIF=" + img.name() + "&JTL=" + n + ",0"), true));
            failures.addAll(unexplained(get("FIF=" + img.name() + "&JTL=" + (n + 5) + ",3"), true));
            int top = n - 1;
            failures.addAll(unexplained(get("Zoomify=" + img.name() + "/TileGroup0/" + top + "-0-"
                    + img.rows(top) + ".jpg"), true));
            failures.addAll(unexplained(get("Zoomify=" + img.name() + "/TileGroup0/" + (top - 1) + "-"
                    + (img.columns(top - 1) - 1) + "-" + img.rows(top - 1) + ".jpg"), true));
            failures.addAll(unexplained(get("Zoomify=" + img.name() + "/TileGroup0/" + n + "-0-0.jpg"), true));
            failures.addAll(unexplained(get("Zoomify=" + img.name() + "/TileGroup0/" + (n + 3) + "-1-0.jpg"), true));
            failures.addAll(unexplained(get("DeepZoom=" + img.name() + "_files/" + img.deepZoomTop() + "/"
                    + img.columns(top) + "_" + (img.rows(top) - 1) + ".jpg"), true));
        }
        assertNoFailures(failures);
    }

    @Test
    void zoomifyPropertiesAndDeepZoomDescriptorsMatch() throws IOException {
        List<String> failures = new ArrayList<>();
        for (Img img : IMAGES) {
            Pair zoomify = get("Zoomify=" + img.name() + "/ImageProperties.xml");
            // ZOOMIFY_NUMTILES_ALL_LEVELS: compare with our NUMTILES put back to 1.1's count.
            String ours = zoomify.ours().bodyText()
                    .replaceFirst("NUMTILES=\"\\d+\"", "NUMTILES=\"" + img.columns(img.levels() - 1)
                            * img.rows(img.levels() - 1) + "\"");
            explained.add(Deliberate.ZOOMIFY_NUMTILES_ALL_LEVELS);
            failures.addAll(unexplained(zoomify.withOurBody(ours), true));
            failures.addAll(unexplained(get("DeepZoom=" + img.name() + ".dzi"), true));
        }
        assertNoFailures(failures);
    }

    // ---------------------------------------------------------------------------------------------------- images

    @Test
    void everyJtlTileOfEveryResolutionMatches() throws IOException {
        List<String> failures = new ArrayList<>();
        for (Img img : IMAGES) {
            for (int r = 0; r < img.levels(); r++) {
                for (int k = 0; k < img.columns(r) * img.rows(r); k++) {
                    Pair p = get("FIF=" + img.name() + "&JTL=" + r + "," + k);
                    failures.addAll(sameImage(p, img.tile(r, k, false), img.tile(r, k, true), TILE_LIMIT, "JTL"));
                }
            }
        }
        assertNoFailures(failures);
    }

    @Test
    void zoomifyTilesMatchTheirJtlTiles() throws IOException {
        List<String> failures = new ArrayList<>();
        for (Img img : IMAGES) {
            // With one level fitting in a tile, Zoomify level z is IIP resolution z.
            for (int z = 0; z < img.levels(); z++) {
                for (int y = 0; y < img.rows(z); y++) {
                    for (int x = 0; x < img.columns(z); x++) {
                        Pair p = get("Zoomify=" + img.name() + "/TileGroup0/" + z + "-" + x + "-" + y + ".jpg");
                        int k = y * img.columns(z) + x;
                        failures.addAll(sameImage(p, img.tile(z, k, false), img.tile(z, k, true), TILE_LIMIT, "Zoomify"));
                    }
                }
            }
        }
        assertNoFailures(failures);
    }

    @Test
    void deepZoomTilesMatchFromTheSmallestIipLevelUp() throws IOException {
        List<String> failures = new ArrayList<>();
        for (Img img : IMAGES) {
            int top = img.deepZoomTop();
            int n = img.levels();
            // L = D - N + 1 is IIP resolution 0 and L = D full size; 1.1 clamps D + 1 to full size, as we do.
            for (int level = top - n + 1; level <= top + 1; level++) {
                int r = Math.min(n - 1, level - (top - n) - 1);
                for (int y = 0; y < img.rows(r); y++) {
                    for (int x = 0; x < img.columns(r); x++) {
                        Pair p = get("DeepZoom=" + img.name() + "_files/" + level + "/" + x + "_" + y + ".jpg");
                        int k = y * img.columns(r) + x;
                        failures.addAll(sameImage(p, img.tile(r, k, false), img.tile(r, k, true), TILE_LIMIT, "DeepZoom"));
                    }
                }
            }
        }
        assertNoFailures(failures);
    }

    @Test
    void cvtExportsHaveTheSameSizeHeadersAndNearlyTheSamePixels() throws IOException {
        List<String> views = List.of("WID=300", "HEI=100", "WID=300&HEI=300", "WID=200&HEI=50", "WID=123",
                "WID=500&RGN=0.25,0.25,0.5,0.5", "RGN=0.1,0.2,0.3,0.4&WID=200&HEI=150", "RGN=0.5,0.5,0.5,0.5&HEI=97",
                "WID=1000", "QLT=90&WID=640");
        List<String> failures = new ArrayList<>();
        for (Img img : IMAGES) {
            for (String v : views) {
                Pair p = get("FIF=" + img.name() + "&" + v + "&CVT=jpeg");
                failures.addAll(sameExport(p, img, cvtSize(img, v)));
            }
        }
        assertNoFailures(failures);
    }

    @Test
    void cvtDownscalingIsAtLeastAsFaithfulAsIipsrvs() throws IOException {
        // Against the fixture's own pixels averaged over each output pixel (8x8 samples), computed here.
        List<String> failures = new ArrayList<>();
        for (String v : List.of("WID=300", "HEI=100", "WID=200&HEI=50", "WID=123", "WID=500&RGN=0.25,0.25,0.5,0.5")) {
            Pair p = get("FIF=" + TILED.name() + "&" + v + "&CVT=jpeg");
            int[] size = cvtSize(TILED, v);
            Raster truth = truth(TILED, v, size);
            double ours = meanAbsoluteError(truth, ResponseDiff.decode(p.ours().body(), "Vellum").getRaster());
            double theirs = meanAbsoluteError(truth, ResponseDiff.decode(p.ref().body(), "reference").getRaster());
            synchronized (worst) {
                worst.merge("CVT vs truth, Vellum", ours, Math::max);
                worst.merge("CVT vs truth, iipsrv", theirs, Math::max);
            }
            if (ours > theirs + 0.5) {
                failures.add(String.format(Locale.ROOT, "?%s: Vellum %.3f from the true pixels, iipsrv %.3f", v, ours, theirs));
            }
        }
        assertNoFailures(failures);
    }

    // ---------------------------------------------------------------------------------------------------- deliberate

    // ------------------------------------------------------------------------------------------------ sequences

    @Test
    void sequencesListTheirViewsAndServeTheDefaultViewLikeIipsrv() throws IOException {
        List<String> failures = new ArrayList<>();
        for (String q : List.of("FIF=book&obj=Horizontal-views", "FIF=book&obj=Vertical-views",
                "FIF=book&obj=IIP,1.0&obj=Max-size&obj=Resolutions&obj=Horizontal-views&obj=Vertical-views",
                "FIF=book&SDS=0,90&obj=Max-size", "SDS=0,90&FIF=book&obj=Basic-Info", "FIF=book&SDS=0%2C90&obj=Max-size",
                "FIF=book_pyr_001_090.jp2&obj=Horizontal-views&obj=Vertical-views&obj=Max-size",
                "FIF=tiled.jp2&SDS=3,90&obj=Max-size&obj=Horizontal-views", "FIF=nobook&obj=Horizontal-views",
                "FIF=book_pyr_&obj=Max-size", "FIF=book_pyr_000&obj=Max-size")) {
            Pair p = get(q);
            String refText = p.ref().bodyText();
            if (p.ref().status() == 404 && refText.startsWith(prefix) && refText.endsWith(MISSING)) {
                p = p.withRefBody(refText.substring(prefix.length()));
                explained.add(Deliberate.NO_SERVER_PATH_IN_404);
            }
            failures.addAll(unexplained(p, true));
        }
        assertEquals("\r\nHorizontal-views:0 1 2\r\n", get("FIF=book&obj=Horizontal-views").ref().bodyText());
        assertEquals("\r\nVertical-views:45 90\r\n", get("FIF=book&obj=Vertical-views").ref().bodyText());
        for (String view : List.of("&JTL=%d,0", "&SDS=0,90&JTL=%d,0", "&JTLS=0,%d,0,90")) {
            for (int r = 0; r < BOOK0.levels(); r++) {
                String q = "FIF=book" + String.format(Locale.ROOT, view, r);
                failures.addAll(sameImage(get(q), BOOK0.tile(r, 0, false), BOOK0.tile(r, 0, true), TILE_LIMIT, "JTL"));
            }
        }
        failures.addAll(sameImage(get("FIF=book&WID=150&CVT=jpeg"), new int[] {150, 100}, null, CVT_LIMIT, "CVT"));
        assertNoFailures(failures);
    }

    @ParameterizedTest
    @EnumSource(Deliberate.class)
    void deliberateDifferenceIsWhatVellumDoes(Deliberate d) throws IOException {
        switch (d) {
            case CEIL_LEVEL_SIZES -> {
                Pair p = get("FIF=odd.jp2&obj=Resolutions");
                assertEquals("\r\n" + resolutions(ODD, false) + "\r\n", p.ref().bodyText());
                assertEquals("\r\n" + resolutions(ODD, true) + "\r\n", p.ours().bodyText());
                assertEquals("Resolutions:250 176,500 351,999 701", resolutions(ODD, true));
                Pair tile = get("FIF=odd.jp2&JTL=0,0");
                assertSize(249, 175, tile.ref());
                assertSize(250, 176, tile.ours());
            }
            case DPI_ACCEPTED -> {
                Pair p = get("FIF=tiled.jp2&obj=IIP,1.0&obj=Max-size&obj=dpi");
                assertEquals(400, p.ref().status());
                assertEquals("Error/7:3 2 dpi\r\n", p.ref().bodyText());
                assertEquals(200, p.ours().status(), p.ours()::toString);
                assertEquals("IIP:1.0\r\nMax-size:1000 700\r\n", p.ours().bodyText());
            }
            case CORS_EVERYWHERE -> {
                for (String q : List.of("FIF=tiled.jp2&JTL=0,0", "FIF=tiled.jp2&WID=100&CVT=jpeg",
                        "Zoomify=tiled.jp2/ImageProperties.xml", "DeepZoom=tiled.jp2.dzi", "")) {
                    Pair p = get(q);
                    assertTrue(p.ref().header("Access-Control-Allow-Origin").isEmpty(), q);
                    assertEquals(CORS, p.ours().header("Access-Control-Allow-Origin").orElse(null), q);
                    assertEquals("X-Requested-With", p.ours().header("Access-Control-Allow-Headers").orElse(null), q);
                }
            }
            case NO_SERVER_PATH_IN_404 -> {
                Pair p = get("FIF=nothere.jp2&obj=IIP,1.0");
                assertEquals(prefix + "nothere.jp2" + MISSING, p.ref().bodyText());
                assertEquals("nothere.jp2" + MISSING, p.ours().bodyText());
                assertFalse(p.ours().bodyText().contains(images.toString()));
            }
            case ERROR_CONTENT_TYPE -> {
                for (String q : List.of("FIF=nothere.jp2&obj=IIP,1.0", "FIF=tiled.jp2&JTL=2,12")) {
                    Pair p = get(q);
                    assertEquals(404, p.ours().status());
                    assertTrue(p.ref().header("Content-Type").isEmpty(), q);
                    assertEquals(TEXT_PLAIN, p.ours().header("Content-Type").orElse(null), q);
                }
            }
            case BANNER_TEXT -> {
                Pair p = get("");
                assertEquals(400, p.ours().status());
                assertTrue(p.ref().bodyText().contains("IIPImage"), p.ref()::toString);
                assertTrue(p.ours().bodyText().contains("Vellum"), p.ours()::toString);
                assertEquals("text/html", p.ours().header("Content-Type").orElse(null));
            }
            case ZOOMIFY_NUMTILES_ALL_LEVELS -> {
                Pair p = get("Zoomify=tiled.jp2/ImageProperties.xml");
                assertTrue(p.ref().bodyText().contains("NUMTILES=\"12\""), p.ref()::toString);
                assertTrue(p.ours().bodyText().contains("NUMTILES=\"17\""), p.ours()::toString);   // 12 + 4 + 1
            }
            case DEEPZOOM_SMALL_LEVELS_TRUE_SIZE -> {
                Pair seven = get("DeepZoom=tiled.jp2_files/7/0_0.jpg");
                assertSize(250, 175, seven.ref());
                assertSize(125, 88, seven.ours());
                Pair zero = get("DeepZoom=tiled.jp2_files/0/0_0.jpg");
                assertSize(250, 175, zero.ref());
                assertSize(1, 1, zero.ours());
            }
            case NOT_MODIFIED_WHEN_MTIME_AT_OR_BEFORE_IMS -> {
                for (long seconds : new long[] {0, 1, 1800}) {
                    String ims = "If-Modified-Since: " + HttpDates.format(MTIME.plusSeconds(seconds).toEpochMilli());
                    assertEquals(304, RawHttp.get(vellum.baseUrl(), IIP + "FIF=tiled.jp2&JTL=0,0", ims).status());
                }
                // Both agree outside 1.1's hour of doubt.
                for (String q : List.of("FIF=tiled.jp2&JTL=0,0", "FIF=tiled.jp2&obj=IIP,1.0",
                        "Zoomify=tiled.jp2/ImageProperties.xml", "DeepZoom=tiled.jp2.dzi")) {
                    Pair later = get(q, "If-Modified-Since: "
                            + HttpDates.format(MTIME.plus(2, ChronoUnit.HOURS).toEpochMilli()));
                    assertEquals(304, later.ref().status(), q);
                    assertEquals(304, later.ours().status(), q);
                    Pair earlier = get(q, "If-Modified-Since: " + HttpDates.format(MTIME.minusSeconds(1).toEpochMilli()));
                    assertEquals(200, earlier.ref().status(), q);
                    assertEquals(200, earlier.ours().status(), q);
                }
            }
            case NOT_MODIFIED_CARRIES_VALIDATORS -> {
                Pair p = get("FIF=tiled.jp2&JTL=0,0", "If-Modified-Since: "
                        + HttpDates.format(MTIME.plus(2, ChronoUnit.HOURS).toEpochMilli()));
                assertEquals(List.of("Server"), names(p.ref()), p.ref()::toString);
                assertEquals(HttpDates.format(MTIME.toEpochMilli()), p.ours().header("Last-Modified").orElse(null));
                assertTrue(p.ours().header("ETag").isPresent(), p.ours()::toString);
                assertEquals("max-age=86400", p.ours().header("Cache-Control").orElse(null));
            }
            case ETAG_SENT -> {
                for (String q : List.of("FIF=tiled.jp2&JTL=0,0", "FIF=tiled.jp2&obj=IIP,1.0",
                        "FIF=tiled.jp2&WID=100&CVT=jpeg", "DeepZoom=tiled.jp2.dzi")) {
                    Pair p = get(q);
                    assertTrue(p.ref().header("ETag").isEmpty(), q);
                    assertTrue(p.ours().header("ETag").orElse("").matches("\"[^\"]+\""), q);
                }
            }
            case OBJ_WITHOUT_FIF_WELL_FORMED -> {
                Pair p = get("obj=IIP-server");
                assertTrue(p.ref().header("Content-Type").isEmpty(), p.ref()::toString);
                assertTrue(p.ref().bodyText().startsWith("Content-Type: application/vnd.netfpx\r\n"), p.ref()::toString);
                assertEquals("application/vnd.netfpx", p.ours().header("Content-Type").orElse(null));
                assertEquals("\r\nIIP-server:3.65\r\n", p.ours().bodyText());
            }
            case TILE_COLUMNS_BOUNDED -> {
                // 1000x700 at full size has 4x3 tiles: x=4 on row 0 is 1.1's tile 4 (row 1, column 0).
                for (String q : List.of("Zoomify=tiled.jp2/TileGroup0/2-4-0.jpg", "DeepZoom=tiled.jp2_files/10/4_0.jpg",
                        "DeepZoom=tiled.jp2_files/9/2_0.jpg")) {
                    Pair p = get(q);
                    assertEquals(200, p.ref().status(), q);
                    assertEquals(404, p.ours().status(), q);
                }
                assertEquals("OpenJPEG :: Asked for non-existent tile: 4",
                        get("Zoomify=tiled.jp2/TileGroup0/2-4-0.jpg").ours().bodyText());
                assertTrue(ResponseDiff.body(get("FIF=tiled.jp2&JTL=2,4").ref().body(),
                        get("Zoomify=tiled.jp2/TileGroup0/2-4-0.jpg").ref().body()).isEmpty(), "1.1 wraps to tile 4");
            }
            case CVT_SIZE_FROM_FULL_RESOLUTION -> {
                Pair p = get("FIF=odd.jp2&WID=123&CVT=jpeg");
                assertSize(122, 86, p.ref());
                assertSize(123, 86, p.ours());
                assertSize(143, 100, get("FIF=odd.jp2&HEI=100&CVT=jpeg").ours());   // 999 * 100 / 701 = 142.5
            }
            case SDS_SELECTS_THE_VIEW -> {
                for (Img view : List.of(BOOK1, BOOK2, BOOK45)) {
                    String sds = view.name().substring(9, 12) + "," + view.name().substring(13, 16);
                    Pair size = get("FIF=book&SDS=" + sds + "&obj=Max-size");
                    assertEquals("\r\nMax-size:300 200\r\n", size.ref().bodyText(), sds);
                    assertEquals("\r\nMax-size:" + view.width() + " " + view.height() + "\r\n", size.ours().bodyText());
                    // 1.1 ignores SDS on JPEG 2000; ours answers what 1.1 answers for that view's own file
                    Pair chosen = get("FIF=book&SDS=" + sds + "&JTL=1,0");
                    assertTrue(ResponseDiff.body(get("FIF=book&JTL=1,0").ref().body(), chosen.ref().body()).isEmpty());
                    Pair own = get("FIF=" + view.name() + "&JTL=1,0");
                    assertNoFailures(sameImage(new Pair(chosen.query(), own.ref(), chosen.ours()),
                            view.tile(1, 0, false), view.tile(1, 0, true), TILE_LIMIT, "SDS"));
                }
                Pair jtls = get("FIF=book&JTLS=1,1,0,90");
                assertNoFailures(sameImage(new Pair(jtls.query(), get("FIF=book_pyr_001_090.jp2&JTL=1,0").ref(),
                        jtls.ours()), BOOK1.tile(1, 0, false), BOOK1.tile(1, 0, true), TILE_LIMIT, "JTLS"));
            }
            case BAD_SDS_IS_400 -> {
                for (String q : List.of("FIF=book&SDS=x&JTL=0,0", "FIF=book&SDS=5,90&JTL=0,0", "FIF=book&SDS=1&JTL=0,0",
                        "FIF=book&SDS=1,90,5&obj=Max-size", "FIF=book&SDS=-1,90&CVT=jpeg", "FIF=tiled.jp2&SDS=a,b&JTL=0,0",
                        "SDS=9,9&FIF=book&obj=Max-size")) {
                    Pair p = get(q);
                    assertEquals(200, p.ref().status(), q);
                    assertEquals(400, p.ours().status(), q);
                }
                assertTrue(get("FIF=book&SDS=5,90&JTL=0,0").ours().bodyText().contains("book has no view 5,90"));
            }
            default -> fail("no check for " + d);
        }
    }

    // ---------------------------------------------------------------------------------------------------- helpers

    record Pair(String query, RawResponse ref, RawResponse ours) {
        Pair withOurBody(String body) {
            return new Pair(query, ref, rebody(ours, body));
        }

        Pair withRefBody(String body) {
            return new Pair(query, rebody(ref, body), ours);
        }

        private static RawResponse rebody(RawResponse r, String body) {
            return new RawResponse(r.statusLine(), r.status(), r.headers(), body.getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    static Pair get(String query, String... headers) throws IOException {
        RawResponse r = RawHttp.get(ref.baseUrl(), IIP + query, headers);
        if (r.status() == 502 && !ref.alive()) {
            fail("the reference iipsrv crashed on " + query + "\n" + ref.logs());
        }
        return new Pair(query, r, RawHttp.get(vellum.baseUrl(), IIP + query, headers));
    }

    /**
     * OBJ_WITHOUT_FIF_WELL_FORMED: without FIF, 1.1's headers stop at the empty Last-Modified line and the rest of
     * them arrive as body text. Moves those lines back into 1.1's headers so the remainder can be compared.
     */
    static Pair unspill(Pair p) {
        String body = p.ref().bodyText();
        int end = body.indexOf("\r\n\r\n");
        if (p.ref().header("Content-Type").isPresent() || !body.startsWith("Content-Type: ") || end < 0) {
            return p;
        }
        List<RawResponse.Header> headers = new ArrayList<>(p.ref().headers());
        for (String line : body.substring(0, end).split("\r\n")) {
            int colon = line.indexOf(": ");
            headers.add(new RawResponse.Header(line.substring(0, colon), line.substring(colon + 2)));
        }
        explained.add(Deliberate.OBJ_WITHOUT_FIF_WELL_FORMED);
        RawResponse ref = new RawResponse(p.ref().statusLine(), p.ref().status(), headers,
                body.substring(end + 4).getBytes(StandardCharsets.ISO_8859_1));
        return new Pair(p.query(), ref, p.ours());
    }

    /**
     * Differences in status, the default headers' values, other headers' presence and (if asked) the body that no
     * {@link Deliberate} entry explains, each prefixed with the query.
     */
    static List<String> unexplained(Pair p, boolean compareBody) {
        List<String> out = new ArrayList<>();
        ResponseDiff.status(p.ref(), p.ours()).ifPresent(out::add);
        for (String h : ResponseDiff.DEFAULT_HEADERS) {
            ResponseDiff.header(h, p.ref(), p.ours()).filter(diff -> !explainedHeader(h, p)).ifPresent(out::add);
        }
        for (String diff : ResponseDiff.presence(p.ref(), p.ours())) {
            boolean compared = ResponseDiff.DEFAULT_HEADERS.stream()
                    .anyMatch(h -> diff.startsWith("header " + h.toLowerCase(Locale.ROOT) + " "));
            if (diff.equals("header etag unexpected")) {
                explained.add(Deliberate.ETAG_SENT);
            } else if (!compared) {
                out.add(diff);
            }
        }
        if (compareBody) {
            ResponseDiff.body(p.ref().body(), p.ours().body()).ifPresent(out::add);
        }
        return out.stream().map(d -> "?" + p.query() + ": " + d).toList();
    }

    private static boolean explainedHeader(String name, Pair p) {
        boolean refHasNone = p.ref().header(name).isEmpty();
        String ours = p.ours().header(name).orElse(null);
        if (refHasNone && (name.equalsIgnoreCase("Access-Control-Allow-Origin") && CORS.equals(ours)
                || name.equalsIgnoreCase("Access-Control-Allow-Headers") && "X-Requested-With".equals(ours))) {
            explained.add(Deliberate.CORS_EVERYWHERE);
            return true;
        }
        if (refHasNone && name.equalsIgnoreCase("Content-Type") && TEXT_PLAIN.equals(ours) && p.ours().status() >= 400) {
            explained.add(Deliberate.ERROR_CONTENT_TYPE);
            return true;
        }
        return false;
    }

    /**
     * Both answers are 200 JPEGs with the same headers, the expected size (floor for 1.1, ceil for us, when given)
     * and a mean absolute error under the limit (over the common area when CEIL_LEVEL_SIZES makes the sizes differ).
     */
    static List<String> sameImage(Pair p, int[] refSize, int[] ourSize, double limit, String kind) {
        List<String> out = new ArrayList<>(unexplained(p, false));
        if (p.ref().status() != 200 || p.ours().status() != 200) {
            out.add("?" + p.query() + ": not an image: " + p.ref().status() + " vs " + p.ours().status()
                    + "\n" + p.ours());
            return out;
        }
        BufferedImage a = ResponseDiff.decode(p.ref().body(), "reference");
        BufferedImage b = ResponseDiff.decode(p.ours().body(), "Vellum");
        String sizes = a.getWidth() + "x" + a.getHeight() + "x" + a.getRaster().getNumBands() + " vs "
                + b.getWidth() + "x" + b.getHeight() + "x" + b.getRaster().getNumBands();
        if (a.getRaster().getNumBands() != b.getRaster().getNumBands()) {
            out.add("?" + p.query() + ": bands differ: " + sizes);
            return out;
        }
        if (refSize != null && (a.getWidth() != refSize[0] || a.getHeight() != refSize[1])) {
            out.add("?" + p.query() + ": reference size " + sizes + ", expected " + refSize[0] + "x" + refSize[1]);
        }
        if (a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight()) {
            boolean ceil = ourSize != null && !(ourSize[0] == refSize[0] && ourSize[1] == refSize[1])
                    && b.getWidth() == ourSize[0] && b.getHeight() == ourSize[1];
            if (!ceil) {
                out.add("?" + p.query() + ": sizes differ: " + sizes);
                return out;
            }
            explained.add(Deliberate.CEIL_LEVEL_SIZES);
        }
        double mae = meanAbsoluteError(a.getRaster(), b.getRaster());
        synchronized (worst) {
            worst.merge(kind, mae, Math::max);
        }
        if (mae >= limit) {
            out.add(String.format(Locale.ROOT, "?%s: mean absolute error %.3f >= %.1f (%s)", p.query(), mae, limit, sizes));
        }
        return out;
    }

    /**
     * A CVT export: same headers as 1.1, our size as {@link #cvtSize} says, 1.1's the same or (odd-size images,
     * CVT_SIZE_FROM_FULL_RESOLUTION) at most 1 px off, and nearly the same pixels (ours scaled to 1.1's size if so).
     */
    static List<String> sameExport(Pair p, Img img, int[] expected) {
        List<String> out = new ArrayList<>(unexplained(p, false));
        if (p.ref().status() != 200 || p.ours().status() != 200) {
            out.add("?" + p.query() + ": not an image: " + p.ref().status() + " vs " + p.ours().status());
            return out;
        }
        BufferedImage a = ResponseDiff.decode(p.ref().body(), "reference");
        BufferedImage b = ResponseDiff.decode(p.ours().body(), "Vellum");
        String sizes = a.getWidth() + "x" + a.getHeight() + " vs " + b.getWidth() + "x" + b.getHeight();
        if (b.getWidth() != expected[0] || b.getHeight() != expected[1]) {
            out.add("?" + p.query() + ": our size " + sizes + ", expected " + expected[0] + "x" + expected[1]);
            return out;
        }
        if (a.getRaster().getNumBands() != b.getRaster().getNumBands()) {
            out.add("?" + p.query() + ": bands differ");
            return out;
        }
        if (a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight()) {
            if (!img.odd() || Math.abs(a.getWidth() - b.getWidth()) > 1 || Math.abs(a.getHeight() - b.getHeight()) > 1) {
                out.add("?" + p.query() + ": sizes differ: " + sizes);
                return out;
            }
            explained.add(Deliberate.CVT_SIZE_FROM_FULL_RESOLUTION);
            b = scaled(b, a.getWidth(), a.getHeight());
        }
        double mae = meanAbsoluteError(a.getRaster(), b.getRaster());
        synchronized (worst) {
            worst.merge("CVT", mae, Math::max);
        }
        if (mae >= CVT_LIMIT) {
            out.add(String.format(Locale.ROOT, "?%s: mean absolute error %.3f >= %.1f (%s)", p.query(), mae, CVT_LIMIT, sizes));
        }
        return out;
    }

    static BufferedImage scaled(BufferedImage src, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, src.getType() == 0 ? BufferedImage.TYPE_INT_RGB : src.getType());
        java.awt.Graphics2D g = out.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src, 0, 0, w, h, null);
        g.dispose();
        return out;
    }

    /** The documented CVT size: the RGN (rounded to full-resolution pixels) scaled to WID/HEI keeping its aspect. */
    static int[] cvtSize(Img img, String view) {
        double[] rgn = region(img, view);
        int wid = param(view, "WID");
        int hei = param(view, "HEI");
        double rw = rgn[2];
        double rh = rgn[3];
        if (wid > 0 && hei > 0) {
            double k = Math.min(wid / rw, hei / rh);
            return new int[] {(int) Math.round(rw * k), (int) Math.round(rh * k)};
        }
        if (wid > 0) {
            return new int[] {wid, (int) Math.round(rh * wid / rw)};
        }
        if (hei > 0) {
            return new int[] {(int) Math.round(rw * hei / rh), hei};
        }
        return new int[] {(int) rw, (int) rh};
    }

    /** RGN in full-resolution pixels {x, y, w, h}, the whole image without one. */
    static double[] region(Img img, String view) {
        for (String kv : view.split("&")) {
            if (kv.startsWith("RGN=")) {
                String[] v = kv.substring(4).split(",");
                return new double[] {Math.round(Double.parseDouble(v[0]) * img.width()),
                        Math.round(Double.parseDouble(v[1]) * img.height()),
                        Math.round(Double.parseDouble(v[2]) * img.width()),
                        Math.round(Double.parseDouble(v[3]) * img.height())};
            }
        }
        return new double[] {0, 0, img.width(), img.height()};
    }

    static int param(String view, String name) {
        for (String kv : view.split("&")) {
            if (kv.startsWith(name + "=")) {
                return Integer.parseInt(kv.substring(name.length() + 1));
            }
        }
        return 0;
    }

    /** The fixture's region averaged over 8x8 sample points per output pixel (RGB). */
    static Raster truth(Img img, String view, int[] size) {
        double[] rgn = region(img, view);
        BufferedImage out = new BufferedImage(size[0], size[1], BufferedImage.TYPE_INT_RGB);
        double sx = rgn[2] / size[0];
        double sy = rgn[3] / size[1];
        for (int oy = 0; oy < size[1]; oy++) {
            for (int ox = 0; ox < size[0]; ox++) {
                long[] sum = new long[3];
                for (int j = 0; j < 8; j++) {
                    for (int i = 0; i < 8; i++) {
                        int x = (int) (rgn[0] + (ox + (i + 0.5) / 8) * sx);
                        int y = (int) (rgn[1] + (oy + (j + 0.5) / 8) * sy);
                        int[] px = pixel(Math.min(x, img.width() - 1), Math.min(y, img.height() - 1), img.width(),
                                img.height());
                        for (int c = 0; c < 3; c++) {
                            sum[c] += px[c];
                        }
                    }
                }
                out.setRGB(ox, oy, (int) (sum[0] / 64) << 16 | (int) (sum[1] / 64) << 8 | (int) (sum[2] / 64));
            }
        }
        return out.getRaster();
    }

    /** Per 0-255 sample, over the area both images cover (from the top left). */
    static double meanAbsoluteError(Raster a, Raster b) {
        int w = Math.min(a.getWidth(), b.getWidth());
        int h = Math.min(a.getHeight(), b.getHeight());
        int bands = a.getNumBands();
        int[] rowA = new int[w * bands];
        int[] rowB = new int[w * bands];
        long sum = 0;
        for (int y = 0; y < h; y++) {
            a.getPixels(a.getMinX(), a.getMinY() + y, w, 1, rowA);
            b.getPixels(b.getMinX(), b.getMinY() + y, w, 1, rowB);
            for (int i = 0; i < rowA.length; i++) {
                sum += Math.abs(rowA[i] - rowB[i]);
            }
        }
        return (double) sum / ((long) w * h * bands);
    }

    static String resolutions(Img img, boolean ceil) {
        StringBuilder b = new StringBuilder("Resolutions:");
        for (int d = img.levels() - 1; d >= 0; d--) {
            int[] l = img.level(d, ceil);
            b.append(l[0]).append(' ').append(l[1]).append(d > 0 ? "," : "");
        }
        return b.toString();
    }

    static void assertSize(int w, int h, RawResponse r) {
        assertEquals(200, r.status(), r::toString);
        BufferedImage img = ResponseDiff.decode(r.body(), "tile");
        assertEquals(w + "x" + h, img.getWidth() + "x" + img.getHeight());
    }

    static List<String> names(RawResponse r) {
        return r.headerNames().stream()
                .filter(n -> !ResponseDiff.FRAMING_HEADERS.contains(n.toLowerCase(Locale.ROOT)) || n.equals("Server"))
                .toList();
    }

    static void assertNoFailures(List<String> failures) {
        assertTrue(failures.isEmpty(), () -> failures.size() + " unexplained differences:\n" + String.join("\n", failures));
    }
}
