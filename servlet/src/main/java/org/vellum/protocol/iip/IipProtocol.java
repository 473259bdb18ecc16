package org.vellum.protocol.iip;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.vellum.api.Caller;
import org.vellum.api.ImageSequence;
import org.vellum.image.Encoders;
import org.vellum.image.ImageException;
import org.vellum.image.ImageInfo;
import org.vellum.image.OutputFormat;
import org.vellum.image.Pixels;
import org.vellum.pipeline.Answer;
import org.vellum.pipeline.ImageService;
import org.vellum.pipeline.Query;
import org.vellum.pipeline.Representation;
import org.vellum.pipeline.Subject;
import org.vellum.protocol.Iipsrv;
import org.vellum.protocol.PathEndpoint;

/**
 * IIP as iipsrv 1.1 speaks it. Commands run in order: modifiers change the view ({@link IipView}), output commands
 * act when reached, on the image FIF named; the first output wins. FIF hands the rest of the request to the pipeline,
 * which resolves the image for the caller and answers conditional requests. Path protocols given to the constructor
 * (Zoomify, Deep Zoom) answer their own commands, as iipsrv serves them.
 */
public final class IipProtocol {
    private static final List<String> METADATA = List.of("copyright", "title", "subject", "author", "keywords",
            "comment", "last-author", "rev-number", "edit-time", "last-printed", "create-dtm", "last-save-dtm",
            "app-name", "summary-info");

    private final ImageService service;
    private final Map<String, PathEndpoint> delegates;

    public IipProtocol(ImageService service, List<PathEndpoint> delegates) {
        this.service = service;
        this.delegates = delegates.stream().collect(Collectors.toUnmodifiableMap(PathEndpoint::command,
                Function.identity()));
    }

    /** Answers one IIP query string (as received, still URL-encoded). */
    public Answer handle(String query, Caller caller) {
        if (query == null || query.isEmpty()) return service.policy().render(IipBodies.banner(), caller);
        List<IipQuery.Command> commands = IipQuery.parse(query);
        Run run = new Run(query);
        try {
            for (int i = 0; i < commands.size(); i++) {
                IipQuery.Command c = commands.get(i);
                PathEndpoint delegate = delegates.get(c.name());
                if (delegate != null) return delegate.answer(IipQuery.decode(c.argument()), caller);
                if (c.name().equals("fif")) {
                    List<IipQuery.Command> rest = commands.subList(i + 1, commands.size());
                    String image = run.view(identifier(c), views(commands), caller);
                    return service.serve(Query.of(image, query), caller, s -> run.on(s, rest, caller),
                            Iipsrv::failure);
                }
                run.apply(c);
                if (run.stopped) break;   // 1.1's checkImage throws after error 1 3: later commands never run
            }
            return service.policy().render(run.finish(), caller);
        } catch (ImageException e) {
            return service.policy().render(Iipsrv.failure(e), caller);
        } catch (BannerException e) {
            return service.policy().render(IipBodies.banner(), caller);
        }
    }

    private static final List<String> OUTPUTS = List.of("jtl", "jtls", "ptl", "til", "cvt", "spectra", "pfl");
    private static final Pattern SDS = Pattern.compile("(-?\\d{1,9})(?:,(-?\\d{1,9}))?");

    /**
     * The sequence view (h,v) in effect when the first output command runs, as iipsrv reads it then: the last SDS
     * before it, or JTLS's own angles; 0,90 by default. 1.1 reads "SDS=h" as h,h. A value that is not one or two
     * integers is a 400 (iipsrv reads it as 0,0 and serves the default view).
     */
    static int[] views(List<IipQuery.Command> commands) throws ImageException {
        int[] hv = {0, 90};
        for (IipQuery.Command c : commands) {
            if (c.name().equals("sds")) {
                Matcher m = SDS.matcher(IipQuery.decode(c.argument()).strip());
                if (!m.matches()) throw new ImageException(400, "SDS :: not a view h,v: " + c.argument());
                hv = new int[] {Integer.parseInt(m.group(1)),
                        Integer.parseInt(m.group(2) != null ? m.group(2) : m.group(1))};
            } else if (c.name().equals("jtls")) {
                String[] p = c.argument().split(",");
                return p.length >= 4 ? new int[] {IipQuery.atoi(p[0]), IipQuery.atoi(p[3])} : hv;
            } else if (OUTPUTS.contains(c.name())) {
                return hv;
            }
        }
        return hv;
    }

    private static String identifier(IipQuery.Command fif) {
        return IipQuery.decode(fif.argument()).replace("../", "");
    }

    /** A request whose view parameters make no sense; iipsrv answers these with its HTML banner. */
    static final class BannerException extends RuntimeException {
        BannerException(String message) {
            super(message, null, false, false);
        }
    }

    /** One request's progress: the image once FIF named it, the view so far, the output or the OBJ lines. */
    private final class Run {
        final String query;
        final IipView.Builder view = new IipView.Builder(service.settings().jpegQuality());
        final List<IipException> errors = new ArrayList<>();
        final List<String> lines = new ArrayList<>();
        Subject subject;
        ImageSequence sequence;
        IipGeometry geometry;
        Representation output;
        boolean protocolLine;
        String objectType = IipBodies.NETFPX;
        boolean stopped;

        Run(String query) {
            this.query = query;
        }

        /**
         * The identifier of the file view hv of {@code image} is: the image itself when it is not a sequence (iipsrv
         * ignores SDS then), else the sequence's file for that view; a view the sequence lacks is a 400.
         */
        String view(String image, int[] hv, Caller caller) throws ImageException {
            sequence = service.sequence(image, caller);
            if (sequence == null || hv[0] == 0 && hv[1] == 90) return image;
            if (!sequence.has(hv[0], hv[1])) {
                throw new ImageException(400, "SDS :: " + image + " has no view " + hv[0] + "," + hv[1]);
            }
            return sequence.member(hv[0], hv[1]);
        }

        /** The rest of the request, once FIF has found its image. */
        Representation on(Subject s, List<IipQuery.Command> rest, Caller caller) throws ImageException {
            open(s);
            for (int i = 0; i < rest.size(); i++) {
                IipQuery.Command c = rest.get(i);
                if (c.name().equals("fif")) {
                    String image = view(identifier(c), views(rest.subList(i + 1, rest.size())), caller);
                    open(service.subject(Query.of(image, c.argument()), caller));   // a second FIF
                    continue;
                }
                PathEndpoint delegate = delegates.get(c.name());
                if (delegate != null) continue;       // one protocol per request: the image's IIP answer stands
                apply(c);
                if (stopped) break;
            }
            return finish();
        }

        void open(Subject s) {
            subject = s;
            geometry = new IipGeometry(service, s);
        }

        void apply(IipQuery.Command c) throws ImageException {
            ImageInfo info = subject == null ? null : subject.info();
            if (view.apply(c, info)) return;
            String arg = c.argument();
            switch (c.name()) {
                case "obj" -> object(arg.toLowerCase(Locale.ROOT));
                case "jtl" -> tile(arg, 0, OutputFormat.JPEG);
                case "jtls" -> tile(arg, 1, OutputFormat.JPEG);
                case "ptl" -> tile(arg, 0, OutputFormat.PNG);
                case "til" -> tiles(arg);
                case "cvt" -> export(arg);
                case "spectra" -> spectra(arg);
                case "pfl" -> profile(arg);
                default -> errors.add(new IipException("2 2", c.name()));
            }
        }

        /** Whether an output can run: not when one already has, and not without an image (1.1's error 1 3). */
        boolean ready(String object) {
            if (output != null) return false;
            return need(object);
        }

        boolean need(String object) {
            if (subject == null) {
                errors.add(new IipException("1 3", object));
                stopped = true;
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
                if (need(arg)) lines.add(IipBodies.colorspaceLine(subject.info()));
                return;
            }
            switch (arg) {
                case "iip-server" -> lines.add("IIP-server:3.65");
                case "iip-opt-comm" -> lines.add(IipBodies.OPT_COMM);
                case "iip-opt-obj" -> lines.add(IipBodies.OPT_OBJ);
                case "max-size" -> {
                    if (need(arg)) lines.add(IipBodies.maxSizeLine(subject.info(), view.view()));
                }
                case "resolution-number" -> {
                    if (need(arg)) lines.add("Resolution-number:" + subject.info().resolutionNumber());
                }
                case "tile-size" -> {
                    if (need(arg)) lines.add("Tile-size:" + ImageInfo.TILE_SIZE + " " + ImageInfo.TILE_SIZE);
                }
                case "bits-per-channel" -> {
                    if (need(arg)) lines.add("Bits-per-channel:" + subject.info().bitsPerChannel());
                }
                case "resolutions" -> {
                    if (need(arg)) lines.add(IipBodies.resolutionsLine(subject.info()));
                }
                case "min-max-sample-values" -> {
                    if (need(arg)) lines.add(IipBodies.minMaxLine(subject.info()));
                }
                case "horizontal-views" -> {
                    if (need(arg)) {
                        lines.add("Horizontal-views:" + viewList(sequence == null ? null : sequence.horizontal(), 0));
                    }
                }
                case "vertical-views" -> {
                    if (need(arg)) {
                        lines.add("Vertical-views:" + viewList(sequence == null ? null : sequence.vertical(), 90));
                    }
                }
                case "basic-info" -> {
                    if (need(arg)) {
                        lines.add("IIP-server:3.65");
                        lines.add(IipBodies.maxSizeLine(subject.info(), view.view()));
                        lines.add("Resolution-number:" + subject.info().resolutionNumber());
                        lines.add(IipBodies.colorspaceLine(subject.info()));
                    }
                }
                // Deliberate: 1.1 rejects dpi (and with it the whole response IIPMooViewer >= 2024 sends); like
                // iipsrv 1.2+ we answer the file's resolution, and nothing for a file that records none.
                case "dpi" -> {
                    if (need(arg) && IipBodies.dpiLine(subject.info()) != null) lines.add(IipBodies.dpiLine(subject.info()));
                }
                // iipsrv 1.2+: the file's XMP packet as application/xml (1.1 knows no such object)
                case "xmp" -> {
                    if (need(arg) && subject.info().xmp() != null) {
                        lines.add(new String(subject.info().xmp(), StandardCharsets.UTF_8).strip());
                        objectType = "application/xml";
                    }
                }
                default -> {
                    if (METADATA.contains(arg)) {
                        need(arg);                     // no metadata recorded: iipsrv prints nothing for absent fields
                    } else {
                        errors.add(new IipException("3 2", arg));
                    }
                }
            }
        }

        /** JTL=r,t (JTLS=s,r,t): 1.1 reads "JTL=2" as 2,2. */
        void tile(String arg, int offset, OutputFormat format) throws ImageException {
            if (!ready("")) return;   // 1.1 names no object here: "Error/4:1 3 "
            String[] p = arg.split(",");
            if (p.length <= offset) throw new BannerException("tile syntax");
            int r = IipQuery.atoi(p[offset]);
            int t = IipQuery.atoi(p.length > offset + 1 ? p[offset + 1] : p[offset]);
            if (r < 0 || t < 0) throw new BannerException("negative tile");
            output = Iipsrv.image(service.produce(geometry.tile(view.view(), r, t, format)), format);
        }

        void tiles(String arg) throws ImageException {
            if (!ready("")) return;
            String[] p = arg.split(",");
            if (p.length < 2) throw new BannerException("til syntax");
            int r = IipQuery.atoi(p[0]);
            String[] range = p[1].split("-");
            int start = IipQuery.atoi(range[0]);
            int end = range.length > 1 ? IipQuery.atoi(range[1]) : start;
            if (r < 0 || start < 0 || end < start || end - start > 1024) throw new BannerException("til range");
            IipView v = view.view();
            List<byte[]> jpegs = new ArrayList<>();
            for (int t = start; t <= end; t++) jpegs.add(service.produce(geometry.tile(v, r, t, OutputFormat.JPEG)));
            output = IipBodies.tiles(r, start, jpegs);
        }

        void export(String arg) throws ImageException {
            if (!ready("")) return;
            String a = arg.toLowerCase(Locale.ROOT);
            OutputFormat format = a.startsWith("png") ? OutputFormat.PNG
                    : a.startsWith("webp") ? OutputFormat.WEBP : a.startsWith("avif") ? OutputFormat.AVIF
                    : OutputFormat.JPEG;
            // iipsrv built without libwebp/libavif answers JPEG for those, and so do we without the library
            if (!Encoders.available(format)) format = OutputFormat.JPEG;
            byte[] bytes = service.produce(geometry.export(view.view(), format));
            output = IipBodies.export(subject.image().identifier(), bytes, format);
        }

        /** SPECTRA=r,t,x,y: one pixel of a tile. */
        void spectra(String arg) throws ImageException {
            if (!ready("spectra")) return;
            String[] p = arg.split(",");
            if (p.length < 4) throw new BannerException("spectra syntax");
            int x = IipQuery.atoi(p[2]);
            int y = IipQuery.atoi(p[3]);
            Pixels tile = service.render(geometry.plainTile(view.view(), IipQuery.atoi(p[0]), IipQuery.atoi(p[1])));
            if (x < 0 || y < 0 || x >= tile.width() || y >= tile.height()) {
                throw new ImageException(400, "SPECTRA :: Pixel coordinates outside tile");
            }
            output = IipBodies.spectra(tile, x, y);
        }

        /** PFL=r:x1,y1-x2,y2: the samples along a horizontal or vertical line of resolution r. */
        void profile(String arg) throws ImageException {
            if (!ready("pfl")) return;
            int colon = arg.indexOf(':');
            String[] ends = colon < 0 ? new String[0] : arg.substring(colon + 1).split("-");
            if (colon < 0 || ends.length != 2) throw new BannerException("pfl syntax");
            String[] a = ends[0].split(",");
            String[] b = ends[1].split(",");
            if (a.length < 2 || b.length < 2) throw new BannerException("pfl syntax");
            Pixels line = service.render(geometry.line(view.view(), IipQuery.atoi(arg.substring(0, colon)),
                    IipQuery.atoi(a[0]), IipQuery.atoi(a[1]), IipQuery.atoi(b[0]), IipQuery.atoi(b[1])));
            output = IipBodies.profile(line);
        }

        /** A sequence's views, space-separated; a single image's one view. */
        static String viewList(List<Integer> list, int single) {
            if (list == null) return String.valueOf(single);
            return list.stream().map(String::valueOf).collect(Collectors.joining(" "));
        }

        /** The output if one ran, else the errors, else the OBJ lines; a request that asked for nothing is error 2 1. */
        Representation finish() {
            if (output != null) return output;
            if (!errors.isEmpty()) return IipBodies.errors(errors);
            if (protocolLine || !lines.isEmpty()) return IipBodies.objects(protocolLine, lines, objectType);
            return IipBodies.errors(List.of(new IipException("2 1", query)));
        }
    }
}
