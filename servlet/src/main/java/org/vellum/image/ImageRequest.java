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
}
