package org.vellum.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;

/**
 * 8-bit pixels, packed one int per pixel as ARGB, whatever the number of bands the image really has.
 *
 * @param bands 1 grey, 2 grey+alpha, 3 colour, 4 colour+alpha
 */
public record Pixels(int width, int height, int[] argb, int bands) {

    public Pixels {
        if (argb.length != width * height) throw new IllegalArgumentException("pixel count");
    }

    public static Pixels blank(int width, int height, int bands) {
        return new Pixels(width, height, new int[Math.multiplyExact(width, height)], bands);
    }

    public boolean hasAlpha() {
        return bands == 2 || bands == 4;
    }

    public boolean isGray() {
        return bands <= 2;
    }

    public Pixels withBands(int newBands) {
        return new Pixels(width, height, argb, newBands);
    }

    /** A copy of the w x h area at (x, y), which must lie inside. */
    public Pixels crop(int x, int y, int w, int h) {
        if (x < 0 || y < 0 || w < 0 || h < 0 || x + w > width || y + h > height) {
            throw new IllegalArgumentException(w + "x" + h + "+" + x + "+" + y + " outside " + width + "x" + height);
        }
        int[] out = new int[Math.multiplyExact(w, h)];
        for (int row = 0; row < h; row++) System.arraycopy(argb, (y + row) * width + x, out, row * w, w);
        return new Pixels(w, h, out, bands);
    }

    /** Takes the samples of a decoded image, whatever its type. */
    /** The decoded samples as pixels: packed in one pass for 8-bit grey and RGB(A), else drawn through an image. */
    public static Pixels of(org.vellum.codec.openjpeg.Raster raster, int bands) {
        int[] packed = raster.packedArgb();
        return packed != null ? new Pixels(raster.width(), raster.height(), packed, bands) : of(raster.toImage(), bands);
    }

    public static Pixels of(BufferedImage image, int bands) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] out;
        if ((image.getType() == BufferedImage.TYPE_INT_RGB || image.getType() == BufferedImage.TYPE_INT_ARGB)
                && image.getRaster().getDataBuffer() instanceof DataBufferInt dbi
                && dbi.getData().length == w * h) {
            out = dbi.getData();
            if (image.getType() == BufferedImage.TYPE_INT_RGB) {
                for (int i = 0; i < out.length; i++) out[i] |= 0xFF000000;
            }
        } else if (image.getType() == BufferedImage.TYPE_BYTE_GRAY
                && image.getRaster().getDataBuffer() instanceof DataBufferByte dbb
                && dbb.getData().length == w * h) {
            byte[] g = dbb.getData();
            out = new int[w * h];
            for (int i = 0; i < out.length; i++) {
                int v = g[i] & 0xFF;
                out[i] = 0xFF000000 | v << 16 | v << 8 | v;
            }
        } else {
            out = image.getRGB(0, 0, w, h, null, 0, w);
        }
        return new Pixels(w, h, out, bands);
    }

    /** A view for Java encoders: grey images become TYPE_BYTE_GRAY, alpha is kept only when asked for. */
    public BufferedImage toBufferedImage(boolean keepAlpha) {
        if (isGray() && !(keepAlpha && hasAlpha())) {
            BufferedImage g = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
            byte[] d = ((DataBufferByte) g.getRaster().getDataBuffer()).getData();
            for (int i = 0; i < d.length; i++) d[i] = (byte) (argb[i] >> 16);
            return g;
        }
        // Shares the pixel array (no copy: a 25-megapixel export must fit a small heap); RGB ignores the alpha byte.
        boolean alpha = keepAlpha && hasAlpha();
        DirectColorModel model = alpha
                ? new DirectColorModel(32, 0xFF0000, 0xFF00, 0xFF, 0xFF000000)
                : new DirectColorModel(24, 0xFF0000, 0xFF00, 0xFF);
        WritableRaster raster = Raster.createPackedRaster(new DataBufferInt(argb, argb.length), width, height, width,
                model.getMasks(), null);
        return new BufferedImage(model, raster, false, null);
    }
}
