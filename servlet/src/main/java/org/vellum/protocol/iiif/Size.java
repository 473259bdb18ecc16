package org.vellum.protocol.iiif;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.vellum.image.Dimension;
import org.vellum.image.ImageInfo;
import org.vellum.image.Rect;

/**
 * The size parameter. Version 3: {@code max | w, | ,h | pct:n | w,h | !w,h}, each optionally prefixed with {@code ^}
 * to allow upscaling. Version 2: {@code full | max | w, | ,h | pct:n | w,h | !w,h}, upscaling always allowed.
 */
public record Size(Kind kind, boolean upscale, double width, double height) {
    public enum Kind { MAX, WIDTH, HEIGHT, PERCENT, EXACT, CONFINED }

    private static final Pattern WH = Pattern.compile("(!?)(\\d*),(\\d*)");
    private static final Pattern PCT = Pattern.compile("pct:(\\d+(?:\\.\\d*)?|\\.\\d+)");

    /** The largest output a request may ask for. */
    public record Limits(int maxWidth, int maxHeight, long maxArea, boolean upscalingAllowed) {
    }

    public static Size parse(String s, IiifVersion version) throws IiifException {
        boolean up = version == IiifVersion.V2;
        String body = s;
        if (s.startsWith("^")) {
            if (version == IiifVersion.V2) throw IiifException.badRequest("Invalid size for Image API 2: " + s);
            up = true;
            body = s.substring(1);
        }
        if (body.equals("max") || version == IiifVersion.V2 && body.equals("full")) {
            return new Size(Kind.MAX, version == IiifVersion.V3 && up, 0, 0);     // v2's max never upscales
        }
        Matcher p = PCT.matcher(body);
        if (p.matches()) {
            double n = Double.parseDouble(p.group(1));
            if (n <= 0) throw IiifException.badRequest("Size percentage must be above zero: " + s);
            return new Size(Kind.PERCENT, up, n, n);
        }
        Matcher m = WH.matcher(body);
        if (!m.matches()) throw IiifException.badRequest("Invalid size: " + s);
        boolean confined = !m.group(1).isEmpty();
        String w = m.group(2);
        String h = m.group(3);
        if (w.isEmpty() && h.isEmpty() || confined && (w.isEmpty() || h.isEmpty())) {
            throw IiifException.badRequest("Invalid size: " + s);
        }
        double wv = w.isEmpty() ? 0 : number(w, s);
        double hv = h.isEmpty() ? 0 : number(h, s);
        if (!w.isEmpty() && wv == 0 || !h.isEmpty() && hv == 0) {
            throw IiifException.badRequest("Size width and height must be above zero: " + s);
        }
        Kind kind = confined ? Kind.CONFINED : w.isEmpty() ? Kind.HEIGHT : h.isEmpty() ? Kind.WIDTH : Kind.EXACT;
        return new Size(kind, up, wv, hv);
    }

    private static double number(String digits, String whole) throws IiifException {
        if (digits.length() > 9) throw IiifException.badRequest("Size too large: " + whole);
        return Integer.parseInt(digits);
    }

    /**
     * The output width and height for a region. {@code max} (and v2 {@code full}) and {@code !w,h} fit the limits;
     * every other form asking for more than the limits, or (in v3, without {@code ^}) for more than the region, is a 400.
     */
    public Dimension resolve(Rect region, ImageInfo info, Limits limits) throws IiifException {
        int rw = region.width();
        int rh = region.height();
        long w;
        long h;
        switch (kind) {
            case MAX -> {
                double s = fit(rw, rh, limits);
                if (!upscale || !limits.upscalingAllowed()) s = Math.min(1, s);
                return scaled(rw, rh, s, limits);
            }
            case CONFINED -> {
                double s = Math.min(width / rw, height / rh);
                if (!upscale || !limits.upscalingAllowed()) s = Math.min(1, s);
                double within = fit(rw, rh, limits);
                if (within < s) return scaled(rw, rh, within, limits);     // the server's limits bind: as max
                // the bounding dimension exactly, the other rounded, never past the box
                w = Math.min((long) width, Math.max(1, Math.round(rw * s)));
                h = Math.min((long) height, Math.max(1, Math.round(rh * s)));
                return new Dimension((int) w, (int) h);
            }
            case WIDTH -> {
                w = (long) width;
                h = levelSide(info, region, true, w);
            }
            case HEIGHT -> {
                h = (long) height;
                w = levelSide(info, region, false, h);
            }
            case PERCENT -> {
                w = Math.round(rw * width / 100);
                h = Math.round(rh * width / 100);
                if (w == 0 || h == 0) throw IiifException.badRequest("The size comes to zero pixels");
            }
            default -> {
                w = (long) width;
                h = (long) height;
            }
        }
        if (w > rw || h > rh) {
            if (!upscale) throw IiifException.badRequest("Upscaling must be asked for with ^ in Image API 3");
            if (!limits.upscalingAllowed()) throw IiifException.notImplemented("Upscaling is turned off on this server");
        }
        if (w > limits.maxWidth() || h > limits.maxHeight() || w * h > limits.maxArea()) {
            throw IiifException.badRequest("Size " + w + "x" + h + " exceeds the server's limits (maxWidth "
                    + limits.maxWidth() + ", maxHeight " + limits.maxHeight() + ", maxArea " + limits.maxArea() + ")");
        }
        return new Dimension((int) w, (int) h);
    }

    /**
     * The other side for a given side: when the given side is the region's size at a JPEG 2000 level (2^d reduction),
     * the other side is that level's too, so {@code w,} for a size of info.json gives exactly that size; otherwise
     * it follows the aspect ratio, rounded.
     */
    static long levelSide(ImageInfo info, Rect region, boolean widthGiven, long given) {
        for (int d = 0; d < 31; d++) {
            Rect level = info.toLevel(region, d);
            long l = widthGiven ? level.width() : level.height();
            if (l == given) return Math.max(1, widthGiven ? level.height() : level.width());
            if (l < given) break;
        }
        int length = widthGiven ? region.width() : region.height();
        int other = widthGiven ? region.height() : region.width();
        return Math.max(1, Math.round((double) given * other / length));
    }

    /** The largest scale of a rw x rh region within the limits. */
    private static double fit(int rw, int rh, Limits limits) {
        double s = Math.min((double) limits.maxWidth() / rw, (double) limits.maxHeight() / rh);
        return Math.min(s, Math.sqrt((double) limits.maxArea() / ((double) rw * rh)));
    }

    private static Dimension scaled(int rw, int rh, double s, Limits limits) {
        if (s >= 1 && s < 1 + 1e-12) return new Dimension(rw, rh);
        long w = Math.max(1, (long) Math.floor(rw * s + 1e-9));
        long h = Math.max(1, (long) Math.floor(rh * s + 1e-9));
        w = Math.min(w, limits.maxWidth());
        h = Math.min(h, limits.maxHeight());
        return new Dimension((int) w, (int) h);
    }
}
