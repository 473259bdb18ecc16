package org.vellum.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** Scaling packed ARGB pixels. */
class ResamplerTest {
    private static int grey(int v) {
        return 0xFF000000 | v << 16 | v << 8 | v;
    }

    /** A checkerboard of 2x2 blocks: block (bx, by) has grey 10*(bx + 4*by) + (pixel parity) * 4. */
    private static Pixels pattern(int w, int h) {
        int[] p = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) p[y * w + x] = grey(10 * (x / 2 + 4 * (y / 2)) + ((x + y) % 2) * 4);
        }
        return new Pixels(w, h, p, 1);
    }

    @Test
    void downscalingAveragesTheSourcePixelsEachOutputPixelCovers() {
        Pixels out = Resampler.scale(pattern(8, 8), 4, 4, true);
        assertEquals(4, out.width());
        assertEquals(4, out.height());
        for (int by = 0; by < 4; by++) {
            for (int bx = 0; bx < 4; bx++) {
                // two pixels of the block have +4, two have +0: the average is +2
                assertEquals(grey(10 * (bx + 4 * by) + 2), out.argb()[by * 4 + bx], bx + "," + by);
            }
        }
    }

    @Test
    void downscalingAveragesEveryChannelIncludingAlpha() {
        int[] src = {0x00FF0000, 0xFF0000FF, 0x80008000, 0x80000000};
        Pixels out = Resampler.scale(new Pixels(2, 2, src, 4), 1, 1, true);
        // a: (0+255+128+128)/4 = 127.75, r: 255/4 = 63.75, g: 128/4 = 32, b: 255/4 = 63.75, rounded
        assertEquals(128 << 24 | 64 << 16 | 32 << 8 | 64, out.argb()[0]);
    }

    @Test
    void theSameSizeIsTheIdentity() {
        Pixels src = pattern(7, 5);
        assertSame(src, Resampler.scale(src, 7, 5, true));
        assertSame(src, Resampler.scale(src, 7, 5, false));
    }

    @Test
    void nearestNeighbourPicksTheCoveringSourcePixel() {
        Pixels src = pattern(8, 8);
        Pixels out = Resampler.scale(src, 4, 4, false);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                assertEquals(src.argb()[(2 * y + 1) * 8 + 2 * x + 1], out.argb()[y * 4 + x]);
            }
        }
    }

    @Test
    void upscalingAFlatImageKeepsItFlat() {
        int[] flat = new int[9];
        java.util.Arrays.fill(flat, 0xFF123456);
        Pixels out = Resampler.scale(new Pixels(3, 3, flat, 3), 10, 7, true);
        int[] expected = new int[70];
        java.util.Arrays.fill(expected, 0xFF123456);
        assertArrayEquals(expected, out.argb());
    }

    @Test
    void scalingInBandsGivesTheSamePixelsAsScalingAtOnce() {
        Pixels src = pattern(40, 30);
        Pixels whole = Resampler.scale(src, 13, 9, true);
        int[] out = new int[13 * 9];
        for (int oy0 = 0; oy0 < 9; oy0 += 2) {
            int oy1 = Math.min(9, oy0 + 2);
            int[] rows = Resampler.sourceRows(oy0, oy1, 30, 9);
            int[] band = java.util.Arrays.copyOfRange(src.argb(), rows[0] * 40, rows[1] * 40);
            Resampler.scaleRows(new Pixels(40, rows[1] - rows[0], band, 1), rows[0], 40, 30, out, 13, 9, oy0, oy1,
                    true);
        }
        assertArrayEquals(whole.argb(), out);
    }
}
