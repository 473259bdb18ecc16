package org.vellum.codec.openjpeg;

/**
 * What the main header of a JPEG 2000 file says. Read once per {@link Jp2Reader}.
 *
 * @param jp2 JP2 box wrapper (true) or raw J2K codestream (false)
 * @param width full-resolution width (x1 - x0)
 * @param height full-resolution height (y1 - y0)
 * @param resolutions numresolutions of the main COD (DWT levels + 1), minimum over components
 * @param tileWidth codestream tile width (the image width when untiled)
 * @param iccProfile the embedded ICC profile, or null
 * @param components components of the codestream
 * @param hasAlpha a cdef box marks a channel as opacity (JP2 only); it is then the last channel
 * @param channels what a reader sees of the components: the palette's columns instead of the component it indexes
 *                 (pclr, cmap), colours in order and opacity last (cdef)
 * @param channelPrecision bits of each channel (a palette column's are the palette's)
 * @param originX the image's offset on the reference grid (SIZ XOsiz), from which every level's size and origin follow
 * @param originY the same for y (YOsiz)
 * @param resolution the JP2 res box's capture resolution (resc), else its default display resolution (resd), or null
 * @param xmp the XMP packet a JP2 carries before its codestream (uuid box of XMP's UUID, else the first xml box), or
 *            null
 */
public record Jp2Header(
        boolean jp2,
        int width, int height,
        int components,
        int[] precision, boolean[] signed, int[] dx, int[] dy,
        int resolutions,
        int qualityLayers,
        int tileWidth, int tileHeight, int tilesX, int tilesY,
        Jp2ColorSpace colorSpace,
        byte[] iccProfile,
        boolean hasAlpha,
        int channels, int[] channelPrecision,
        int originX, int originY,
        PixelsPerMetre resolution,
        byte[] xmp) {

    public boolean tiled() {
        return tilesX * tilesY > 1;
    }
}
