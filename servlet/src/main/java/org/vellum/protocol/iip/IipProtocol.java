package org.vellum.protocol.iip;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.vellum.http.Caching;
import org.vellum.http.HttpDates;
import org.vellum.http.RequestContext;
import org.vellum.http.Response;
import org.vellum.image.ImageEngine;
import org.vellum.image.ImageException;
import org.vellum.image.ImageInfo;
import org.vellum.image.ImageRequest;
import org.vellum.image.OutputFormat;
import org.vellum.image.PixelOps;
import org.vellum.image.Pixels;
import org.vellum.image.Quality;
import org.vellum.image.Rect;
import org.vellum.image.TileGrid;
import org.vellum.protocol.deepzoom.DeepZoom;
import org.vellum.protocol.zoomify.Zoomify;
import org.vellum.source.ResolvedImage;

/**
 * IIP as iipsrv 1.1 speaks it. Commands run in order: modifiers change the view, output commands act when reached.
 * Byte-exact where viewers depend on it; the deliberate differences from 1.1 are listed in README.
 */
public final class IipProtocol {
    static final String CRLF = "\r\n";
    static final String NETFPX = "application/vnd.netfpx";
    private static final String OPT_COMM = "IIP-opt-comm:CVT CNT QLT JTL JTLS WID HEI RGN MINMAX SHD CMP INV CTW";
    private static final String OPT_OBJ = "IIP-opt-obj:Horizontal-views Vertical-views Tile-size Bits-per-channel "
            + "Min-Max-sample-values Resolutions";
    private static final List<String> METADATA = List.of("copyright", "title", "subject", "author", "keywords",
            "comment", "last-author", "rev-number", "edit-time", "last-printed", "create-dtm", "last-save-dtm",
            "app-name", "summary-info");

    private final ImageEngine engine;
    private final IipResponses responses;

    public IipProtocol(ImageEngine engine) {
        this.engine = engine;
        this.responses = new IipResponses(engine.settings());
    }

    /** Answers one IIP query string (as received, still URL-encoded). */
    public Response handle(String query, RequestContext ctx) {
        if (query == null || query.isEmpty()) return responses.banner();
        List<IipQuery.Command> commands = IipQuery.parse(query);
        Session s = new Session(query, ctx);
        try {
            for (IipQuery.Command c : commands) {
                Response early = s.run(c);
                if (early != null) return early;
                if (s.noImage) break;   // 1.1's checkImage throws after error 1 3: later commands never run
            }
        } catch (ImageException e) {
            return responses.failure(e);
        } catch (BannerException e) {
            return responses.banner();
        }
        return s.finish();
    }

    /** A request whose view parameters make no sense; iipsrv answers these with its HTML banner. */
    static final class BannerException extends Exception {
        BannerException(String message) {
            super(message);
        }
    }

    /** The state one request builds up, command after command. */
    private final class Session {
        final String query;
        final RequestContext ctx;
        ResolvedImage image;
        ImageInfo info;
        String etag;
        final List<IipException> errors = new ArrayList<>();
        Response output;
        boolean protocolLine;
        final List<String> lines = new ArrayList<>();
        // view
        int width;
        int height;
        double[] region;
        int quality;
        int layers;
        double rotation;
        boolean mirror;
        Quality colour = Quality.DEFAULT;
        final List<double[]> minMax = new ArrayList<>();
        int[] shade;
        double[][] twist;
        double gamma = Double.NaN;
        boolean invert;
        String colormap;
        double contrast = Double.NaN;
        boolean stretch;
        boolean equalize;

        Session(String query, RequestContext ctx) {
            this.query = query;
            this.ctx = ctx;
            this.quality = engine.settings().jpegQuality();
        }

        Response run(IipQuery.Command c) throws ImageException, BannerException {
            String arg = c.argument();
            switch (c.name()) {
                case "fif" -> {
                    return openImage(IipQuery.decode(arg).replace("../", ""));
                }
                case "obj" -> object(arg.toLowerCase(Locale.ROOT));
                case "jtl" -> tile(arg, 0);
                case "jtls" -> tile(arg, 1);
                case "ptl" -> tile(arg, 0, OutputFormat.PNG);
                case "til" -> tiles(arg);
                case "cvt" -> export(arg);
                case "spectra" -> spectra(arg);
                case "pfl" -> profile(arg);
                case "zoomify" -> {
                    return new Zoomify(engine, responses).handle(IipQuery.decode(arg), ctx);
                }
                case "deepzoom" -> {
                    return new DeepZoom(engine, responses).handle(IipQuery.decode(arg), ctx);
                }
                case "wid" -> width = IipQuery.atoi(arg);
                case "hei" -> height = IipQuery.atoi(arg);
                case "rgn" -> regionOf(arg);
                case "qlt" -> quality = Math.max(1, Math.min(100, IipQuery.atoi(arg)));
                case "lyr" -> layers = IipQuery.atoi(arg);
                case "rot" -> rotationOf(arg);
                case "sds", "icc" -> { }                  // single images only: no sequence angles; ICC is a no-op
                case "cnt" -> contrastOf(arg.toLowerCase(Locale.ROOT));
                case "gam" -> gamma = arg.toLowerCase(Locale.ROOT).startsWith("log") ? PixelOps.LOG
                        : IipQuery.atof(arg);
                case "inv" -> invert = true;
                case "cmp" -> colormap = arg.toLowerCase(Locale.ROOT);
                case "col" -> colourOf(arg.toLowerCase(Locale.ROOT));
                case "shd" -> shadeOf(arg);
                case "ctw" -> twistOf(IipQuery.decode(arg));
                case "minmax" -> minMaxOf(arg);
                default -> errors.add(new IipException("2 2", c.name()));
            }
            return null;
        }

        Response openImage(String path) throws ImageException {
            image = engine.resolve(path, ctx);
            info = engine.info(image);
            etag = Caching.etag(image, query, engine.settings());
            if (Caching.notModified(ctx, image, etag)) return responses.notModified(image, etag);
            return null;
        }

        boolean noImage;

        boolean need(String object) {
            if (image == null) {
                errors.add(new IipException("1 3", object));
                noImage = true;
                return false;
            }
            return true;
        }

        void object(String arg) {
            if (arg.startsWith("iip,")) {
                protocolLine = true;
                return;
            }
            if (arg.contains("colorspace")) {
                if (need(arg)) lines.add(colorspaceLine());
                return;
            }
            switch (arg) {
                case "iip-server" -> lines.add("IIP-server:3.65");
                case "iip-opt-comm" -> lines.add(OPT_COMM);
                case "iip-opt-obj" -> lines.add(OPT_OBJ);
                case "max-size" -> {
                    if (need(arg)) lines.add(maxSizeLine());
                }
                case "resolution-number" -> {
                    if (need(arg)) lines.add("Resolution-number:" + info.resolutionNumber());
                }
                case "tile-size" -> {
                    if (need(arg)) lines.add("Tile-size:" + ImageInfo.TILE_SIZE + " " + ImageInfo.TILE_SIZE);
                }
                case "bits-per-channel" -> {
                    if (need(arg)) lines.add("Bits-per-channel:" + info.bitsPerChannel());
                }
                case "resolutions" -> {
                    if (need(arg)) lines.add(resolutionsLine());
                }
                case "min-max-sample-values" -> {
                    if (need(arg)) lines.add(minMaxLine());
                }
                case "horizontal-views" -> {
                    if (need(arg)) lines.add("Horizontal-views:0");
                }
                case "vertical-views" -> {
                    if (need(arg)) lines.add("Vertical-views:90");
                }
                case "basic-info" -> {
                    if (need(arg)) {
                        lines.add("IIP-server:3.65");
                        lines.add(maxSizeLine());
                        lines.add("Resolution-number:" + info.resolutionNumber());
                        lines.add(colorspaceLine());
                    }
                }
                // Deliberate: 1.1 rejects dpi (and with it the whole response IIPMooViewer >= 2024 sends). We know no
                // resolution for JPEG 2000 files yet, so like iipsrv 1.2+ we print no line.
                case "dpi" -> need(arg);
                default -> {
                    if (METADATA.contains(arg)) {
                        need(arg);                     // no metadata recorded: iipsrv prints nothing for absent fields
                    } else {
                        errors.add(new IipException("3 2", arg));
                    }
                }
            }
        }

        String maxSizeLine() {
            boolean quarter = Math.floorMod((int) Math.round(rotation), 180) == 90;
            return "Max-size:" + (quarter ? info.height() + " " + info.width() : info.width() + " " + info.height());
        }

        String resolutionsLine() {
            StringBuilder b = new StringBuilder("Resolutions:");
            List<int[]> levels = info.levelsSmallestFirst();
            for (int i = 0; i < levels.size(); i++) {
                if (i > 0) b.append(',');
                b.append(levels.get(i)[0]).append(' ').append(levels.get(i)[1]);
            }
            return b.toString();
        }

        String minMaxLine() {
            StringBuilder b = new StringBuilder();
            long max = (1L << info.bitsPerChannel()) - 1;
            for (int c = 0; c < info.components(); c++) b.append(" 0 ").append(' ').append(max).append(' ');
            return "Min-Max-sample-values:" + b.substring(0, b.length() - 1);
        }

        String colorspaceLine() {
            String cs = info.colourBands() == 3 ? "0 0 3 3 0 1 2" : "0 0 1 1 0";
            return "Colorspace,0-" + (info.resolutionNumber() - 1) + ",0:" + cs;
        }

        void regionOf(String arg) {
            String[] p = arg.split(",");
            if (p.length < 4) return;
            double[] r = new double[4];
            for (int i = 0; i < 4; i++) r[i] = Math.max(0, Math.min(1, IipQuery.atof(p[i])));
            if (r[2] > 0 && r[3] > 0) region = r;
        }

        void rotationOf(String arg) {
            mirror = arg.startsWith("!");
            rotation = IipQuery.atof(mirror ? arg.substring(1) : arg);
            if (mirror && Math.floorMod((int) Math.round(rotation), 360) == 180) {
                // "!180" is a vertical flip: a horizontal mirror then 180 degrees
                rotation = 180;
            }
        }

        void contrastOf(String arg) {
            switch (arg) {
                case "eq", "equalization" -> equalize = true;
                case "st", "stretch" -> stretch = true;
                default -> contrast = IipQuery.atof(arg);
            }
        }

        void colourOf(String arg) {
            switch (arg) {
                case "grey", "gray" -> colour = Quality.GRAY;
                case "binary" -> colour = Quality.BITONAL;
                default -> { }
            }
        }

        void shadeOf(String arg) {
            String[] p = arg.split(",");
            shade = new int[] {IipQuery.atoi(p[0]), p.length > 1 ? IipQuery.atoi(p[1]) : 30};
        }

        void twistOf(String arg) {
            String body = arg.replace("[", "").replace("]", "");
            List<double[]> rows = new ArrayList<>();
            for (String row : body.split(";")) {
                String[] v = row.split(",");
                double[] r = new double[v.length];
                for (int i = 0; i < v.length; i++) r[i] = IipQuery.atof(v[i]);
                if (v.length > 0 && !row.isBlank()) rows.add(r);
            }
            if (!rows.isEmpty() && rows.size() <= 3) twist = rows.toArray(double[][]::new);
        }

        void minMaxOf(String arg) {
            int colon = arg.indexOf(':');
            if (colon < 0) return;
            String ch = arg.substring(0, colon);
            String[] range = arg.substring(colon + 1).split(",");
            if (range.length < 2) return;
            double scale = 255.0 / ((1L << Math.max(1, info == null ? 8 : info.bitsPerChannel())) - 1);
            int channel = ch.equals("-") ? -1 : IipQuery.atoi(ch);
            minMax.add(new double[] {channel, IipQuery.atof(range[0]) * scale, IipQuery.atof(range[1]) * scale});
        }

        PixelOps ops() {
            return new PixelOps(List.copyOf(minMax), shade, twist, gamma, invert, colormap, contrast, stretch,
                    equalize);
        }

        int[] resolutionAndTile(String arg, int offset) throws BannerException {
            String[] p = arg.split(",");
            if (p.length <= offset) throw new BannerException("tile syntax");
            int r = IipQuery.atoi(p[offset]);
            int t = IipQuery.atoi(p.length > offset + 1 ? p[offset + 1] : p[offset]);   // 1.1 reads "JTL=2" as 2,2
            if (r < 0 || t < 0) throw new BannerException("negative tile");
            return new int[] {r, t};
        }

        void tile(String arg, int offset) throws ImageException, BannerException {
            tile(arg, offset, OutputFormat.JPEG);
        }

        void tile(String arg, int offset, OutputFormat format) throws ImageException, BannerException {
            if (output != null || !need("")) return;   // 1.1 names no object here: "Error/4:1 3 "
            int[] rt = resolutionAndTile(arg, offset);
            byte[] jpeg = tileBytes(rt[0], rt[1], format);
            output = responses.tile(image, etag, jpeg, format);
        }

        byte[] tileBytes(int r, int t, OutputFormat format) throws ImageException {
            int n = info.resolutionNumber();
            // 1.1 tests r > N (not >=): r == N slips through to the tile check and reports the tile.
            if (r > n) throw new ImageException(404, "OpenJPEG :: Asked for non-existent resolution: " + r);
            if (r == n) throw noTile(t);
            TileGrid grid = new TileGrid(info, n - 1 - r);
            if (t >= grid.count()) throw noTile(t);
            int turns = Math.floorMod((int) Math.round(rotation / 90.0), 4);
            if (turns == 2) t = grid.count() - 1 - t;   // iipsrv remaps tiles for 180 only; 90/270 turn the contents
            Rect tile = grid.tile(t);
            ImageRequest req = new ImageRequest(image, grid.fullResolution(t), tile.width(), tile.height(),
                    turns * 90.0, mirror, colour, ops(), format, layers, quality);
            return engine.produce(req);
        }

        void tiles(String arg) throws ImageException, BannerException {
            if (output != null || !need("")) return;
            String[] p = arg.split(",");
            if (p.length < 2) throw new BannerException("til syntax");
            int r = IipQuery.atoi(p[0]);
            String[] range = p[1].split("-");
            int start = IipQuery.atoi(range[0]);
            int end = range.length > 1 ? IipQuery.atoi(range[1]) : start;
            if (r < 0 || start < 0 || end < start || end - start > 1024) throw new BannerException("til range");
            java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
            for (int t = start; t <= end; t++) {
                byte[] jpeg = tileBytes(r, t, OutputFormat.JPEG);
                body.writeBytes(("Tile," + r + "," + t + ",0/" + (jpeg.length + 8) + ":")
                        .getBytes(StandardCharsets.US_ASCII));
                body.writeBytes(new byte[] {2, 0, 0, 0, 0, 0x11, 0, 0});
                body.writeBytes(jpeg);
                body.writeBytes(CRLF.getBytes(StandardCharsets.US_ASCII));
            }
            output = responses.netfpx(image, etag, body.toByteArray());
        }

        Rect regionPixels() {
            if (region == null) return new Rect(0, 0, info.width(), info.height());
            int x = (int) Math.round(region[0] * info.width());
            int y = (int) Math.round(region[1] * info.height());
            int w = (int) Math.round(region[2] * info.width());
            int h = (int) Math.round(region[3] * info.height());
            return new Rect(x, y, Math.max(1, w), Math.max(1, h)).clip(info.width(), info.height());
        }

        void export(String arg) throws ImageException {
            if (output != null || !need("")) return;
            OutputFormat format = arg.toLowerCase(Locale.ROOT).startsWith("png") ? OutputFormat.PNG : OutputFormat.JPEG;
            Rect r = regionPixels();
            if (r.isEmpty()) throw new ImageException(400, "Region lies outside the image");
            int[] size = outputSize(r);
            int turns = Math.floorMod((int) Math.round(rotation / 90.0), 4);
            ImageRequest req = new ImageRequest(image, r, size[0], size[1], turns * 90.0, mirror, colour, ops(),
                    format, layers, quality);
            output = responses.export(image, etag, engine.produce(req), format);
        }

        /** CVT's output size: WID/HEI keep the region's aspect, both fit inside the box, capped at MAX_CVT. */
        int[] outputSize(Rect r) {
            double rw = r.width();
            double rh = r.height();
            double w;
            double h;
            if (width > 0 && height > 0) {
                double k = Math.min(width / rw, height / rh);
                w = rw * k;
                h = rh * k;
            } else if (width > 0) {
                w = width;
                h = rh * width / rw;
            } else if (height > 0) {
                h = height;
                w = rw * height / rh;
            } else {
                w = rw;
                h = rh;
            }
            if (!engine.settings().allowUpscaling() && (w > rw || h > rh)) {
                w = rw;
                h = rh;
            }
            int max = engine.settings().maxCvt();
            if (w > max || h > max) {
                double k = Math.min(max / w, max / h);
                w *= k;
                h *= k;
            }
            return new int[] {(int) Math.max(1, Math.round(w)), (int) Math.max(1, Math.round(h))};
        }

        void spectra(String arg) throws ImageException, BannerException {
            if (output != null || !need("spectra")) return;
            String[] p = arg.split(",");
            if (p.length < 4) throw new BannerException("spectra syntax");
            int r = IipQuery.atoi(p[0]);
            int t = IipQuery.atoi(p[1]);
            int x = IipQuery.atoi(p[2]);
            int y = IipQuery.atoi(p[3]);
            Pixels tile = tilePixels(r, t);
            if (x < 0 || y < 0 || x >= tile.width() || y >= tile.height()) {
                throw new ImageException(400, "SPECTRA :: Pixel coordinates outside tile");
            }
            int v = tile.argb()[y * tile.width() + x];
            StringBuilder b = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<spectra>\n");
            int bands = tile.isGray() ? 1 : 3;
            for (int i = 0; i < bands; i++) {
                int s = v >> (16 - 8 * i) & 0xFF;
                b.append("\t<point>\n\t\t<wavelength>").append(i).append("</wavelength>\n\t\t<reflectance>")
                        .append(String.format(Locale.ROOT, "%g", s / 255.0).replaceAll("0+$", "").replaceAll("\\.$", ""))
                        .append("</reflectance>\n\t</point>\n");
            }
            b.append("</spectra>");
            output = responses.text(image, etag, "application/xml", b.toString());
        }

        Pixels tilePixels(int r, int t) throws ImageException {
            int n = info.resolutionNumber();
            if (r < 0 || r >= n) throw noTile(t);
            TileGrid grid = new TileGrid(info, n - 1 - r);
            if (t < 0 || t >= grid.count()) throw noTile(t);
            Rect tile = grid.tile(t);
            return engine.render(new ImageRequest(image, grid.fullResolution(t), tile.width(), tile.height(), 0,
                    false, Quality.DEFAULT, PixelOps.NONE, OutputFormat.JPEG, layers, quality));
        }

        /** PFL=r:x1,y1-x2,y2: the samples along a horizontal or vertical line of resolution r, as JSON. */
        void profile(String arg) throws ImageException, BannerException {
            if (output != null || !need("pfl")) return;
            int colon = arg.indexOf(':');
            String[] ends = colon < 0 ? new String[0] : arg.substring(colon + 1).split("-");
            if (colon < 0 || ends.length != 2) throw new BannerException("pfl syntax");
            int r = IipQuery.atoi(arg.substring(0, colon));
            String[] a = ends[0].split(",");
            String[] b = ends[1].split(",");
            if (a.length < 2 || b.length < 2) throw new BannerException("pfl syntax");
            int n = info.resolutionNumber();
            if (r < 0 || r >= n) throw new ImageException(404, "Resolution: " + r + " does not exist");
            int d = n - 1 - r;
            int lw = info.levelWidth(d);
            int lh = info.levelHeight(d);
            int x1 = clamp(IipQuery.atoi(a[0]), lw), y1 = clamp(IipQuery.atoi(a[1]), lh);
            int x2 = clamp(IipQuery.atoi(b[0]), lw), y2 = clamp(IipQuery.atoi(b[1]), lh);
            boolean vertical = x1 == x2 && y1 != y2;
            int x0 = Math.min(x1, x2), y0 = Math.min(y1, y2);
            int w = vertical ? 1 : Math.abs(x2 - x1) + 1;
            int h = vertical ? Math.abs(y2 - y1) + 1 : 1;
            Rect full = new Rect(x0 << d, y0 << d, Math.max(1, w << d), Math.max(1, h << d))
                    .clip(info.width(), info.height());
            Pixels line = engine.render(new ImageRequest(image, full, w, h, 0, false, Quality.DEFAULT,
                    PixelOps.NONE, OutputFormat.JPEG, layers, quality));
            StringBuilder json = new StringBuilder("{\n\t\"profile\": [");
            int bands = line.isGray() ? 1 : 3;
            for (int i = 0; i < line.argb().length; i++) {
                for (int c = 0; c < bands; c++) {
                    if (i > 0 || c > 0) json.append(',');
                    json.append(line.argb()[i] >> (16 - 8 * c) & 0xFF);
                }
            }
            json.append("]\n}");
            output = responses.text(image, etag, "application/json", json.toString());
        }

        Response finish() {
            if (output != null) return output;
            if (!errors.isEmpty()) return responses.error(errors);
            if (protocolLine || !lines.isEmpty()) return responses.objects(image, etag, protocolLine, lines);
            return responses.error(List.of(new IipException("2 1", query)));
        }
    }

    /** 1.1's text for a tile or resolution that does not exist. */
    static ImageException noTile(int t) {
        return new ImageException(404, "OpenJPEG :: Asked for non-existent tile: " + t);
    }

    private static int clamp(int v, int size) {
        return Math.max(0, Math.min(size - 1, v));
    }

    static String lastModified(ResolvedImage image) {
        return image == null ? null : HttpDates.format(image.lastModified());
    }
}
