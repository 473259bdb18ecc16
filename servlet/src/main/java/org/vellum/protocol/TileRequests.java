package org.vellum.protocol;

import org.vellum.image.ImageEngine;
import org.vellum.image.ImageException;
import org.vellum.image.ImageRequest;
import org.vellum.image.OutputFormat;
import org.vellum.image.PixelOps;
import org.vellum.image.Quality;
import org.vellum.image.Rect;
import org.vellum.image.TileGrid;
import org.vellum.source.ResolvedImage;

/** A plain tile of a level grid, as Zoomify and Deep Zoom ask for them. */
public final class TileRequests {
    private TileRequests() {
    }

    public static byte[] jpeg(ImageEngine engine, ResolvedImage image, TileGrid grid, int column, int row)
            throws ImageException {
        if (column < 0 || row < 0 || column >= grid.columns() || row >= grid.rows()) {
            throw new ImageException(404, "OpenJPEG :: Asked for non-existent tile: " + (row * grid.columns() + column));
        }
        int k = row * grid.columns() + column;
        Rect tile = grid.tile(k);
        int quality = engine.settings().jpegQuality();
        ImageRequest req = new ImageRequest(image, grid.fullResolution(k), tile.width(), tile.height(), 0, false,
                Quality.DEFAULT, PixelOps.NONE, OutputFormat.JPEG, 0, quality);
        return engine.produce(req);
    }
}
