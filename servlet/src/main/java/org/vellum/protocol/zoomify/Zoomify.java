package org.vellum.protocol.zoomify;

import org.vellum.http.RequestContext;
import org.vellum.http.Response;
import org.vellum.image.ImageEngine;
import org.vellum.image.ImageException;
import org.vellum.image.ImageInfo;
import org.vellum.image.OutputFormat;
import org.vellum.image.TileGrid;
import org.vellum.protocol.Target;
import org.vellum.protocol.TileRequests;
import org.vellum.protocol.iip.IipResponses;

/**
 * Zoomify on the same tiles: {@code <path>/ImageProperties.xml} and {@code <path>/TileGroup<g>/<r>-<x>-<y>.jpg}.
 * Level 0 is the largest level that fits in one tile; the tile group is ignored, as iipsrv does.
 */
public final class Zoomify {
    private static final String PROPERTIES = "/ImageProperties.xml";
    private final ImageEngine engine;
    private final IipResponses responses;

    public Zoomify(ImageEngine engine, IipResponses responses) {
        this.engine = engine;
        this.responses = responses;
    }

    public Response handle(String path, RequestContext ctx) {
        try {
            if (path.endsWith(PROPERTIES)) {
                return properties(path.substring(0, path.length() - PROPERTIES.length()), path, ctx);
            }
            int group = path.indexOf("TileGroup");
            if (group < 1) throw new ImageException(400, "Zoomify: malformed request " + path);
            return tile(path.substring(0, group - 1), path.substring(group), path, ctx);
        } catch (ImageException e) {
            return responses.failure(e);
        }
    }

    private Response properties(String id, String key, RequestContext ctx) throws ImageException {
        Target t = Target.of(engine, id, "zoomify:" + key, ctx);
        if (t.notModified(ctx)) return responses.notModified(t.image(), t.etag());
        ImageInfo info = t.info();
        // Deliberate: NUMTILES counts the tiles of every level, as Zoomify defines it (1.1 counted the largest only).
        int tiles = 0;
        for (int d = 0; d < levels(info); d++) tiles += new TileGrid(info, d).count();
        String xml = "<IMAGE_PROPERTIES WIDTH=\"" + info.width() + "\" HEIGHT=\"" + info.height() + "\" NUMTILES=\""
                + tiles + "\" NUMIMAGES=\"1\" VERSION=\"1.8\" TILESIZE=\"" + ImageInfo.TILE_SIZE + "\" />";
        return responses.text(t.image(), t.etag(), "application/xml", xml);
    }

    private Response tile(String id, String tilePart, String key, RequestContext ctx) throws ImageException {
        int slash = tilePart.indexOf('/');
        String name = slash < 0 ? "" : tilePart.substring(slash + 1);
        int dot = name.indexOf('.');
        String[] rxy = (dot < 0 ? name : name.substring(0, dot)).split("-");
        if (rxy.length != 3) throw new ImageException(400, "Zoomify: malformed tile " + tilePart);
        int r, x, y;
        try {
            r = Integer.parseInt(rxy[0]);
            x = Integer.parseInt(rxy[1]);
            y = Integer.parseInt(rxy[2]);
        } catch (NumberFormatException e) {
            throw new ImageException(400, "Zoomify: malformed tile " + tilePart);
        }
        Target t = Target.of(engine, id, "zoomify:" + key, ctx);
        if (t.notModified(ctx)) return responses.notModified(t.image(), t.etag());
        ImageInfo info = t.info();
        int discard = levels(info) - 1 - r;
        if (r < 0) throw new ImageException(404, "Zoomify: resolution " + r + " does not exist");
        if (discard < 0) {
            // iipsrv hands the level to JTL's tile code: "resolution" text past N, the tile check at exactly N.
            int iip = r + info.resolutionNumber() - levels(info);
            throw new ImageException(404, iip > info.resolutionNumber()
                    ? "OpenJPEG :: Asked for non-existent resolution: " + iip
                    : "OpenJPEG :: Asked for non-existent tile: " + (y * new TileGrid(info, 0).columns() + x));
        }
        byte[] jpeg = TileRequests.jpeg(engine, t.image(), new TileGrid(info, discard), x, y);
        return responses.tile(t.image(), t.etag(), jpeg, OutputFormat.JPEG);
    }

    /** Zoomify's levels: IIP's, less those below the largest level that fits in one tile. */
    static int levels(ImageInfo info) {
        int n = info.resolutionNumber();
        int fitting = 0;
        for (int[] l : info.levelsSmallestFirst()) {
            if (l[0] < ImageInfo.TILE_SIZE && l[1] < ImageInfo.TILE_SIZE) fitting++;
        }
        return n - Math.max(0, fitting - 1);
    }
}
