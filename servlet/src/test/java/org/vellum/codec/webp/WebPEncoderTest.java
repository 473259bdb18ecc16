package org.vellum.codec.webp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vellum.image.Encoders;
import org.vellum.image.OutputFormat;
import org.vellum.image.Pixels;
import org.vellum.testing.ExternalDecoders;
import org.vellum.testing.Fixtures;

/**
 * WebP written from tiles our decoder produced, read back by libwebp's own command-line tools (dwebp, webpmux), not by
 * our binding: the pixels within a stated tolerance, alpha exactly, the ICC profile byte for byte.
 */
class WebPEncoderTest {
    @TempDir
    static Path tmp;
    /** A 256x256 tile from the middle of a lossless 512x512 textured grid, as the engine decodes it. */
    static BufferedImage tile;

    @BeforeAll
    static void decodeATile() {
        Path jp2 = Fixtures.write(tmp, "textured.jp2", Fixtures.texturedGrid(512, 512), Fixtures.lossless(3, 256));
        tile = Fixtures.reference(jp2, 128, 128, 256, 256, 0);
    }

    @AfterEach
    void switchWebPBackOn() {
        System.clearProperty(WebP.ENABLED_PROPERTY);
    }

    @Test
    void webpIsAvailableHere() {
        // bin/install-deps runtime installs libwebp7 and libwebpmux3; without them .webp is not offered.
        assertTrue(WebP.available(), WebP.describe());
    }

    @Test
    void aMissingLibraryIsReportedNotThrown() {
        var l = WebP.load("vellum-no-such-webp", WebP.MUX_LIBRARY);
        assertNull(l.lib());
        assertNotNull(l.failure());
        assertNull(WebP.load(WebP.LIBRARY, "vellum-no-such-webpmux").lib(), "no mux library, no WebP");
    }

    @Test
    void switchedOffItIsNotAvailableAndRefusesToEncode() {
        System.setProperty(WebP.ENABLED_PROPERTY, "false");
        assertFalse(WebP.available());
        assertFalse(Encoders.available(OutputFormat.WEBP));
        assertThrows(WebPException.class, WebP::encoder);
    }

    @Test
    void aDecodedTileComesBackThroughDwebpWithinTwoLevelsOnAverageAtQuality90() throws IOException {
        Pixels p = Pixels.of(tile, 3);
        byte[] webp = Encoders.webp(p, 90, null);
        assertEquals("RIFF", new String(webp, 0, 4, StandardCharsets.US_ASCII));
        assertEquals("WEBP", new String(webp, 8, 4, StandardCharsets.US_ASCII));
        BufferedImage back = ExternalDecoders.dwebp(tmp, webp);
        double e = Fixtures.meanError(tile, back);
        assertTrue(e < 2.0, "mean error " + e);
    }

    @Test
    void lowerQualityMeansFewerBytesAndLargerError() throws IOException {
        Pixels p = Pixels.of(tile, 3);
        byte[] high = Encoders.webp(p, 90, null);
        byte[] low = Encoders.webp(p, 20, null);
        assertTrue(low.length < high.length, low.length + " >= " + high.length);
        assertTrue(Fixtures.meanError(tile, ExternalDecoders.dwebp(tmp, low))
                > Fixtures.meanError(tile, ExternalDecoders.dwebp(tmp, high)));
    }

    @Test
    void alphaIsKeptExactlyWhenThePixelsHaveIt() throws IOException {
        BufferedImage rgba = Fixtures.rgbaGrid(200, 120);
        byte[] webp = Encoders.webp(Pixels.of(rgba, 4), 80, null);
        BufferedImage back = ExternalDecoders.dwebp(tmp, webp);
        assertTrue(back.getColorModel().hasAlpha());
        for (int y = 0; y < 120; y += 7) {
            for (int x = 0; x < 200; x += 11) {
                assertEquals(rgba.getRGB(x, y) >>> 24, back.getRGB(x, y) >>> 24, "alpha at " + x + "," + y);
            }
        }
    }

    @Test
    void withoutAlphaEveryPixelIsOpaqueWhateverTheAlphaBytesHold() throws IOException {
        Pixels p = Pixels.of(tile, 3);
        int[] transparent = p.argb().clone();
        for (int i = 0; i < transparent.length; i++) transparent[i] &= 0x00FFFFFF;
        BufferedImage back = ExternalDecoders.dwebp(tmp, Encoders.webp(new Pixels(256, 256, transparent, 3), 90, null));
        assertFalse(back.getColorModel().hasAlpha(), "dwebp writes RGB for a WebP without alpha");
        assertTrue(Fixtures.meanError(tile, back) < 2.0);
    }

    @Test
    void anIccProfileGivenIsEmbeddedAsAnIccpChunk() throws IOException {
        byte[] icc = ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData();
        byte[] webp = Encoders.webp(Pixels.of(tile, 3), 75, icc);
        assertArrayEquals(icc, ExternalDecoders.webpmuxIcc(tmp, webp));
        // and the picture is still the picture: the same as without the profile
        BufferedImage plain = ExternalDecoders.dwebp(tmp, Encoders.webp(Pixels.of(tile, 3), 75, null));
        assertEquals(0.0, Fixtures.meanError(plain, ExternalDecoders.dwebp(tmp, webp)));
    }

    @Test
    void withoutAProfileThereIsNoIccpChunk() throws IOException {
        byte[] webp = Encoders.webp(Pixels.of(tile, 3), 75, null);
        assertNull(ExternalDecoders.webpmuxIcc(tmp, webp));
    }
}
