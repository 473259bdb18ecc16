package org.vellum.protocol.iip;

import org.vellum.config.Settings;
import org.vellum.image.Dimension;
import org.vellum.image.ImageException;
import org.vellum.image.ImageInfo;
import org.vellum.image.ImageRequest;
import org.vellum.image.OutputFormat;
import org.vellum.image.Rect;
import org.vellum.image.TileGrid;
import org.vellum.pipeline.ImageService;
import org.vellum.pipeline.Subject;
import org.vellum.protocol.TileRequests;
import org.vellum.util.Ints;

/** Where IIP's resolutions, tiles and regions lie in the image, as requests of the engine. */
final class IipGeometry {
    private final ImageService service;
    private final Subject subject;
    private final ImageInfo info;

    IipGeometry(ImageService service, Subject subject) {
        this.service = service;
        this.subject = subject;
        this.info = subject.info();
    }

    /** JTL/PTL/TIL: tile {@code t} of resolution {@code r} (0 the smallest), turned and coloured as the view says. */
    ImageRequest tile(IipView view, int r, int t, OutputFormat format) throws ImageException {
        int n = info.resolutionNumber();
        // 1.1 tests r > N (not >=): r == N slips through to the tile check and reports the tile.
        if (r > n) throw new ImageException(404, "OpenJPEG :: Asked for non-existent resolution: " + r);
        if (r == n) throw TileRequests.noTile(t);
        TileGrid grid = new TileGrid(info, n - 1 - r);
        if (t >= grid.count()) throw TileRequests.noTile(t);
        if (view.turns() == 2) t = grid.count() - 1 - t;   // iipsrv remaps tiles for 180 only; 90/270 turn the contents
        return TileRequests.tile(service, subject, grid, t).rotation(view.turns() * 90.0, view.mirror())
                .colour(view.colour()).ops(view.ops()).format(format).layers(view.layers()).quality(view.quality())
                .build();
    }

    /** SPECTRA: tile {@code t} of resolution {@code r} as stored, no view applied. */
    ImageRequest plainTile(IipView view, int r, int t) throws ImageException {
        int n = info.resolutionNumber();
        if (r < 0 || r >= n) throw TileRequests.noTile(t);
        TileGrid grid = new TileGrid(info, n - 1 - r);
        if (t < 0 || t >= grid.count()) throw TileRequests.noTile(t);
        return TileRequests.tile(service, subject, grid, t).layers(view.layers()).quality(view.quality()).build();
    }

    /** CVT: the view's region at the view's size. */
    ImageRequest export(IipView view, OutputFormat format) throws ImageException {
        Rect r = regionPixels(view);
        if (r.isEmpty()) throw new ImageException(400, "Region lies outside the image");
        Dimension size = outputSize(view, r);
        return service.request(subject, r).size(size.width(), size.height())
                .rotation(view.turns() * 90.0, view.mirror()).colour(view.colour()).ops(view.ops()).format(format)
                .layers(view.layers()).quality(view.quality()).build();
    }

    /** PFL: the samples along a horizontal or vertical line of resolution {@code r}, from (x1,y1) to (x2,y2). */
    ImageRequest line(IipView view, int r, int x1, int y1, int x2, int y2) throws ImageException {
        int n = info.resolutionNumber();
        if (r < 0 || r >= n) throw new ImageException(404, "Resolution: " + r + " does not exist");
        int d = n - 1 - r;
        int lw = info.levelWidth(d);
        int lh = info.levelHeight(d);
        x1 = Ints.clamp(x1, 0, lw - 1);
        y1 = Ints.clamp(y1, 0, lh - 1);
        x2 = Ints.clamp(x2, 0, lw - 1);
        y2 = Ints.clamp(y2, 0, lh - 1);
        boolean vertical = x1 == x2 && y1 != y2;
        int x0 = Math.min(x1, x2);
        int y0 = Math.min(y1, y2);
        int w = vertical ? 1 : Math.abs(x2 - x1) + 1;
        int h = vertical ? Math.abs(y2 - y1) + 1 : 1;
        Rect full = info.toFull(new Rect(x0, y0, w, h), d);
        return service.request(subject, full).size(w, h).layers(view.layers()).quality(view.quality()).build();
    }

    private Rect regionPixels(IipView view) {
        IipView.Fraction f = view.region();
        if (f == null) return new Rect(0, 0, info.width(), info.height());
        int x = (int) Math.round(f.x() * info.width());
        int y = (int) Math.round(f.y() * info.height());
        int w = (int) Math.round(f.width() * info.width());
        int h = (int) Math.round(f.height() * info.height());
        return new Rect(x, y, Math.max(1, w), Math.max(1, h)).clip(info.width(), info.height());
    }

    /** CVT's output size: WID/HEI keep the region's aspect, both fit inside the box, capped at MAX_CVT. */
    private Dimension outputSize(IipView view, Rect r) {
        Settings settings = service.settings();
        double rw = r.width();
        double rh = r.height();
        double w;
        double h;
        if (view.width() > 0 && view.height() > 0) {
            double k = Math.min(view.width() / rw, view.height() / rh);
            w = rw * k;
            h = rh * k;
        } else if (view.width() > 0) {
            w = view.width();
            h = rh * view.width() / rw;
        } else if (view.height() > 0) {
            h = view.height();
            w = rw * view.height() / rh;
        } else {
            w = rw;
            h = rh;
        }
        if (!settings.allowUpscaling() && (w > rw || h > rh)) {
            w = rw;
            h = rh;
        }
        int max = settings.maxCvt();
        if (w > max || h > max) {
            double k = Math.min(max / w, max / h);
            w *= k;
            h *= k;
        }
        return new Dimension((int) Math.max(1, Math.round(w)), (int) Math.max(1, Math.round(h)));
    }
}
