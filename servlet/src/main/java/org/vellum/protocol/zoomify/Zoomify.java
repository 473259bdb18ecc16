package org.vellum.protocol.zoomify;

import org.vellum.api.Caller;
import org.vellum.image.Dimension;
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
 * Zoomify on the same tiles: {@code <path>/ImageProperties.xml} and {@code <path>/TileGroup<g>/<r>-<x>-<y>.jpg}.
 * Level 0 is the largest level that fits in one tile; the tile group is ignored, as iipsrv does.
 */
public final class Zoomify implements PathEndpoint {
    private static final String PROPERTIES = "/ImageProperties.xml";
    private final ImageService service;

    public Zoomify(ImageService service) {
        this.service = service;
    }

    @Override
    public String command() {
        return "zoomify";
    }

    @Override
    public Answer answer(String path, Caller caller) {
        if (path.endsWith(PROPERTIES)) {
            String id = path.substring(0, path.length() - PROPERTIES.length());
            return service.serve(query(id, path), caller, Zoomify::properties, Iipsrv::failure);
        }
        int group = path.indexOf("TileGroup");
        if (group < 1) return malformed(path, caller);
        String tilePart = path.substring(group);
        int[] rxy = tileOf(tilePart);
        if (rxy == null) return malformed(tilePart, caller);
        return service.serve(query(path.substring(0, group - 1), path), caller,
                s -> tile(s, rxy[0], rxy[1], rxy[2]), Iipsrv::failure);
    }

    private static Query query(String id, String path) {
        return Query.of(id, "zoomify:" + path);
    }

    private Answer malformed(String what, Caller caller) {
        return service.policy().render(Iipsrv.failure(new ImageException(400, "Zoomify: malformed request " + what)),
                caller);
    }

    /** {r, x, y} of {@code TileGroup<g>/<r>-<x>-<y>.jpg}, or null. */
    private static int[] tileOf(String tilePart) {
        int slash = tilePart.indexOf('/');
        String name = slash < 0 ? "" : tilePart.substring(slash + 1);
        int dot = name.indexOf('.');
        String[] rxy = (dot < 0 ? name : name.substring(0, dot)).split("-");
        if (rxy.length != 3) return null;
        try {
            return new int[] {Integer.parseInt(rxy[0]), Integer.parseInt(rxy[1]), Integer.parseInt(rxy[2])};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Representation properties(Subject s) {
        ImageInfo info = s.info();
        // Deliberate: NUMTILES counts the tiles of every level, as Zoomify defines it (1.1 counted the largest only).
        int tiles = 0;
        for (int d = 0; d < levels(info); d++) tiles += new TileGrid(info, d).count();
        return Iipsrv.text("application/xml", "<IMAGE_PROPERTIES WIDTH=\"" + info.width() + "\" HEIGHT=\""
                + info.height() + "\" NUMTILES=\"" + tiles + "\" NUMIMAGES=\"1\" VERSION=\"1.8\" TILESIZE=\""
                + ImageInfo.TILE_SIZE + "\" />");
    }

    private Representation tile(Subject s, int r, int x, int y) throws ImageException {
        ImageInfo info = s.info();
        if (r < 0) throw new ImageException(404, "Zoomify: resolution " + r + " does not exist");
        int discard = levels(info) - 1 - r;
        if (discard < 0) {
            // iipsrv hands the level to JTL's tile code: "resolution" text past N, the tile check at exactly N.
            int iip = r + info.resolutionNumber() - levels(info);
            throw iip > info.resolutionNumber()
                    ? new ImageException(404, "OpenJPEG :: Asked for non-existent resolution: " + iip)
                    : TileRequests.noTile(y * new TileGrid(info, 0).columns() + x);
        }
        byte[] jpeg = service.produce(TileRequests.tile(service, s, new TileGrid(info, discard), x, y).build());
        return Iipsrv.image(jpeg, OutputFormat.JPEG);
    }

    /** Zoomify's levels: IIP's, less those below the largest level that fits in one tile. */
    static int levels(ImageInfo info) {
        int n = info.resolutionNumber();
        int fitting = 0;
        for (Dimension l : info.levelsSmallestFirst()) {
            if (l.width() < ImageInfo.TILE_SIZE && l.height() < ImageInfo.TILE_SIZE) fitting++;
        }
        return n - Math.max(0, fitting - 1);
    }
}
