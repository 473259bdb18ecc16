package org.vellum.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.vellum.codec.openjpeg.Jp2ColorSpace;

/** The 256x256 virtual tiles of a level. */
class TileGridTest {
    private static ImageInfo image(int w, int h, int storedReductions) {
        return new ImageInfo(w, h, 3, 8, storedReductions, 1, false, Jp2ColorSpace.SRGB, null, true, 0, 0, null, null);
    }

    @Test
    void tileIndexesRunRowMajorFromTheTopLeft() {
        TileGrid grid = new TileGrid(image(1000, 700, 5), 0);
        assertEquals(4, grid.columns());
        assertEquals(3, grid.rows());
        assertEquals(12, grid.count());
        for (int k = 0; k < 12; k++) {
            Rect t = grid.tile(k);
            assertEquals(k % 4 * 256, t.x(), "x of " + k);
            assertEquals(k / 4 * 256, t.y(), "y of " + k);
        }
    }

    @Test
    void edgeTilesAreCroppedNotPadded() {
        // iipsrv 1.1 on 1000x700: r=2 tile 11 -> 232x188, r=1 tile 3 -> 244x94, r=0 tile 0 -> 250x175
        ImageInfo info = image(1000, 700, 5);
        assertEquals(new Rect(768, 512, 232, 188), new TileGrid(info, 0).tile(11));
        assertEquals(new Rect(256, 256, 244, 94), new TileGrid(info, 1).tile(3));
        assertEquals(new Rect(0, 0, 250, 175), new TileGrid(info, 2).tile(0));
        assertEquals(1, new TileGrid(info, 2).count());
    }

    @Test
    void levelSizesAreTheCeilOfHalving() {
        ImageInfo info = image(999, 701, 5);
        assertEquals(500, new TileGrid(info, 1).levelWidth());
        assertEquals(351, new TileGrid(info, 1).levelHeight());
        assertEquals(250, new TileGrid(info, 2).levelWidth());
        assertEquals(176, new TileGrid(info, 2).levelHeight());
        assertEquals(new Rect(256, 256, 244, 95), new TileGrid(info, 1).tile(3));
    }

    @Test
    void aTileMapsOntoTheFullResolutionShiftedByTheDiscardAndClipped() {
        ImageInfo info = image(999, 701, 5);
        TileGrid r1 = new TileGrid(info, 1);
        assertEquals(new Rect(0, 0, 512, 512), r1.fullResolution(0));
        assertEquals(new Rect(512, 512, 487, 189), r1.fullResolution(3));
        TileGrid r0 = new TileGrid(info, 2);
        assertEquals(new Rect(0, 0, 999, 701), r0.fullResolution(0));
        // a level below every stored one still maps to the whole image
        assertEquals(new Rect(0, 0, 999, 701), new TileGrid(info, 10).fullResolution(0));
        assertEquals(new Rect(0, 0, 1, 1), new TileGrid(info, 10).tile(0));
    }

    @Test
    void resolutionNumberCountsDownToTheFirstLevelThatFitsInOneTile() {
        assertEquals(1, image(256, 256, 5).resolutionNumber());
        assertEquals(2, image(257, 100, 5).resolutionNumber());
        assertEquals(3, image(1000, 700, 5).resolutionNumber());
        assertEquals(3, image(1000, 700, 0).resolutionNumber());   // whatever the file stores
        assertEquals(4, image(1025, 300, 5).resolutionNumber());
        assertEquals(1, image(1, 1, 0).resolutionNumber());
    }
}
