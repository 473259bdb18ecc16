package org.vellum.protocol.deepzoom;

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
 * Deep Zoom on the same tiles: {@code <path>.dzi} and {@code <path>_files/<L>/<x>_<y>.jpg}, level D =
 * ceil(log2(max(W, H))) being full size, no overlap.
 */
public final class DeepZoom {
    private final ImageEngine engine;
    private final IipResponses responses;

    public DeepZoom(ImageEngine engine, IipResponses responses) {
        this.engine = engine;
        this.responses = responses;
    }

    public Response handle(String path, RequestContext ctx) {
        try {
            int files = path.lastIndexOf("_files/");
            if (files > 0) return tile(path.substring(0, files), path.substring(files + 7), path, ctx);
            String id = path.endsWith(".dzi") ? path.substring(0, path.length() - 4) : path;
            return descriptor(id, path, ctx);
        } catch (ImageException e) {
            return responses.failure(e);
        }
    }

    private Response descriptor(String id, String key, RequestContext ctx) throws ImageException {
        Target t = Target.of(engine, id, "deepzoom:" + key, ctx);
        if (t.notModified(ctx)) return responses.notModified(t.image(), t.etag());
        ImageInfo info = t.info();
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n"
                + "<Image xmlns=\"http://schemas.microsoft.com/deepzoom/2008\"\r\n"
                + "TileSize=\"" + ImageInfo.TILE_SIZE + "\" Overlap=\"0\" Format=\"jpg\"><Size Width=\""
                + info.width() + "\" Height=\"" + info.height() + "\"/></Image>";
        return responses.text(t.image(), t.etag(), "application/xml", xml);
    }

    private Response tile(String id, String tilePart, String key, RequestContext ctx) throws ImageException {
        String[] parts = tilePart.split("/");
        if (parts.length != 2) throw new ImageException(400, "DeepZoom: malformed tile " + tilePart);
        int dot = parts[1].indexOf('.');
        String[] xy = (dot < 0 ? parts[1] : parts[1].substring(0, dot)).split("_");
        if (xy.length != 2) throw new ImageException(400, "DeepZoom: malformed tile " + tilePart);
        int level, x, y;
        try {
            level = Integer.parseInt(parts[0]);
            x = Integer.parseInt(xy[0]);
            y = Integer.parseInt(xy[1]);
        } catch (NumberFormatException e) {
            throw new ImageException(400, "DeepZoom: malformed tile " + tilePart);
        }
        Target t = Target.of(engine, id, "deepzoom:" + key, ctx);
        if (t.notModified(ctx)) return responses.notModified(t.image(), t.etag());
        ImageInfo info = t.info();
        int top = maxLevel(info);
        if (level < 0) throw new ImageException(404, "DeepZoom: level " + level + " does not exist");
        // Deliberate: levels below the smallest IIP level are made at their true size, where 1.1 repeated that level.
        int discard = Math.max(0, top - level);
        byte[] jpeg = TileRequests.jpeg(engine, t.image(), new TileGrid(info, discard), x, y);
        return responses.tile(t.image(), t.etag(), jpeg, OutputFormat.JPEG);
    }

    /** D = ceil(log2(max(W, H))). */
    static int maxLevel(ImageInfo info) {
        int m = Math.max(info.width(), info.height());
        return m <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(m - 1);
    }
}
