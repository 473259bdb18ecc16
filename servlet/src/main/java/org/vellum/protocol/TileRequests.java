package org.vellum.protocol;

import org.vellum.image.ImageException;
import org.vellum.image.ImageRequest;
import org.vellum.image.Rect;
import org.vellum.image.TileGrid;
import org.vellum.pipeline.ImageService;
import org.vellum.pipeline.Subject;

/** The tile arithmetic IIP, Zoomify and Deep Zoom share: a tile of a level's grid as a request of the engine. */
public final class TileRequests {
    private TileRequests() {
    }

    /** Tile {@code k} (row-major from the top left) of {@code grid}, at its level's size. */
    public static ImageRequest.Builder tile(ImageService service, Subject subject, TileGrid grid, int k) {
        Rect tile = grid.tile(k);
        return service.request(subject, grid.fullResolution(k)).size(tile.width(), tile.height());
    }

    /** The tile at a column and row, 404 with iipsrv's text when the grid has none there. */
    public static ImageRequest.Builder tile(ImageService service, Subject subject, TileGrid grid, int column, int row)
            throws ImageException {
        if (column < 0 || row < 0 || column >= grid.columns() || row >= grid.rows()) {
            throw noTile(row * grid.columns() + column);
        }
        return tile(service, subject, grid, row * grid.columns() + column);
    }

    /** iipsrv 1.1's text for a tile that does not exist. */
    public static ImageException noTile(int t) {
        return new ImageException(404, "OpenJPEG :: Asked for non-existent tile: " + t);
    }
}
