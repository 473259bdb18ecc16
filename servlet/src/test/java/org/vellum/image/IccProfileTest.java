package org.vellum.image;

import org.vellum.testing.ExternalDecoders;
import org.junit.jupiter.api.Assumptions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.Inflater;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.plugins.tiff.TIFFDirectory;
import javax.imageio.plugins.tiff.TIFFField;
import javax.imageio.stream.ImageInputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vellum.codec.openjpeg.Jp2Writer;
import org.vellum.codec.turbojpeg.TurboJpeg;
import org.vellum.config.Settings;
import org.vellum.testing.Fixtures;
import org.vellum.testing.Http;
import org.vellum.testing.Jp2Boxes;

/**
 * ICC-tagged JP2s (colr method 2) end to end, on every protocol path. The reference is OpenJPEG's own tool,
 * {@code opj_decompress}, which applies the profile with the system's LittleCMS and writes sRGB: our pixels are
 * compared with it directly when we convert, and after applying the profile our output carries when we embed.
 * The RGB profile is a wide-gamut one (Adobe RGB compatible, icc-profiles-free); the grey profile is the JDK's linear
 * grey, far from sRGB's tone curve, so an ignored profile cannot pass.
 */
class IccProfileTest {
    private static final Path ADOBE = Path.of("/usr/share/color/icc/compatibleWithAdobeRGB1998.icc");
    private static final int W = 601;
    private static final int H = 419;

    @TempDir
    static Path tmp;
    static Path images;
    static Http embed;
    static Http convert;
    static byte[] adobe;
    static byte[] grey;
    static byte[] big;

    @BeforeAll
    static void start() throws Exception {
        images = Files.createDirectories(tmp.resolve("images"));
        adobe = Files.readAllBytes(ADOBE);
        grey = ICC_Profile.getInstance(ColorSpace.CS_GRAY).getData();
        big = padded(adobe, 150_000);
        BufferedImage colours = saturated(W, H);
        tagged("adobe.jp2", colours, adobe);
        tagged("big.jp2", colours, big);
        tagged("grey.jp2", Fixtures.greyGrid(W, H), grey);
        tagged("mismatch.jp2", colours, grey);
        tagged("garbage.jp2", colours, "not an ICC profile at all, just some bytes".repeat(4).getBytes(StandardCharsets.US_ASCII));
        Path rgb16 = images.resolve("adobe16.jp2");
        Jp2Writer.write(rgb16, W, H, 3, 16, false, Fixtures.lossless(3, 256), (x, y, w, h, planes) -> {
            for (int j = 0; j < h; j++) {
                for (int i = 0; i < w; i++) {
                    int c = colours.getRGB(x + i, y + j);
                    for (int b = 0; b < 3; b++) planes[b][j * w + i] = (c >> (16 - 8 * b) & 0xFF) << 8 | (x + i + y + j) & 0xFF;
                }
            }
        });
        Jp2Boxes.tagWithIccProfile(rgb16, adobe);
        embed = new Http(Settings.fromEnvironment(Map.of("FILESYSTEM_PREFIX", images.toString())));
        convert = new Http(Settings.fromEnvironment(Map.of("FILESYSTEM_PREFIX", images.toString(),
                "ICC_PROFILES", "convert")));
    }

    @AfterAll
    static void stop() throws Exception {
        if (embed != null) embed.close();
        if (convert != null) convert.close();
    }

    @Test
    void jpegCarriesTheFilesProfileInApp2AndShowsTheManagedColours() {
        byte[] jpeg = embed.ok("/iiif/3/adobe.jp2/full/max/0/default.jpg");
        assertArrayEquals(adobe, jpegProfile(jpeg));
        assertEquals(0xE0, jpeg[3] & 0xFF, "JFIF's APP0 stays right after SOI");
        int[] managed = managed(samples(deviceValues(jpeg)), adobe);
        Stats s = Stats.of(opjReference("adobe.jp2"), managed);
        // JPEG q75 errors are made in the wide-gamut device space and grow where the profile stretches it (measured:
        // mean 0.76, max 31, 1.7% of samples over 3)
        assertTrue(s.mean() < 1.0 && s.max() <= 40 && s.over3() < 0.03,
                "JPEG q75 after its profile against OpenJPEG + LittleCMS: " + s);
        // without the profile the same bytes are far off: the profile is what makes them right
        assertTrue(Stats.of(opjReference("adobe.jp2"), samples(deviceValues(jpeg))).mean() > 8);
    }

    @Test
    void pngCarriesTheProfileInIccpAndItsPixelsAreTheStoredOnes() {
        byte[] png = embed.ok("/iiif/3/adobe.jp2/full/max/0/default.png");
        assertArrayEquals(adobe, pngProfile(png));
        assertArrayEquals(samples(Fixtures.reference(images.resolve("adobe.jp2"), 0, 0, W, H, 0)), samples(read(png)));
        Stats s = Stats.of(opjReference("adobe.jp2"), managed(samples(read(png)), adobe));
        assertTrue(s.max() <= 2, "lossless PNG after its profile against OpenJPEG + LittleCMS: " + s);
    }

    @Test
    void webpAndAvifCarryTheFilesProfileWhenTheirLibrariesArePresent() {
        Assumptions.assumeTrue(Encoders.available(OutputFormat.WEBP) && Encoders.available(OutputFormat.AVIF),
                "libwebp/libwebpmux and libavif are installed by bin/install-deps");
        byte[] webp = embed.ok("/iiif/3/adobe.jp2/full/max/0/default.webp");
        assertArrayEquals(adobe, ExternalDecoders.webpmuxIcc(tmp, webp), "webpmux -get icc");
        byte[] avif = embed.ok("/iiif/3/adobe.jp2/full/max/0/default.avif");
        assertArrayEquals(adobe, ExternalDecoders.pngIcc(ExternalDecoders.avifdecPng(tmp, avif)),
                "avifdec hands the profile on to its PNG");
        // converting leaves none in either
        assertNull(ExternalDecoders.webpmuxIcc(tmp, convert.ok("/iiif/3/adobe.jp2/full/max/0/default.webp")));
    }

    @Test
    void tiffCarriesTheProfileInTag34675() throws IOException {
        byte[] tif = embed.ok("/iiif/3/adobe.jp2/full/max/0/default.tif");
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(tif))) {
            ImageReader reader = ImageIO.getImageReadersByFormatName("tiff").next();
            reader.setInput(in);
            TIFFField icc = TIFFDirectory.createFromMetadata(reader.getImageMetadata(0)).getTIFFField(34675);
            assertNotNull(icc, "InterColorProfile tag");
            assertArrayEquals(adobe, icc.getAsBytes());
            Stats s = Stats.of(opjReference("adobe.jp2"), managed(samples(reader.read(0)), adobe));
            assertTrue(s.max() <= 2, "lossless TIFF after its profile: " + s);
        }
    }

    @Test
    void theImageIoJpegFallbackCarriesTheProfileToo() throws IOException {
        Pixels p = Pixels.of(Fixtures.reference(images.resolve("adobe.jp2"), 0, 0, 256, 256, 0), 3);
        System.setProperty(TurboJpeg.ENABLED_PROPERTY, "false");
        try {
            assertEquals("ImageIO", Encoders.jpegEncoder());
            byte[] jpeg = Encoders.encode(p, OutputFormat.JPEG, 90, adobe);
            assertEquals(1, app2(jpeg).size(), "ours only: ImageIO writes none for an sRGB image");
            assertArrayEquals(adobe, jpegProfile(jpeg));
            int[] ref = opjReference("adobe.jp2");
            int[] expected = new int[256 * 256];
            for (int y = 0; y < 256; y++) System.arraycopy(ref, y * W, expected, y * 256, 256);
            Stats s = Stats.of(expected, managed(samples(deviceValues(jpeg)), adobe));
            assertTrue(s.mean() < 1.0, "ImageIO JPEG q90 after its profile: " + s);
        } finally {
            System.clearProperty(TurboJpeg.ENABLED_PROPERTY);
        }
    }

    @Test
    void convertServesSrgbPixelsWithoutAProfile() {
        byte[] png = convert.ok("/iiif/3/adobe.jp2/full/max/0/default.png");
        assertNull(pngProfile(png));
        Stats s = Stats.of(opjReference("adobe.jp2"), samples(read(png)));
        assertTrue(s.max() <= 2, "converted PNG against OpenJPEG + LittleCMS: " + s);
        byte[] jpeg = convert.ok("/iiif/3/adobe.jp2/full/max/0/default.jpg");
        assertNull(jpegProfile(jpeg));
        Stats j = Stats.of(opjReference("adobe.jp2"), samples(read(jpeg)));
        assertTrue(j.mean() < 1.0 && j.max() <= 16 && j.over3() < 0.02, "converted JPEG q75 (measured: mean 0.80, max 13): " + j);
    }

    @Test
    void sixteenBitRgbWithAProfileIsManagedToo() {
        int[] converted = samples(read(convert.ok("/iiif/3/adobe16.jp2/full/max/0/default.png")));
        // OpenJPEG applies the profile to the 16-bit samples, we to their top 8 bits (the output's); its 16-bit
        // LittleCMS transform lands up to 21 off on 0.5% of the samples, at greens outside sRGB's gamut
        Stats s = Stats.of(opjReference("adobe16.jp2"), converted);
        assertTrue(s.mean() < 0.5 && s.over3() < 0.01, "16-bit converted against OpenJPEG's 16-bit decode: " + s);
        Stats same = Stats.of(opjReference("adobe.jp2"), converted);
        assertTrue(same.max() <= 2, "16-bit converted against the 8-bit file's managed decode: " + same);
        byte[] png = embed.ok("/iiif/3/adobe16.jp2/full/max/0/default.png");
        assertArrayEquals(adobe, pngProfile(png));
        Stats embedded = Stats.of(opjReference("adobe.jp2"), managed(samples(read(png)), adobe));
        assertTrue(embedded.max() <= 2, "16-bit embedded against the 8-bit file's managed decode: " + embedded);
    }

    @Test
    void aGreyProfileOnAGreyImageStaysGreyEmbeddedOrConverted() {
        byte[] jpeg = embed.ok("/iiif/3/grey.jp2/full/max/0/default.jpg");
        assertArrayEquals(grey, jpegProfile(jpeg));
        assertEquals(1, read(jpeg).getRaster().getNumBands());
        byte[] png = embed.ok("/iiif/3/grey.jp2/full/max/0/default.png");
        assertArrayEquals(grey, pngProfile(png));
        Stats embedded = Stats.of(opjReference("grey.jp2"), managed(samples(read(png)), grey));
        assertTrue(embedded.max() <= 2, "grey PNG after its profile: " + embedded);

        BufferedImage converted = read(convert.ok("/iiif/3/grey.jp2/full/max/0/default.png"));
        assertEquals(1, converted.getRaster().getNumBands(), "still one grey band");
        Stats s = Stats.of(opjReference("grey.jp2"), samples(converted));
        assertTrue(s.max() <= 2, "grey converted: " + s);
        assertTrue(Stats.of(opjReference("grey.jp2"), samples(Fixtures.reference(images.resolve("grey.jp2"), 0, 0, W, H, 0))).mean() > 20,
                "the linear grey profile changes the picture a lot, so ignoring it would show");
    }

    @Test
    void outputsThatCannotCarryAProfileAreConvertedEvenWhenEmbedding() {
        BufferedImage gif = read(embed.ok("/iiif/3/adobe.jp2/full/max/0/default.gif"));
        Stats s = Stats.of(opjReference("adobe.jp2"), samples(gif));
        assertTrue(s.mean() < 8, "GIF (a 256-colour palette) in sRGB: " + s);
    }

    @Test
    void requestsThatComputeOnColoursSeeSrgbEvenWhenEmbedding() {
        byte[] gray = embed.ok("/iiif/3/adobe.jp2/full/max/0/gray.png");
        assertNull(pngProfile(gray));
        int[] ref = opjReference("adobe.jp2");
        int[] expected = new int[ref.length];
        for (int i = 0; i < ref.length; i++) {
            int c = ref[i];
            int y = (int) Math.round(0.299 * (c >> 16 & 0xFF) + 0.587 * (c >> 8 & 0xFF) + 0.114 * (c & 0xFF));
            expected[i] = y << 16 | y << 8 | y;
        }
        Stats s = Stats.of(expected, samples(read(gray)));
        assertTrue(s.max() <= 3, "gray of the managed colours: " + s);
        // an IIP pixel operation (INV) likewise: no profile, and the inverse of the sRGB picture
        byte[] inverted = embed.ok("/iip?FIF=adobe.jp2&WID=" + W + "&INV&CVT=png");
        assertNull(pngProfile(inverted));
        int[] inv = samples(read(inverted));
        for (int i = 0; i < inv.length; i++) inv[i] = ~inv[i] & 0xFFFFFF;
        Stats si = Stats.of(ref, inv);
        assertTrue(si.max() <= 2, "INV of the managed colours: " + si);
    }

    @Test
    void profilesOver64KbAreSplitIntoNumberedApp2Segments() {
        byte[] jpeg = embed.ok("/iiif/3/big.jp2/full/max/0/default.jpg");
        List<byte[]> segments = app2(jpeg);
        assertEquals(3, segments.size(), "150000 bytes in segments of at most 65519");
        for (int i = 0; i < segments.size(); i++) {
            assertEquals(i + 1, segments.get(i)[12], "sequence number");
            assertEquals(3, segments.get(i)[13], "segment count");
        }
        assertArrayEquals(big, jpegProfile(jpeg));
        Stats s = Stats.of(opjReference("big.jp2"), managed(samples(deviceValues(jpeg)), big));
        assertTrue(s.mean() < 1.0, "the padded profile still applies: " + s);
    }

    @Test
    void aProfileTooLargeForApp2IsConvertedInJpegAndEmbeddedElsewhere() {
        Pixels rgb = Pixels.blank(8, 8, 3);
        byte[] huge = new byte[IccEmbedding.JPEG_MAX + 1];           // 255 segments of 65519 bytes, and one more
        assertFalse(Encoders.carriesIccProfile(OutputFormat.JPEG, rgb, huge, false));
        assertTrue(Encoders.carriesIccProfile(OutputFormat.PNG, rgb, huge, false));
        assertTrue(Encoders.carriesIccProfile(OutputFormat.JPEG, rgb, adobe, false));
        assertFalse(Encoders.carriesIccProfile(OutputFormat.GIF, rgb, adobe, false), "GIF carries none");
        assertFalse(Encoders.carriesIccProfile(OutputFormat.PNG, rgb, grey, true), "a grey profile on RGB pixels");
        assertFalse(Encoders.carriesIccProfile(OutputFormat.PNG, Pixels.blank(8, 8, 2), grey, true),
                "grey+alpha PNG is written as RGBA, which a grey profile does not describe");
        assertTrue(Encoders.carriesIccProfile(OutputFormat.JPEG, Pixels.blank(8, 8, 2), grey, true),
                "JPEG drops the alpha and stays grey");
    }

    @Test
    void theSettingIsEmbedByDefaultAndConvertWhenAsked() {
        assertEquals(Settings.Icc.EMBED, Settings.fromEnvironment(Map.of()).iccProfiles());
        assertEquals(Settings.Icc.CONVERT, Settings.fromEnvironment(Map.of("ICC_PROFILES", " Convert ")).iccProfiles());
        assertEquals(Settings.Icc.EMBED, Settings.fromEnvironment(Map.of("ICC_PROFILES", "bogus")).iccProfiles());
    }

    @Test
    void everyProtocolPathCarriesTheProfileOrConverts() {
        String[] tiles = {
            "/iip?FIF=adobe.jp2&JTL=2,0",
            "/iip?FIF=adobe.jp2&WID=300&CVT=jpeg",
            "/zoomify/adobe.jp2/TileGroup0/2-0-0.jpg",
            "/deepzoom/adobe.jp2_files/10/0_0.jpg",
            "/iiif/2/adobe.jp2/0,0,256,256/256,/0/default.jpg",
            "/iiif/3/adobe.jp2/0,0,256,256/256,256/0/default.jpg",
        };
        int[] ref = opjReference("adobe.jp2");
        for (String path : tiles) {
            byte[] embedded = embed.ok(path);
            assertArrayEquals(adobe, jpegProfile(embedded), path);
            byte[] converted = convert.ok(path);
            assertNull(jpegProfile(converted), path);
            BufferedImage c = read(converted);
            if (c.getWidth() == 256 && c.getHeight() == 256) {
                int[] expected = new int[256 * 256];
                for (int y = 0; y < 256; y++) System.arraycopy(ref, y * W, expected, y * 256, 256);
                Stats s = Stats.of(expected, samples(c));
                assertTrue(s.mean() < 2.0, path + ": " + s);
                assertTrue(Stats.of(expected, managed(samples(deviceValues(embedded)), adobe)).mean() < 2.0, path);
            }
        }
    }

    @Test
    void aProfileThatDoesNotFitTheImageIsIgnoredWithOneWarning() throws IOException {
        Path log = Path.of("target/test.log");                  // where simplelogger.properties sends the tests' log
        long before = Files.exists(log) ? Files.size(log) : 0;
        for (String file : new String[] {"mismatch.jp2", "garbage.jp2"}) {
            for (int i = 0; i < 2; i++) {
                assertNull(pngProfile(embed.ok("/iiif/3/" + file + "/full/" + (100 + i) + ",/0/default.png")), file);
            }
            byte[] full = convert.ok("/iiif/3/" + file + "/full/max/0/default.png");
            assertArrayEquals(samples(Fixtures.reference(images.resolve(file), 0, 0, W, H, 0)), samples(read(full)),
                    file + " is served as stored");
        }
        byte[] all = Files.readAllBytes(log);
        String text = new String(all, (int) before, all.length - (int) before, StandardCharsets.UTF_8);
        for (String file : new String[] {"mismatch.jp2", "garbage.jp2"}) {
            long warnings = text.lines().filter(l -> l.contains("WARN") && l.contains(file) && l.contains("ICC")).count();
            assertEquals(2, warnings, "one per server (embed, convert) for " + file + ":\n" + text);
        }
    }

    @Test
    void theSettingIsPartOfEtagsAndCacheKeys() throws Exception {
        String path = "/iiif/3/adobe.jp2/full/200,/0/default.jpg";
        assertNotEquals(Http.header(embed.get(path), "ETag"), Http.header(convert.get(path), "ETag"));
        // two nodes sharing a disk cache, one embedding and one converting: neither serves the other's bytes
        Path shared = Files.createDirectories(tmp.resolve("shared-cache"));
        try (Http a = node(shared, "embed"); Http b = node(shared, "convert"); Http c = node(shared, "embed")) {
            byte[] first = a.ok(path);
            assertArrayEquals(adobe, jpegProfile(first));
            assertNull(jpegProfile(b.ok(path)));
            assertEquals(0, b.server().vellum().engine().cache().diskStats().hits());
            assertArrayEquals(first, c.ok(path));
            assertEquals(1, c.server().vellum().engine().cache().diskStats().hits(), "the same setting shares");
        }
    }

    /**
     * What a viewer sees: headless Chromium decodes the PNG we served (with its iCCP) into a canvas, which it keeps in
     * sRGB, and the page reports the canvas's pixels. They must be the managed colours, not the stored ones.
     */
    @Test
    void chromiumShowsTheManagedColoursOfAnEmbeddedProfile() throws Exception {
        Path chromium = Path.of(System.getProperty("vellum.chromium", "/usr/bin/chromium"));
        assumeTrue(Files.isExecutable(chromium), "no Chromium at " + chromium + " (bin/install-deps test installs it)");
        byte[] png = embed.ok("/iiif/3/adobe.jp2/0,0,200,200/200,/0/default.png");
        String page = """
                <!DOCTYPE html><html><body><canvas id="c" width="200" height="200"></canvas><pre id="out">pending</pre>
                <script>
                var img = new Image();
                img.onload = function () {
                    var g = document.getElementById('c').getContext('2d');
                    g.drawImage(img, 0, 0);
                    var d = g.getImageData(0, 0, 200, 200).data, hex = [];
                    for (var i = 0; i < d.length; i += 4) hex.push(((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]).toString(16));
                    document.getElementById('out').textContent = 'RESULT' + hex.join(' ') + 'END';
                };
                img.src = 'data:image/png;base64,DATA';
                </script></body></html>
                """.replace("DATA", java.util.Base64.getEncoder().encodeToString(png));
        Path html = Files.writeString(tmp.resolve("managed.html"), page);
        Path profile = Files.createTempDirectory(tmp, "chromium");
        Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--force-color-profile=srgb", "--user-data-dir=" + profile, "--dump-dom", "--virtual-time-budget=10000",
                html.toUri().toString()).redirectError(tmp.resolve("chromium.log").toFile()).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "chromium did not finish");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("RESULT(.*?)END").matcher(new String(out, StandardCharsets.UTF_8));
        assertTrue(m.find(), "the page did not report: " + new String(out, StandardCharsets.UTF_8));
        int[] shown = Arrays.stream(m.group(1).trim().split(" ")).mapToInt(h -> Integer.parseInt(h, 16)).toArray();
        int[] ref = opjReference("adobe.jp2");
        int[] expected = new int[200 * 200];
        int[] stored = samples(read(png));
        for (int y = 0; y < 200; y++) System.arraycopy(ref, y * W, expected, y * 200, 200);
        Stats s = Stats.of(expected, shown);
        assertTrue(s.max() <= 2, "Chromium's canvas against OpenJPEG + LittleCMS: " + s);
        assertTrue(Stats.of(stored, shown).mean() > 5, "Chromium applied the profile: it does not show the stored values");
    }

    private static Http node(Path cache, String icc) {
        return new Http(Settings.fromEnvironment(Map.of("FILESYSTEM_PREFIX", images.toString(),
                "DISK_CACHE_DIR", cache.toString(), "MAX_IMAGE_CACHE_SIZE", "0", "ICC_PROFILES", icc)));
    }

    // ---- fixtures

    /** Strong primaries and secondaries across the picture, where a wide-gamut profile differs most from sRGB. */
    private static BufferedImage saturated(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r = 255 * x / (w - 1);
                int g = 255 * y / (h - 1);
                int b = 255 - 255 * (x + y) / (w + h - 2);
                img.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        return img;
    }

    private static void tagged(String name, BufferedImage img, byte[] icc) {
        Jp2Boxes.tagWithIccProfile(Fixtures.write(images, name, img, Fixtures.lossless(3, 256)), icc);
    }

    /** The profile with zeros appended up to {@code size} bytes, its header's size field saying so. */
    private static byte[] padded(byte[] icc, int size) {
        byte[] out = Arrays.copyOf(icc, size);
        ByteBuffer.wrap(out).putInt(0, size);
        return out;
    }

    // ---- the independent reference: OpenJPEG's tool with LittleCMS, as a curator's viewer would show the file

    private static final Map<String, int[]> REFERENCES = new java.util.concurrent.ConcurrentHashMap<>();

    private static int[] opjReference(String file) {
        return REFERENCES.computeIfAbsent(file, f -> {
            Path out = tmp.resolve(f + ".opj.png");
            try {
                Process p = new ProcessBuilder("opj_decompress", "-i", images.resolve(f).toString(), "-o", out.toString())
                        .redirectErrorStream(true).redirectOutput(tmp.resolve(f + ".opj.log").toFile()).start();
                assertEquals(0, p.waitFor(), "opj_decompress " + f + ": " + Files.readString(tmp.resolve(f + ".opj.log")));
                return samples(ImageIO.read(out.toFile()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    // ---- reading what we served, independently of our code

    private static BufferedImage read(byte[] encoded) {
        return Fixtures.decode(encoded);
    }

    /**
     * The stored samples as 8-bit RGB (grey repeated), straight from the raster: no colour model applied, so a tagged
     * image gives its device values and a grey one is not taken for linear grey.
     */
    private static int[] samples(BufferedImage img) {
        Raster r = img.getRaster();
        int w = img.getWidth();
        int h = img.getHeight();
        int bands = img.getColorModel().getNumColorComponents();
        int shift = r.getSampleModel().getSampleSize(0) > 8 ? 8 : 0;
        if (img.getColorModel().getPixelSize() > 0 && r.getDataBuffer().getDataType() == DataBuffer.TYPE_INT) {
            int[] argb = new int[w * h];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    argb[y * w + x] = r.getSample(x, y, 0) << 16 | r.getSample(x, y, 1) << 8 | r.getSample(x, y, 2);
                }
            }
            return argb;
        }
        if (img.getColorModel() instanceof java.awt.image.IndexColorModel icm) {
            int[] out = new int[w * h];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) out[y * w + x] = icm.getRGB(r.getSample(x, y, 0)) & 0xFFFFFF;
            }
            return out;
        }
        int[] out = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int red = r.getSample(x, y, 0) >> shift;
                int green = bands >= 3 ? r.getSample(x, y, 1) >> shift : red;
                int blue = bands >= 3 ? r.getSample(x, y, 2) >> shift : red;
                out[y * w + x] = red << 16 | green << 8 | blue;
            }
        }
        return out;
    }

    /** Device RGB (or grey, repeated) in {@code icc} to sRGB, by the JDK's LittleCMS in the test. */
    private static int[] managed(int[] device, byte[] icc) {
        ICC_Profile profile = ICC_Profile.getInstance(icc);
        boolean g = profile.getColorSpaceType() == ColorSpace.TYPE_GRAY;
        int bands = g ? 1 : 3;
        byte[] in = new byte[device.length * bands];
        for (int i = 0; i < device.length; i++) {
            for (int b = 0; b < bands; b++) in[i * bands + b] = (byte) (device[i] >> (16 - 8 * b));
        }
        Raster src = Raster.createInterleavedRaster(new DataBufferByte(in, in.length), device.length, 1,
                device.length * bands, bands, g ? new int[] {0} : new int[] {0, 1, 2}, null);
        WritableRaster dst = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, device.length, 1, 3, null);
        new ColorConvertOp(new ICC_Profile[] {profile, ICC_Profile.getInstance(ColorSpace.CS_sRGB)}, null).filter(src, dst);
        byte[] d = ((DataBufferByte) dst.getDataBuffer()).getData();
        int[] out = new int[device.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (d[3 * i] & 0xFF) << 16 | (d[3 * i + 1] & 0xFF) << 8 | d[3 * i + 2] & 0xFF;
        }
        return out;
    }

    /** The APP2 ICC_PROFILE segments' payloads (from "ICC_PROFILE\0" on), in file order, up to the scan. */
    private static List<byte[]> app2(byte[] jpeg) {
        List<byte[]> out = new ArrayList<>();
        int p = 2;
        while (p + 4 <= jpeg.length && (jpeg[p] & 0xFF) == 0xFF) {
            int marker = jpeg[p + 1] & 0xFF;
            if (marker == 0xDA) break;
            int len = (jpeg[p + 2] & 0xFF) << 8 | jpeg[p + 3] & 0xFF;
            byte[] payload = Arrays.copyOfRange(jpeg, p + 4, p + 2 + len);
            if (marker == 0xE2 && new String(payload, 0, Math.min(12, payload.length), StandardCharsets.ISO_8859_1)
                    .equals("ICC_PROFILE\0")) {
                out.add(payload);
            }
            p += 2 + len;
        }
        return out;
    }

    /**
     * The JPEG decoded as plain JFIF, its APP2 profile segments left out: the device values the profile describes
     * (the JDK's reader would otherwise convert them itself).
     */
    private static BufferedImage deviceValues(byte[] jpeg) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(jpeg.length);
        out.write(jpeg, 0, 2);
        int p = 2;
        while (p + 4 <= jpeg.length && (jpeg[p] & 0xFF) == 0xFF && (jpeg[p + 1] & 0xFF) != 0xDA) {
            int len = (jpeg[p + 2] & 0xFF) << 8 | jpeg[p + 3] & 0xFF;
            if ((jpeg[p + 1] & 0xFF) != 0xE2) out.write(jpeg, p, 2 + len);
            p += 2 + len;
        }
        out.write(jpeg, p, jpeg.length - p);
        return read(out.toByteArray());
    }

    private static byte[] jpegProfile(byte[] jpeg) {
        List<byte[]> segments = app2(jpeg);
        if (segments.isEmpty()) return null;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] s : segments) out.write(s, 14, s.length - 14);
        return out.toByteArray();
    }

    /** The iCCP chunk's profile, inflated, or null. */
    private static byte[] pngProfile(byte[] png) {
        ByteBuffer b = ByteBuffer.wrap(png);
        for (int p = 8; p + 8 <= png.length; p += 12 + b.getInt(p)) {
            int len = b.getInt(p);
            String type = new String(png, p + 4, 4, StandardCharsets.US_ASCII);
            if (type.equals("IDAT")) return null;
            if (!type.equals("iCCP")) continue;
            int name = p + 8;
            while (png[name] != 0) name++;
            assertEquals(0, png[name + 1], "compression method");
            Inflater inflater = new Inflater();
            inflater.setInput(png, name + 2, p + 8 + len - name - 2);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try {
                while (!inflater.finished()) {
                    int n = inflater.inflate(buf);
                    if (n == 0 && inflater.needsInput()) throw new IllegalStateException("truncated iCCP");
                    out.write(buf, 0, n);
                }
            } catch (java.util.zip.DataFormatException e) {
                throw new IllegalStateException(e);
            } finally {
                inflater.end();
            }
            return out.toByteArray();
        }
        return null;
    }

    /** Mean and largest absolute difference over R, G and B, and the share of samples more than 3 off. */
    record Stats(double mean, int max, double over3) {
        static Stats of(int[] expected, int[] actual) {
            assertEquals(expected.length, actual.length, "pixel count");
            long sum = 0;
            int max = 0;
            long over = 0;
            for (int i = 0; i < expected.length; i++) {
                for (int s = 0; s <= 16; s += 8) {
                    int d = Math.abs((expected[i] >> s & 0xFF) - (actual[i] >> s & 0xFF));
                    sum += d;
                    max = Math.max(max, d);
                    if (d > 3) over++;
                }
            }
            return new Stats(sum / (3.0 * expected.length), max, over / (3.0 * expected.length));
        }

        @Override
        public String toString() {
            return String.format("mean %.2f, max %d, %.3f%% over 3", mean, max, over3 * 100);
        }
    }
}
