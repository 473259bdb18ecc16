package org.vellum.image;

/**
 * The 256x256 virtual tiles of one level, numbered row-major from the top left; edge tiles are cropped, not padded.
 *
 * @param discard reductions from full resolution (IIP resolution r is discard N-1-r)
 */
public record TileGrid(ImageInfo info, int discard, int tileSize) {

    public TileGrid(ImageInfo info, int discard) {
        this(info, discard, ImageInfo.TILE_SIZE);
    }

    public int levelWidth() {
        return info.levelWidth(discard);
    }

    public int levelHeight() {
        return info.levelHeight(discard);
    }

    public int columns() {
        return (levelWidth() + tileSize - 1) / tileSize;
    }

    public int rows() {
        return (levelHeight() + tileSize - 1) / tileSize;
    }

    public int count() {
        return columns() * rows();
    }

    /** Tile k in level pixels. */
    public Rect tile(int k) {
        int x = k % columns() * tileSize;
        int y = k / columns() * tileSize;
        return new Rect(x, y, Math.min(tileSize, levelWidth() - x), Math.min(tileSize, levelHeight() - y));
    }

    /** Tile k as the area of the full-resolution image that decodes to exactly its level pixels. */
    public Rect fullResolution(int k) {
        return info.toFull(tile(k), discard);
    }
}
