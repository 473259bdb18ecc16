package org.vellum.image;

import java.util.Locale;

/** Pixel operations, colour treatment, mirroring and rotation on 8-bit pixels, in iipsrv's order. */
public final class Transforms {
    private Transforms() {
    }

    /** Applies the pixel operations in their fixed order. */
    public static Pixels apply(Pixels p, PixelOps ops) {
        if (ops.isNone()) return p;
        for (PixelOps.Range r : ops.minMax()) p = normalise(p, r.channel(), r.min(), r.max());
        if (ops.shade() != null) p = hillShade(p, ops.shade()[0], ops.shade()[1]);
        if (ops.twist() != null) p = twist(p, ops.twist());
        if (ops.gamma() == PixelOps.LOG) {
            double k = 255 / Math.log1p(255);
            p = perSample(p, v -> Math.log1p(v) * k);
        } else if (!Double.isNaN(ops.gamma())) {
            double g = ops.gamma();
            p = perSample(p, v -> 255 * Math.pow(v / 255.0, g));
        }
        if (ops.invert()) p = perSample(p, v -> 255 - v);
        if (ops.colormap() != null) p = colormap(p, ops.colormap());
        if (!Double.isNaN(ops.contrast())) {
            double c = ops.contrast();
            p = perSample(p, v -> v * c);
        }
        if (ops.stretch()) p = stretch(p);
        if (ops.equalize()) p = equalize(p);
        return p;
    }

    /** default/color keep the image; gray averages the channels; bitonal thresholds the grey at the middle. */
    public static Pixels colour(Pixels p, Quality q) {
        if (q == Quality.GRAY || q == Quality.BITONAL) {
            int[] out = new int[p.argb().length];
            int[] in = p.argb();
            for (int i = 0; i < in.length; i++) {
                int c = in[i];
                int y = ((c >> 16 & 0xFF) * 299 + (c >> 8 & 0xFF) * 587 + (c & 0xFF) * 114 + 500) / 1000;
                if (q == Quality.BITONAL) y = y >= 128 ? 255 : 0;
                out[i] = c & 0xFF000000 | y << 16 | y << 8 | y;
            }
            return new Pixels(p.width(), p.height(), out, p.hasAlpha() ? 2 : 1);
        }
        return p;
    }

    /** Mirrors horizontally when asked, then rotates clockwise by a multiple of 90 degrees. */
    public static Pixels orient(Pixels p, boolean mirror, int quarterTurns) {
        int w = p.width();
        int h = p.height();
        int[] in = p.argb();
        int turns = Math.floorMod(quarterTurns, 4);
        if (!mirror && turns == 0) return p;
        int ow = turns % 2 == 0 ? w : h;
        int oh = turns % 2 == 0 ? h : w;
        int[] out = new int[in.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int sx = mirror ? w - 1 - x : x;
                int v = in[y * w + sx];
                int dx, dy;
                switch (turns) {
                    case 1 -> { dx = h - 1 - y; dy = x; }
                    case 2 -> { dx = w - 1 - x; dy = h - 1 - y; }
                    case 3 -> { dx = y; dy = w - 1 - x; }
                    default -> { dx = x; dy = y; }
                }
                out[dy * ow + dx] = v;
            }
        }
        return new Pixels(ow, oh, out, p.bands());
    }

    /**
     * Mirrors when asked, then rotates clockwise by any angle. Multiples of 90 degrees are exact ({@link #orient});
     * other angles give the bounding box of the turned image, sampled bilinearly, with the corners outside the image
     * transparent when {@code transparent} is set and white otherwise (the IIIF Image API's advice).
     */
    public static Pixels rotate(Pixels p, boolean mirror, double degrees, boolean transparent) {
        double turns = degrees / 90.0;
        if (Math.abs(turns - Math.rint(turns)) < 1e-9) return orient(p, mirror, (int) Math.rint(turns));
        if (mirror) p = orient(p, true, 0);
        int w = p.width();
        int h = p.height();
        double a = Math.toRadians(degrees);
        double cos = Math.cos(a);
        double sin = Math.sin(a);
        int ow = Math.max(1, (int) Math.round(w * Math.abs(cos) + h * Math.abs(sin)));
        int oh = Math.max(1, (int) Math.round(w * Math.abs(sin) + h * Math.abs(cos)));
        int[] in = p.argb();
        int[] out = new int[Math.multiplyExact(ow, oh)];
        for (int oy = 0; oy < oh; oy++) {
            double dy = oy + 0.5 - oh / 2.0;
            for (int ox = 0; ox < ow; ox++) {
                double dx = ox + 0.5 - ow / 2.0;
                // the inverse of a clockwise turn on a y-down raster, to the source's pixel-centre grid
                double sx = dx * cos + dy * sin + w / 2.0 - 0.5;
                double sy = -dx * sin + dy * cos + h / 2.0 - 0.5;
                out[oy * ow + ox] = sampleOrClear(in, w, h, sx, sy, transparent);
            }
        }
        int bands = transparent ? (p.isGray() ? 2 : 4) : (p.isGray() ? 1 : 3);
        return new Pixels(ow, oh, out, bands);
    }

    /** Bilinear sample where neighbours outside the image count as clear; composited over white when not transparent. */
    private static int sampleOrClear(int[] in, int w, int h, double sx, double sy, boolean transparent) {
        int x0 = (int) Math.floor(sx);
        int y0 = (int) Math.floor(sy);
        double fx = sx - x0;
        double fy = sy - y0;
        double r = 0, g = 0, b = 0, alpha = 0;
        for (int j = 0; j < 2; j++) {
            int y = y0 + j;
            double wy = j == 0 ? 1 - fy : fy;
            for (int i = 0; i < 2; i++) {
                int x = x0 + i;
                double wx = i == 0 ? 1 - fx : fx;
                // half a pixel of grace at the edges, so the image's own border pixels keep their full colour
                int cx = x < 0 && sx > -0.5 ? 0 : x >= w && sx < w - 0.5 ? w - 1 : x;
                int cy = y < 0 && sy > -0.5 ? 0 : y >= h && sy < h - 0.5 ? h - 1 : y;
                if (cx < 0 || cy < 0 || cx >= w || cy >= h) continue;
                int c = in[cy * w + cx];
                double k = wx * wy * (c >>> 24) / 255.0;
                r += k * (c >> 16 & 0xFF);
                g += k * (c >> 8 & 0xFF);
                b += k * (c & 0xFF);
                alpha += k;
            }
        }
        if (transparent) {
            if (alpha <= 0) return 0;
            return clamp((int) Math.round(alpha * 255)) << 24 | clamp((int) Math.round(r / alpha)) << 16
                    | clamp((int) Math.round(g / alpha)) << 8 | clamp((int) Math.round(b / alpha));
        }
        double white = 255 * (1 - alpha);
        return 0xFF000000 | clamp((int) Math.round(r + white)) << 16 | clamp((int) Math.round(g + white)) << 8
                | clamp((int) Math.round(b + white));
    }

    @FunctionalInterface
    private interface SampleFunction {
        double apply(double v);
    }

    private static Pixels perSample(Pixels p, SampleFunction f) {
        int[] lut = new int[256];
        for (int v = 0; v < 256; v++) lut[v] = clamp((int) Math.round(f.apply(v)));
        int[] in = p.argb();
        int[] out = new int[in.length];
        for (int i = 0; i < in.length; i++) {
            int c = in[i];
            out[i] = c & 0xFF000000 | lut[c >> 16 & 0xFF] << 16 | lut[c >> 8 & 0xFF] << 8 | lut[c & 0xFF];
        }
        return new Pixels(p.width(), p.height(), out, p.bands());
    }

    private static Pixels normalise(Pixels p, int channel, double min, double max) {
        if (!(max > min)) return p;
        int[] in = p.argb();
        int[] out = new int[in.length];
        double k = 255 / (max - min);
        for (int i = 0; i < in.length; i++) {
            int c = in[i];
            int r = out(c >> 16 & 0xFF, channel, 0, min, k);
            int g = p.isGray() ? r : out(c >> 8 & 0xFF, channel, 1, min, k);
            int b = p.isGray() ? r : out(c & 0xFF, channel, 2, min, k);
            out[i] = c & 0xFF000000 | r << 16 | g << 8 | b;
        }
        return new Pixels(p.width(), p.height(), out, p.bands());
    }

    private static int out(int v, int channel, int index, double min, double k) {
        return channel < 0 || channel == index ? clamp((int) Math.round((v - min) * k)) : v;
    }

    /** Lambertian hill shading of a height map (the first channel), light from the given azimuth and elevation. */
    private static Pixels hillShade(Pixels p, int azimuth, int elevation) {
        int w = p.width();
        int h = p.height();
        int[] in = p.argb();
        int[] out = new int[in.length];
        double az = Math.toRadians(90 - azimuth);
        double el = Math.toRadians(elevation);
        double lx = Math.cos(el) * Math.cos(az);
        double ly = Math.cos(el) * Math.sin(az);
        double lz = Math.sin(el);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double dzdx = (height(in, w, h, x + 1, y) - height(in, w, h, x - 1, y)) / 2.0;
                double dzdy = (height(in, w, h, x, y - 1) - height(in, w, h, x, y + 1)) / 2.0;
                double n = Math.sqrt(dzdx * dzdx + dzdy * dzdy + 1);
                double shade = Math.max(0, (-dzdx * lx - dzdy * ly + lz) / n);
                int v = clamp((int) Math.round(shade * 255));
                out[y * w + x] = in[y * w + x] & 0xFF000000 | v << 16 | v << 8 | v;
            }
        }
        return new Pixels(w, h, out, p.hasAlpha() ? 2 : 1);
    }

    private static int height(int[] in, int w, int h, int x, int y) {
        x = Math.max(0, Math.min(w - 1, x));
        y = Math.max(0, Math.min(h - 1, y));
        return in[y * w + x] >> 16 & 0xFF;
    }

    private static Pixels twist(Pixels p, double[][] m) {
        int[] in = p.argb();
        int[] out = new int[in.length];
        int rows = Math.min(3, m.length);
        for (int i = 0; i < in.length; i++) {
            int c = in[i];
            double[] s = {c >> 16 & 0xFF, c >> 8 & 0xFF, c & 0xFF};
            int[] o = new int[3];
            for (int r = 0; r < rows; r++) {
                double acc = 0;
                for (int k = 0; k < Math.min(3, m[r].length); k++) acc += m[r][k] * s[k];
                o[r] = clamp((int) Math.round(acc));
            }
            if (rows == 1) o[1] = o[2] = o[0];
            out[i] = c & 0xFF000000 | o[0] << 16 | o[1] << 8 | o[2];
        }
        return new Pixels(p.width(), p.height(), out, rows == 1 ? (p.hasAlpha() ? 2 : 1) : (p.hasAlpha() ? 4 : 3));
    }

    private static Pixels colormap(Pixels p, String name) {
        int[] lut = new int[256];
        for (int v = 0; v < 256; v++) lut[v] = mapColour(name.toLowerCase(Locale.ROOT), v / 255.0);
        int[] in = p.argb();
        int[] out = new int[in.length];
        for (int i = 0; i < in.length; i++) out[i] = in[i] & 0xFF000000 | lut[in[i] >> 16 & 0xFF];
        return new Pixels(p.width(), p.height(), out, p.hasAlpha() ? 4 : 3);
    }

    private static int mapColour(String name, double t) {
        double r, g, b;
        switch (name) {
            case "hot" -> { r = 3 * t; g = 3 * t - 1; b = 3 * t - 2; }
            case "cold" -> { r = 3 * t - 2; g = 3 * t - 1; b = 3 * t; }
            case "jet" -> { r = 1.5 - Math.abs(4 * t - 3); g = 1.5 - Math.abs(4 * t - 2); b = 1.5 - Math.abs(4 * t - 1); }
            case "red" -> { r = t; g = 0; b = 0; }
            case "green" -> { r = 0; g = t; b = 0; }
            case "blue" -> { r = 0; g = 0; b = t; }
            default -> { r = t; g = t; b = t; }
        }
        return unit(r) << 16 | unit(g) << 8 | unit(b);
    }

    private static int unit(double v) {
        return clamp((int) Math.round(Math.max(0, Math.min(1, v)) * 255));
    }

    private static Pixels stretch(Pixels p) {
        int min = 255, max = 0;
        for (int c : p.argb()) {
            for (int s = 0; s <= 16; s += 8) {
                int v = c >> s & 0xFF;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        if (max <= min) return p;
        double k = 255.0 / (max - min);
        int lo = min;
        return perSample(p, v -> (v - lo) * k);
    }

    private static Pixels equalize(Pixels p) {
        long[] hist = new long[256];
        for (int c : p.argb()) {
            hist[c >> 16 & 0xFF]++;
            hist[c >> 8 & 0xFF]++;
            hist[c & 0xFF]++;
        }
        long total = 3L * p.argb().length;
        double[] cdf = new double[256];
        long acc = 0;
        for (int v = 0; v < 256; v++) {
            acc += hist[v];
            cdf[v] = (double) acc / total;
        }
        return perSample(p, v -> cdf[(int) v] * 255);
    }

    /** An 8-bit sample. */
    static int clamp(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }
}
