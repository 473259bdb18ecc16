package org.vellum.codec.openjpeg;

import org.vellum.util.Ints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;

/**
 * Decoded samples, one int plane per component, all planes already up-sampled to width x height.
 * Samples are as stored: {@code precision[c]} bits, signed when {@code signed[c]}. When the file marks an alpha
 * component it is the last plane.
 */
public record Raster(int width, int height, int[][] planes, int[] precision, boolean[] signed, Jp2ColorSpace colorSpace,
                     boolean hasAlpha) {

    public Raster {
        if (planes.length == 0 || planes.length != precision.length || planes.length != signed.length) {
            throw new IllegalArgumentException("planes, precision and signed must have the same non-zero length");
        }
        for (int[] p : planes) {
            if (p.length != width * height) {
                throw new IllegalArgumentException("plane size " + p.length + " != " + width + "x" + height);
            }
        }
    }

    /**
     * 8-bit image: TYPE_BYTE_GRAY (1 comp), TYPE_INT_RGB (3), TYPE_INT_ARGB (4 with alpha or 2 = gray+alpha); >8-bit samples
     * scaled to 8 bits, <8 expanded, signed shifted; sYCC and e-sYCC converted to RGB, CMYK naively to RGB.
     */
    public BufferedImage toImage() {
        int n = planes.length;
        int count = width * height;
        if (n == 1 || (n == 2 && !hasAlpha)) {
            BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
            byte[] dst = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
            int[] g = to8(0);
            for (int i = 0; i < count; i++) {
                dst[i] = (byte) g[i];
            }
            return img;
        }
        if (n == 2) {
            BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
            int[] dst = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
            int[] g = to8(0);
            int[] a = to8(1);
            for (int i = 0; i < count; i++) {
                dst[i] = a[i] << 24 | g[i] << 16 | g[i] << 8 | g[i];
            }
            return img;
        }
        int[] r;
        int[] g;
        int[] b;
        if (colorSpace == Jp2ColorSpace.SYCC || colorSpace == Jp2ColorSpace.EYCC) {
            // e-sYCC decodes with sYCC's matrix (IEC 61966-2-1 Amd 1); only its encoding range is wider.
            int[][] rgb = syccToRgb8();
            r = rgb[0];
            g = rgb[1];
            b = rgb[2];
        } else if (colorSpace == Jp2ColorSpace.CMYK && n >= 4) {
            int[] c = to8(0);
            int[] m = to8(1);
            int[] y = to8(2);
            int[] k = to8(3);
            r = new int[count];
            g = new int[count];
            b = new int[count];
            for (int i = 0; i < count; i++) {
                int kk = 255 - k[i];
                r[i] = (255 - c[i]) * kk / 255;
                g[i] = (255 - m[i]) * kk / 255;
                b[i] = (255 - y[i]) * kk / 255;
            }
        } else {
            r = to8(0);
            g = to8(1);
            b = to8(2);
        }
        boolean alpha = n >= 4 && hasAlpha;
        BufferedImage img = new BufferedImage(width, height, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        int[] dst = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
        if (alpha) {
            int[] a = to8(n - 1);
            for (int i = 0; i < count; i++) {
                dst[i] = a[i] << 24 | r[i] << 16 | g[i] << 8 | b[i];
            }
        } else {
            for (int i = 0; i < count; i++) {
                dst[i] = r[i] << 16 | g[i] << 8 | b[i];
            }
        }
        return img;
    }

    /**
     * The pixels {@link #toImage()} draws, packed as ARGB ints in one pass without an image or per-plane copies, for the
     * usual files: 8-bit unsigned grey, RGB, or RGB with alpha. Opaque pixels carry alpha 255. Null for anything else
     * (other precisions, signed samples, sYCC, CMYK, extra components): use {@link #toImage()} then.
     */
    public int[] packedArgb() {
        int n = planes.length;
        for (int c = 0; c < n; c++) {
            if (precision[c] != 8 || signed[c]) return null;
        }
        int count = width * height;
        int[] out = new int[count];
        if (n == 1) {
            int[] g = planes[0];
            for (int i = 0; i < count; i++) {
                int v = Ints.clamp(g[i], 0, 255);
                out[i] = 0xFF000000 | v << 16 | v << 8 | v;
            }
            return out;
        }
        if ((n != 3 && !(n == 4 && hasAlpha)) || colorSpace == Jp2ColorSpace.SYCC || colorSpace == Jp2ColorSpace.EYCC
                || colorSpace == Jp2ColorSpace.CMYK) {
            return null;
        }
        int[] r = planes[0];
        int[] g = planes[1];
        int[] b = planes[2];
        int[] a = n == 4 ? planes[3] : null;
        for (int i = 0; i < count; i++) {
            int alpha = a == null ? 255 : Ints.clamp(a[i], 0, 255);
            out[i] = alpha << 24 | Ints.clamp(r[i], 0, 255) << 16 | Ints.clamp(g[i], 0, 255) << 8 | Ints.clamp(b[i], 0, 255);
        }
        return out;
    }

    /** Plane c as unsigned 8-bit values. */
    private int[] to8(int c) {
        int[] src = planes[c];
        int prec = precision[c];
        int offset = signed[c] ? 1 << (prec - 1) : 0;
        int max = (1 << prec) - 1;
        int[] out = new int[src.length];
        if (prec >= 8) {
            int shift = prec - 8;
            for (int i = 0; i < src.length; i++) {
                out[i] = Ints.clamp(src[i] + offset, 0, max) >> shift;
            }
        } else {
            for (int i = 0; i < src.length; i++) {
                out[i] = Ints.clamp(src[i] + offset, 0, max) * 255 / max;
            }
        }
        return out;
    }

    /** Full-range YCbCr (ITU-R BT.601, as JFIF and OpenJPEG's color.c) to 8-bit RGB; every result is clamped. */
    private int[][] syccToRgb8() {
        int count = width * height;
        int[][] out = new int[3][count];
        int prec = precision[0];
        int max = (1 << prec) - 1;
        int shift = Math.max(0, prec - 8);
        int yOff = signed[0] ? 1 << (prec - 1) : 0;
        // Chroma is centred on zero: unsigned samples carry a 2^(prec-1) offset, signed ones do not.
        int cbOff = signed[1] ? 0 : 1 << (precision[1] - 1);
        int crOff = signed[2] ? 0 : 1 << (precision[2] - 1);
        int[] ys = planes[0];
        int[] cbs = planes[1];
        int[] crs = planes[2];
        for (int i = 0; i < count; i++) {
            double y = ys[i] + yOff;
            double cb = cbs[i] - cbOff;
            double cr = crs[i] - crOff;
            out[0][i] = scale8(y + 1.402 * cr, max, prec, shift);
            out[1][i] = scale8(y - 0.344136 * cb - 0.714136 * cr, max, prec, shift);
            out[2][i] = scale8(y + 1.772 * cb, max, prec, shift);
        }
        return out;
    }

    private static int scale8(double v, int max, int prec, int shift) {
        int x = Ints.clamp((int) Math.round(v), 0, max);
        return prec >= 8 ? x >> shift : x * 255 / max;
    }
}
