package org.vellum.codec.openjpeg;

/**
 * How {@link Jp2Writer} lays out a JPEG 2000 file.
 *
 * @param levels DWT decomposition levels (resolutions - 1); the writer caps it so the smallest level of a tile is at least 1 px
 * @param qualityLayers quality layers; compression ratios halve from layer to layer and the last layer is uncapped
 * @param tileSize tile width and height in pixels, 0 = untiled
 * @param lossless reversible 5/3 (true) or irreversible 9/7 (false)
 * @param jp2 JP2 box wrapper (true) or raw J2K codestream (false)
 */
public record Jp2EncodeOptions(int levels, int qualityLayers, int tileSize, boolean lossless, boolean jp2) {

    public Jp2EncodeOptions {
        if (levels < 0 || levels > 32) {
            throw new IllegalArgumentException("levels must be 0..32: " + levels);
        }
        if (qualityLayers < 1 || qualityLayers > 100) {
            throw new IllegalArgumentException("qualityLayers must be 1..100: " + qualityLayers);
        }
        if (tileSize < 0) {
            throw new IllegalArgumentException("tileSize must be >= 0: " + tileSize);
        }
    }

    /** The archive access profile: 8 levels (fewer for small images), 8 layers, 1024 px tiles, irreversible 9/7, JP2. */
    public static Jp2EncodeOptions archive() {
        return new Jp2EncodeOptions(8, 8, 1024, false, true);
    }

    public Jp2EncodeOptions withLevels(int n) {
        return new Jp2EncodeOptions(n, qualityLayers, tileSize, lossless, jp2);
    }

    public Jp2EncodeOptions withQualityLayers(int n) {
        return new Jp2EncodeOptions(levels, n, tileSize, lossless, jp2);
    }

    public Jp2EncodeOptions withTileSize(int n) {
        return new Jp2EncodeOptions(levels, qualityLayers, n, lossless, jp2);
    }

    public Jp2EncodeOptions withLossless(boolean b) {
        return new Jp2EncodeOptions(levels, qualityLayers, tileSize, b, jp2);
    }

    public Jp2EncodeOptions withJp2(boolean b) {
        return new Jp2EncodeOptions(levels, qualityLayers, tileSize, lossless, b);
    }
}
