package org.vellum.codec.openjpeg;

import java.nio.file.Path;

/** Test images with known pixels, encoded by our own writer. */
final class Fixtures {
    private Fixtures() { }

    /** Textured but deterministic: exact checks catch any misplaced sample. */
    static int texture(int c, int x, int y, int precision) {
        int mask = (1 << precision) - 1;
        int v = x * 7 + y * 13 + c * 101 + ((x * y) >> 3) + ((x ^ y) & 31) * (c + 1);
        return v & mask;
    }

    /** Smooth gradients plus a colour grid: meaningful for lossy comparisons. */
    static int smooth(int c, int x, int y, int precision) {
        int max = (1 << precision) - 1;
        double v;
        switch (c % 4) {
            case 0: v = x / 1000.0; break;
            case 1: v = y / 800.0; break;
            case 2: v = ((x / 64 + y / 64) % 2 == 0) ? 0.8 : 0.2; break;
            default: v = 0.5 + 0.5 * Math.sin(x / 40.0) * Math.cos(y / 30.0); break;
        }
        return (int) Math.round(Math.max(0, Math.min(1, v)) * max);
    }

    interface Pattern {
        int value(int c, int x, int y, int precision);
    }

    static PixelSource source(Pattern pattern, int precision) {
        return (x, y, w, h, planes) -> {
            for (int c = 0; c < planes.length; c++) {
                for (int r = 0; r < h; r++) {
                    for (int q = 0; q < w; q++) {
                        planes[c][r * w + q] = pattern.value(c, x + q, y + r, precision);
                    }
                }
            }
        };
    }

    static Path write(Path dir, String name, int w, int h, int comps, int precision, Jp2EncodeOptions options, Pattern pattern)
            throws OpenJpegException {
        Path file = dir.resolve(name);
        Jp2Writer.write(file, w, h, comps, precision, false, options, source(pattern, precision));
        return file;
    }

    static Jp2EncodeOptions lossless(int levels, int tileSize) {
        return new Jp2EncodeOptions(levels, 3, tileSize, true, true);
    }

    /** The planes a full decode at {@code reduce} would give, cut to the region (x,y,w,h) by OpenJPEG's ceiling formula. */
    static int[][] cut(Raster full, int x, int y, int w, int h, int reduce) {
        int x0 = ceilPow2(x, reduce);
        int y0 = ceilPow2(y, reduce);
        int cw = ceilPow2(x + w, reduce) - x0;
        int ch = ceilPow2(y + h, reduce) - y0;
        int[][] out = new int[full.planes().length][cw * ch];
        for (int c = 0; c < out.length; c++) {
            for (int r = 0; r < ch; r++) {
                System.arraycopy(full.planes()[c], (y0 + r) * full.width() + x0, out[c], r * cw, cw);
            }
        }
        return out;
    }

    static int ceilPow2(int a, int r) {
        return (a + (1 << r) - 1) >> r;
    }

    /** Expected full-resolution samples of the region, from the pattern itself. */
    static int[][] expected(Pattern pattern, int comps, int precision, int x, int y, int w, int h) {
        int[][] out = new int[comps][w * h];
        source(pattern, precision).read(x, y, w, h, out);
        return out;
    }

    static double meanAbsError(int[][] a, int[][] b) {
        double sum = 0;
        long n = 0;
        for (int c = 0; c < a.length; c++) {
            for (int i = 0; i < a[c].length; i++) {
                sum += Math.abs(a[c][i] - b[c][i]);
                n++;
            }
        }
        return sum / n;
    }
}
