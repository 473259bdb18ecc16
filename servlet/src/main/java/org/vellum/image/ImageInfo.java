package org.vellum.image;

import org.vellum.util.Ints;
import java.util.ArrayList;
import java.util.List;

import org.vellum.codec.openjpeg.Jp2ColorSpace;
import org.vellum.codec.openjpeg.Jp2Header;

/**
 * What the protocols need to know of an image. Levels follow iipsrv: counted down from full size to the first
 * level that fits in one 256x256 tile; levels the file does not store are made by downscaling the smallest stored one,
 * and stored levels below that are hidden.
 *
 * @param components       channels as a reader sees them: a palette's columns, opacity included (Jp2Header.channels)
 * @param storedReductions DWT levels in the file (OpenJPEG's largest usable reduce factor)
 * @param singleTile       the codestream is one tile (decoded by area, a decoder per level; see DecoderKey)
 */
public record ImageInfo(int width, int height, int components, int bitsPerChannel, int storedReductions,
                        int qualityLayers, boolean hasAlpha, Jp2ColorSpace colorSpace, byte[] iccProfile,
                        boolean singleTile) {

    public static final int TILE_SIZE = 256;

    public static ImageInfo of(Jp2Header h) {
        int bits = 0;
        for (int p : h.channelPrecision()) bits = Math.max(bits, p);
        return new ImageInfo(h.width(), h.height(), h.channels(), bits, Math.max(0, h.resolutions() - 1),
                h.qualityLayers(), h.hasAlpha(), h.colorSpace(), h.iccProfile(), h.tilesX() * h.tilesY() == 1);
    }

    /** Colour bands without alpha: 1 grey or 3 colour (components beyond are extra channels we do not show). */
    public int colourBands() {
        int c = hasAlpha ? components - 1 : components;
        return c >= 3 ? 3 : 1;
    }

    /** Bands of the decoded pixels, alpha included. */
    public int bands() {
        return colourBands() + (hasAlpha ? 1 : 0);
    }

    /** IIP's Resolution-number. */
    public int resolutionNumber() {
        int n = 1;
        int w = width;
        int h = height;
        while (w > TILE_SIZE || h > TILE_SIZE) {
            w = (w + 1) / 2;
            h = (h + 1) / 2;
            n++;
        }
        return n;
    }

    /** Width of the image reduced {@code discard} times (the true JPEG 2000 size, ceil(W / 2^d)). */
    public int levelWidth(int discard) {
        return (int) Ints.ceilShift(width, discard);
    }

    public int levelHeight(int discard) {
        return (int) Ints.ceilShift(height, discard);
    }

    /** Level sizes, smallest first, as IIP's Resolutions lists them. */
    public List<Dimension> levelsSmallestFirst() {
        int n = resolutionNumber();
        List<Dimension> out = new ArrayList<>(n);
        for (int d = n - 1; d >= 0; d--) out.add(new Dimension(levelWidth(d), levelHeight(d)));
        return out;
    }
}
