package org.vellum.image;

import org.vellum.api.ResolvedImage;

/**
 * One image to produce, whatever protocol asked for it.
 *
 * @param region     area of the full-resolution image, in pixels (already clipped to it)
 * @param outWidth   output width before rotation
 * @param outHeight  output height before rotation
 * @param rotation   clockwise degrees, applied after mirroring
 * @param mirror     horizontal mirror before rotating
 * @param layers     quality layers asked for (0: as configured)
 * @param quality    JPEG/PNG quality setting 1..100
 */
public record ImageRequest(ResolvedImage image, Rect region, int outWidth, int outHeight, double rotation,
                           boolean mirror, Quality colour, PixelOps ops, OutputFormat format, int layers,
                           int quality) {

    /**
     * Every field that changes the output's bytes, as text, the file's version included (path, size and mtime), so a
     * cache keyed on it never serves a rewritten file's old pixels.
     */
    public String describe() {
        return image.path() + "|" + image.fingerprint() + "|" + region.x() + "," + region.y() + "," + region.width()
                + "," + region.height() + "|" + outWidth + "x" + outHeight + "|rot=" + rotation + "|mirror=" + mirror
                + "|" + colour + "|" + ops.describe() + "|" + format + "|lyr=" + layers + "|q=" + quality;
    }

    /** A request for {@code region} of {@code image}, output at the region's size, unrotated, JPEG, until told else. */
    public static Builder of(ResolvedImage image, Rect region) {
        return new Builder(image, region);
    }

    /** Names each part of a request, so no call site depends on the order of eleven arguments. */
    public static final class Builder {
        private final ResolvedImage image;
        private final Rect region;
        private int width;
        private int height;
        private double rotation;
        private boolean mirror;
        private Quality colour = Quality.DEFAULT;
        private PixelOps ops = PixelOps.NONE;
        private OutputFormat format = OutputFormat.JPEG;
        private int layers;
        private int quality = 75;

        private Builder(ResolvedImage image, Rect region) {
            this.image = image;
            this.region = region;
            this.width = region.width();
            this.height = region.height();
        }

        public Builder size(int width, int height) {
            this.width = width;
            this.height = height;
            return this;
        }

        /** Clockwise degrees after an optional horizontal mirror. */
        public Builder rotation(double degrees, boolean mirror) {
            this.rotation = degrees;
            this.mirror = mirror;
            return this;
        }

        public Builder colour(Quality colour) {
            this.colour = colour;
            return this;
        }

        public Builder ops(PixelOps ops) {
            this.ops = ops;
            return this;
        }

        public Builder format(OutputFormat format) {
            this.format = format;
            return this;
        }

        public Builder layers(int layers) {
            this.layers = layers;
            return this;
        }

        public Builder quality(int quality) {
            this.quality = quality;
            return this;
        }

        public ImageRequest build() {
            return new ImageRequest(image, region, width, height, rotation, mirror, colour, ops, format, layers,
                    quality);
        }
    }
}
