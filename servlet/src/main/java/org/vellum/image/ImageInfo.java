package org.vellum.image;

import org.vellum.util.Ints;
import java.util.ArrayList;
import java.util.List;

import org.vellum.codec.openjpeg.Jp2ColorSpace;
import org.vellum.codec.openjpeg.Jp2Header;
import org.vellum.codec.openjpeg.PixelsPerMetre;

/**
 * What the protocols need to know of an image. Levels follow iipsrv: counted down from full size to the first
 * level that fits in one 256x256 tile; levels the file does not store are made by downscaling the smallest stored one,
 * and stored levels below that are hidden.
 *
 * @param components       channels as a reader sees them: a palette's columns, opacity included (Jp2Header.channels)
 * @param storedReductions DWT levels in the file (OpenJPEG's largest usable reduce factor)
 * @param singleTile       the codestream is one tile (decoded by area, a decoder per level; see DecoderKey)
 * @param originX          where the image starts on the JPEG 2000 reference grid (SIZ XOsiz; 0 in most files)
 * @param originY          the same for y (YOsiz)
 * @param resolution       pixels per metre the file records (JP2 resc, else resd), or null
 * @param xmp              the file's XMP packet (JP2), or null
 */
public record ImageInfo(int width, int height, int components, int bitsPerChannel, int storedReductions,
                        int qualityLayers, boolean hasAlpha, Jp2ColorSpace colorSpace, byte[] iccProfile,
                        boolean singleTile, int originX, int originY, PixelsPerMetre resolution,
                        byte[] xmp) {

    public static final int TILE_SIZE = 256;

    public static ImageInfo of(Jp2Header h) {
        int bits = 0;
        for (int p : h.channelPrecision()) bits = Math.max(bits, p);
        return new ImageInfo(h.width(), h.height(), h.channels(), bits, Math.max(0, h.resolutions() - 1),
                h.qualityLayers(), h.hasAlpha(), h.colorSpace(), h.iccProfile(), h.tilesX() * h.tilesY() == 1,
                h.originX(), h.originY(), h.resolution(), h.xmp());
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
        while (levelWidth(n - 1) > TILE_SIZE || levelHeight(n - 1) > TILE_SIZE) n++;
        return n;
    }

    /*
     * Level geometry, the one definition every path uses. JPEG 2000 reduces the reference grid, not the image: level d
     * spans [ceil(x0 / 2^d), ceil((x0 + w) / 2^d)), so with an image offset x0 its width is not ceil(w / 2^d) and its
     * pixels do not start at multiples of 2^d of the image. Below, x and y count from the image's top left (as
     * requests do) and level coordinates from the level's.
     */

    /** Width of the image reduced {@code discard} times: ceil((x0 + w) / 2^d) - ceil(x0 / 2^d), OpenJPEG's size. */
    public int levelWidth(int discard) {
        return levelX(width, discard);
    }

    public int levelHeight(int discard) {
        return levelY(height, discard);
    }

    /** Level d's first column on the reduced reference grid, ceil(x0 / 2^d). */
    public long levelOriginX(int d) {
        return Ints.ceilShift(originX, d);
    }

    public long levelOriginY(int d) {
        return Ints.ceilShift(originY, d);
    }

    /** The first level-d column at or right of image column x: image columns [x, x + w) are level columns [levelX(x), levelX(x + w)). */
    public int levelX(long x, int d) {
        return (int) (Ints.ceilShift(originX + x, d) - levelOriginX(d));
    }

    public int levelY(long y, int d) {
        return (int) (Ints.ceilShift(originY + y, d) - levelOriginY(d));
    }

    /** The image column where level-d column lx starts (clamped to the image): levelX(fullX(lx, d), d) == lx. */
    public int fullX(long lx, int d) {
        return (int) Ints.clamp(((levelOriginX(d) + lx) << d) - originX, 0, width);
    }

    public int fullY(long ly, int d) {
        return (int) Ints.clamp(((levelOriginY(d) + ly) << d) - originY, 0, height);
    }

    /** The level-d pixels an image area covers. */
    public Rect toLevel(Rect full, int d) {
        int x0 = levelX(full.x(), d);
        int y0 = levelY(full.y(), d);
        return new Rect(x0, y0, levelX((long) full.x() + full.width(), d) - x0,
                levelY((long) full.y() + full.height(), d) - y0);
    }

    /** The image area that decodes to exactly the level-d pixels {@code level} (see Jp2Reader#decode). */
    public Rect toFull(Rect level, int d) {
        int x0 = fullX(level.x(), d);
        int y0 = fullY(level.y(), d);
        return new Rect(x0, y0, fullX((long) level.x() + level.width(), d) - x0,
                fullY((long) level.y() + level.height(), d) - y0);
    }

    /** Level sizes, smallest first, as IIP's Resolutions lists them. */
    public List<Dimension> levelsSmallestFirst() {
        int n = resolutionNumber();
        List<Dimension> out = new ArrayList<>(n);
        for (int d = n - 1; d >= 0; d--) out.add(new Dimension(levelWidth(d), levelHeight(d)));
        return out;
    }
}
