package org.vellum.protocol.deepzoom;

import org.vellum.api.Caller;
import org.vellum.image.ImageException;
import org.vellum.image.ImageInfo;
import org.vellum.image.OutputFormat;
import org.vellum.image.TileGrid;
import org.vellum.pipeline.Answer;
import org.vellum.pipeline.ImageService;
import org.vellum.pipeline.Query;
import org.vellum.pipeline.Representation;
import org.vellum.pipeline.Subject;
import org.vellum.protocol.Iipsrv;
import org.vellum.protocol.PathEndpoint;
import org.vellum.protocol.TileRequests;

/**
 * Deep Zoom on the same tiles: {@code <path>.dzi} and {@code <path>_files/<L>/<x>_<y>.jpg}, level D =
 * ceil(log2(max(W, H))) being full size, no overlap.
 */
public final class DeepZoom implements PathEndpoint {
    private final ImageService service;

    public DeepZoom(ImageService service) {
        this.service = service;
    }

    @Override
    public String command() {
        return "deepzoom";
    }

    @Override
    public Answer answer(String path, Caller caller) {
        int files = path.lastIndexOf("_files/");
        if (files <= 0) {
            String id = path.endsWith(".dzi") ? path.substring(0, path.length() - 4) : path;
            return service.serve(query(id, path), caller, DeepZoom::descriptor, Iipsrv::failure);
        }
        String tilePart = path.substring(files + 7);
        int[] lxy = tileOf(tilePart);
        if (lxy == null) {
            return service.policy().render(
                    Iipsrv.failure(new ImageException(400, "DeepZoom: malformed tile " + tilePart)), caller);
        }
        return service.serve(query(path.substring(0, files), path), caller, s -> tile(s, lxy[0], lxy[1], lxy[2]),
                Iipsrv::failure);
    }

    private static Query query(String id, String path) {
        return Query.of(id, "deepzoom:" + path);
    }

    /** {level, x, y} of {@code <L>/<x>_<y>.jpg}, or null. */
    private static int[] tileOf(String tilePart) {
        String[] parts = tilePart.split("/");
        if (parts.length != 2) return null;
        int dot = parts[1].indexOf('.');
        String[] xy = (dot < 0 ? parts[1] : parts[1].substring(0, dot)).split("_");
        if (xy.length != 2) return null;
        try {
            return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(xy[0]), Integer.parseInt(xy[1])};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Representation descriptor(Subject s) {
        ImageInfo info = s.info();
        return Iipsrv.text("application/xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n"
                + "<Image xmlns=\"http://schemas.microsoft.com/deepzoom/2008\"\r\n"
                + "TileSize=\"" + ImageInfo.TILE_SIZE + "\" Overlap=\"0\" Format=\"jpg\"><Size Width=\""
                + info.width() + "\" Height=\"" + info.height() + "\"/></Image>");
    }

    private Representation tile(Subject s, int level, int x, int y) throws ImageException {
        if (level < 0) throw new ImageException(404, "DeepZoom: level " + level + " does not exist");
        // Deliberate: levels below the smallest IIP level are made at their true size, where 1.1 repeated that level.
        int discard = Math.max(0, maxLevel(s.info()) - level);
        byte[] jpeg = service.produce(TileRequests.tile(service, s, new TileGrid(s.info(), discard), x, y).build());
        return Iipsrv.image(jpeg, OutputFormat.JPEG);
    }

    /** D = ceil(log2(max(W, H))). */
    static int maxLevel(ImageInfo info) {
        int m = Math.max(info.width(), info.height());
        return m <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(m - 1);
    }
}
