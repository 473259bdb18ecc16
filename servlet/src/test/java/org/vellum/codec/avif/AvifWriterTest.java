package org.vellum.codec.avif;

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
 * AVIF written from tiles our decoder produced, read back by libavif's own command-line decoder (avifdec), not by our
 * binding: the pixels within a stated tolerance, grey as grey, alpha, and the ICC profile byte for byte.
 */
class AvifWriterTest {
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
    void switchAvifBackOn() {
        System.clearProperty(Avif.ENABLED_PROPERTY);
    }

    @Test
    void avifIsAvailableHere() {
        // bin/install-deps runtime installs libavif15; without it .avif is not offered.
        assertTrue(Avif.available(), Avif.describe());
    }

    @Test
    void aMissingLibraryIsReportedNotThrown() {
        var l = Avif.load("vellum-no-such-avif");
        assertNull(l.lib());
        assertNotNull(l.failure());
    }

    @Test
    void switchedOffItIsNotAvailableAndRefusesToEncode() {
        System.setProperty(Avif.ENABLED_PROPERTY, "false");
        assertFalse(Avif.available());
        assertFalse(Encoders.available(OutputFormat.AVIF));
        assertThrows(AvifException.class, Avif::writer);
    }

    @Test
    void qualityMapsLinearlyOntoTheQuantizerBestAt100() {
        assertEquals(0, AvifWriter.quantizer(100));
        assertEquals(25, AvifWriter.quantizer(60));
        assertEquals(62, AvifWriter.quantizer(1));
        assertEquals(62, AvifWriter.quantizer(-5));
        assertEquals(0, AvifWriter.quantizer(500));
    }

    @Test
    void aDecodedTileComesBackThroughAvifdecWithinTwoLevelsOnAverageAtQuality90() throws IOException {
        byte[] avif = Encoders.avif(Pixels.of(tile, 3), 90, 8, null);
        assertEquals("ftypavif", new String(avif, 4, 8, StandardCharsets.US_ASCII));
        BufferedImage back = ExternalDecoders.avifdec(tmp, avif);
        double e = Fixtures.meanError(tile, back);
        assertTrue(e < 2.0, "mean error " + e);
    }

    @Test
    void lowerQualityMeansFewerBytesAndLargerError() throws IOException {
        Pixels p = Pixels.of(tile, 3);
        byte[] high = Encoders.avif(p, 90, 8, null);
        byte[] low = Encoders.avif(p, 20, 8, null);
        assertTrue(low.length < high.length, low.length + " >= " + high.length);
        assertTrue(Fixtures.meanError(tile, ExternalDecoders.avifdec(tmp, low))
                > Fixtures.meanError(tile, ExternalDecoders.avifdec(tmp, high)));
    }

    @Test
    void greyIsWrittenAsLumaOnlyAndComesBackGrey() throws IOException {
        BufferedImage grey = Fixtures.greyGrid(300, 200);
        Pixels p = Pixels.of(grey, 1);
        byte[] avif = Encoders.avif(p, 90, 8, null);
        BufferedImage back = ExternalDecoders.avifdec(tmp, avif);
        // the samples, not getRGB, which would pass a grey PNG through the JDK's linear grey colour space
        java.awt.image.Raster r = back.getRaster();
        long sum = 0;
        for (int y = 0; y < 200; y++) {
            for (int x = 0; x < 300; x++) {
                int v = r.getSample(x, y, 0);
                for (int b = 1; b < Math.min(3, r.getNumBands()); b++) {
                    assertEquals(v, r.getSample(x, y, b), "band " + b + " equals band 0 at " + x + "," + y);
                }
                sum += Math.abs(v - Fixtures.greyOf(x, y));
            }
        }
        double e = sum / (300.0 * 200);
        assertTrue(e < 1.5, "mean error " + e);
    }

    @Test
    void alphaIsKeptWhenThePixelsHaveIt() throws IOException {
        BufferedImage rgba = Fixtures.rgbaGrid(200, 120);
        BufferedImage back = ExternalDecoders.avifdec(tmp, Encoders.avif(Pixels.of(rgba, 4), 80, 8, null));
        assertTrue(back.getColorModel().hasAlpha());
        for (int y = 0; y < 120; y += 7) {
            for (int x = 0; x < 200; x += 11) {
                // libavif's default alpha quantizer is lossless
                assertEquals(rgba.getRGB(x, y) >>> 24, back.getRGB(x, y) >>> 24, "alpha at " + x + "," + y);
            }
        }
    }

    @Test
    void anIccProfileGivenIsEmbedded() throws IOException {
        byte[] icc = ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData();
        byte[] avif = Encoders.avif(Pixels.of(tile, 3), 60, 8, icc);
        assertArrayEquals(icc, ExternalDecoders.pngIcc(ExternalDecoders.avifdecPng(tmp, avif)),
                "the profile avifdec finds (and writes to its PNG)");
    }

    @Test
    void withoutAProfileThereIsNone() throws IOException {
        byte[] avif = Encoders.avif(Pixels.of(tile, 3), 60, 8, null);
        assertNull(ExternalDecoders.pngIcc(ExternalDecoders.avifdecPng(tmp, avif)));
    }
}
