package org.vellum.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.vellum.codec.openjpeg.Jp2ColorSpace;
import org.vellum.codec.openjpeg.Raster;

/** Decoded samples to pixels in one pass gives exactly what drawing them through an image gives. */
class PixelsOfRasterTest {
    private static final Random RANDOM = new Random(11);

    /** Samples mostly in range, some outside it (OpenJPEG's 9/7 output is not clamped). */
    private static Raster raster(int components, int precision, boolean signed, Jp2ColorSpace space, boolean alpha) {
        int w = 37;
        int h = 23;
        int[][] planes = new int[components][w * h];
        int max = (1 << precision) - 1;
        for (int[] p : planes) {
            for (int i = 0; i < p.length; i++) p[i] = RANDOM.nextInt(max + 41) - 20 - (signed ? max / 2 : 0);
        }
        int[] prec = new int[components];
        boolean[] sgnd = new boolean[components];
        java.util.Arrays.fill(prec, precision);
        java.util.Arrays.fill(sgnd, signed);
        return new Raster(w, h, planes, prec, sgnd, space, alpha);
    }

    private static void assertSameAsThroughAnImage(Raster r, int bands) {
        Pixels direct = Pixels.of(r, bands);
        Pixels drawn = Pixels.of(r.toImage(), bands);
        assertEquals(drawn.width(), direct.width());
        assertEquals(drawn.height(), direct.height());
        assertArrayEquals(drawn.argb(), direct.argb());
    }

    @Test
    void eightBitGreyRgbAndRgbaArePackedInOnePassWithTheSamePixels() {
        Raster grey = raster(1, 8, false, Jp2ColorSpace.GRAY, false);
        Raster rgb = raster(3, 8, false, Jp2ColorSpace.SRGB, false);
        Raster rgba = raster(4, 8, false, Jp2ColorSpace.SRGB, true);
        for (Raster r : new Raster[] {grey, rgb, rgba}) {
            assertNotNull(r.packedArgb(), r.planes().length + " components");
        }
        assertSameAsThroughAnImage(grey, 1);
        assertSameAsThroughAnImage(rgb, 3);
        assertSameAsThroughAnImage(rgba, 4);
    }

    @Test
    void everythingElseIsDrawnThroughAnImage() {
        Raster[] others = {
            raster(3, 12, false, Jp2ColorSpace.SRGB, false),
            raster(3, 8, true, Jp2ColorSpace.SRGB, false),
            raster(3, 8, false, Jp2ColorSpace.SYCC, false),
            raster(4, 8, false, Jp2ColorSpace.CMYK, false),
            raster(2, 8, false, Jp2ColorSpace.GRAY, true),
            raster(1, 4, false, Jp2ColorSpace.GRAY, false),
        };
        for (Raster r : others) {
            assertNull(r.packedArgb(), r.planes().length + " components, " + r.precision()[0] + " bits, " + r.colorSpace());
            assertSameAsThroughAnImage(r, Math.min(4, r.planes().length));
        }
    }
}
