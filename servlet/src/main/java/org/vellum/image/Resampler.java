package org.vellum.image;

import org.vellum.util.Ints;

/**
 * Scales packed ARGB pixels. Downscaling averages the source pixels each output pixel covers; upscaling is bilinear;
 * nearest neighbour when interpolation is off. Works on horizontal bands so a large output never needs its whole
 * source in memory: the caller feeds source rows [srcRow0, srcRow0 + band.height) and asks for output rows.
 */
public final class Resampler {
    private Resampler() {
    }

    /**
     * Where output pixels fall in the source along one axis: output edge o lies at source coordinate
     * {@code o * scale + offset}. Stretching a whole source over the output is {@code (source/output, 0)}; a level made
     * from a stored one by 2^k is {@code (2^k, start * 2^k - sourceStart)}, so each output pixel stands for its own block.
     */
    public record Axis(double scale, double offset) {
        public static Axis stretch(int source, int output) {
            return new Axis((double) source / output, 0);
        }

        double at(double o) {
            return o * scale + offset;
        }
    }

    /** Source rows the output rows [oy0, oy1) read, for a source of height sh scaled to oh: {first, last exclusive}. */
    public static int[] sourceRows(int oy0, int oy1, int sh, int oh) {
        return sourceRows(oy0, oy1, sh, Axis.stretch(sh, oh));
    }

    public static int[] sourceRows(int oy0, int oy1, int sh, Axis y) {
        int first = (int) Math.floor(y.at(oy0)) - 1;
        int last = (int) Math.ceil(y.at(oy1)) + 1;
        return new int[] {Math.max(0, Math.min(sh - 1, first)), Math.max(1, Math.min(sh, last))};
    }

    /**
     * Writes output rows [oy0, oy1) of a sw x sh source scaled to ow x oh into {@code out}, reading the source band
     * that starts at source row {@code srcRow0}.
     */
    public static void scaleRows(Pixels band, int srcRow0, int sw, int sh, int[] out, int ow, int oh, int oy0, int oy1,
                                 boolean smooth) {
        scaleRows(band, srcRow0, sw, sh, Axis.stretch(sw, ow), Axis.stretch(sh, oh), out, ow, oy0, oy1, smooth);
    }

    public static void scaleRows(Pixels band, int srcRow0, int sw, int sh, Axis ax, Axis ay, int[] out, int ow,
                                 int oy0, int oy1, boolean smooth) {
        int[] src = band.argb();
        int bw = band.width();
        int bandRows = band.height();
        for (int oy = oy0; oy < oy1; oy++) {
            int rowOut = oy * ow;
            if (!smooth) {
                int y = Ints.clamp(Ints.clamp((int) ay.at(oy + 0.5), 0, sh - 1) - srcRow0, 0, bandRows - 1);
                for (int ox = 0; ox < ow; ox++) {
                    out[rowOut + ox] = src[y * bw + Ints.clamp((int) ax.at(ox + 0.5), 0, sw - 1)];
                }
            } else if (ax.scale() >= 1 && ay.scale() >= 1) {
                int y0 = Ints.clamp((int) Math.floor(ay.at(oy)), 0, sh - 1);
                int y1 = Math.max(y0 + 1, Math.min(sh, (int) Math.ceil(ay.at(oy + 1))));
                for (int ox = 0; ox < ow; ox++) {
                    int x0 = Ints.clamp((int) Math.floor(ax.at(ox)), 0, sw - 1);
                    int x1 = Math.max(x0 + 1, Math.min(sw, (int) Math.ceil(ax.at(ox + 1))));
                    out[rowOut + ox] = average(src, bw, srcRow0, bandRows, x0, x1, y0, y1);
                }
            } else {
                double fy = Math.max(0, ay.at(oy + 0.5) - 0.5);
                int ya = Math.min((int) fy, sh - 1);
                int yb = Math.min(ya + 1, sh - 1);
                double wy = fy - ya;
                int ra = Ints.clamp(ya - srcRow0, 0, bandRows - 1) * bw;
                int rb = Ints.clamp(yb - srcRow0, 0, bandRows - 1) * bw;
                for (int ox = 0; ox < ow; ox++) {
                    double fx = Math.max(0, ax.at(ox + 0.5) - 0.5);
                    int xa = Math.min((int) fx, sw - 1);
                    int xb = Math.min(xa + 1, sw - 1);
                    double wx = fx - xa;
                    out[rowOut + ox] = bilinear(src[ra + xa], src[ra + xb], src[rb + xa], src[rb + xb], wx, wy);
                }
            }
        }
    }

    /** Scales a whole image (small sources, or sources already in memory). */
    public static Pixels scale(Pixels src, int ow, int oh, boolean smooth) {
        if (src.width() == ow && src.height() == oh) return src;
        return scale(src, ow, oh, Axis.stretch(src.width(), ow), Axis.stretch(src.height(), oh), smooth);
    }

    public static Pixels scale(Pixels src, int ow, int oh, Axis ax, Axis ay, boolean smooth) {
        int[] out = new int[Math.multiplyExact(ow, oh)];
        scaleRows(src, 0, src.width(), src.height(), ax, ay, out, ow, 0, oh, smooth);
        return new Pixels(ow, oh, out, src.bands());
    }

    private static int average(int[] src, int bw, int srcRow0, int bandRows, int x0, int x1, int y0, int y1) {
        long a = 0, r = 0, g = 0, b = 0;
        int n = 0;
        for (int y = y0; y < y1; y++) {
            int row = Ints.clamp(y - srcRow0, 0, bandRows - 1) * bw;
            for (int x = x0; x < x1; x++) {
                int p = src[row + x];
                a += p >>> 24;
                r += p >> 16 & 0xFF;
                g += p >> 8 & 0xFF;
                b += p & 0xFF;
                n++;
            }
        }
        int h = n / 2;
        return (int) ((a + h) / n) << 24 | (int) ((r + h) / n) << 16 | (int) ((g + h) / n) << 8 | (int) ((b + h) / n);
    }

    private static int bilinear(int p00, int p10, int p01, int p11, double wx, double wy) {
        int out = 0;
        for (int shift = 0; shift <= 24; shift += 8) {
            double top = (p00 >>> shift & 0xFF) * (1 - wx) + (p10 >>> shift & 0xFF) * wx;
            double bottom = (p01 >>> shift & 0xFF) * (1 - wx) + (p11 >>> shift & 0xFF) * wx;
            out |= Ints.clamp((int) Math.round(top * (1 - wy) + bottom * wy), 0, 255) << shift;
        }
        return out;
    }
}
