package org.vellum.image;

import org.vellum.source.ResolvedImage;

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
}
