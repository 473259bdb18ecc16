package org.vellum.protocol.iiif;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.vellum.image.Rect;

/**
 * The region parameter: {@code full}, {@code square}, {@code x,y,w,h} in pixels or {@code pct:x,y,w,h} in percent
 * of the full image. Both versions share the syntax.
 */
public record Region(Kind kind, double x, double y, double w, double h) {
    public enum Kind { FULL, SQUARE, PIXELS, PERCENT }

    private static final String INT = "(\\d+)";
    private static final String DEC = "(\\d+(?:\\.\\d*)?|\\.\\d+)";
    private static final Pattern PIXELS = Pattern.compile(INT + "," + INT + "," + INT + "," + INT);
    private static final Pattern PERCENT = Pattern.compile("pct:" + DEC + "," + DEC + "," + DEC + "," + DEC);

    public static Region parse(String s) throws IiifException {
        if (s.equals("full")) return new Region(Kind.FULL, 0, 0, 0, 0);
        if (s.equals("square")) return new Region(Kind.SQUARE, 0, 0, 0, 0);
        Matcher m = PIXELS.matcher(s);
        Kind kind = Kind.PIXELS;
        if (!m.matches()) {
            m = PERCENT.matcher(s);
            kind = Kind.PERCENT;
            if (!m.matches()) throw IiifException.badRequest("Invalid region: " + s);
        }
        double[] v = new double[4];
        for (int i = 0; i < 4; i++) {
            try {
                v[i] = Double.parseDouble(m.group(i + 1));
            } catch (NumberFormatException e) {
                throw IiifException.badRequest("Invalid region: " + s);
            }
        }
        if (v[2] <= 0 || v[3] <= 0) throw IiifException.badRequest("Region width and height must be above zero: " + s);
        if (kind == Kind.PERCENT && (v[0] > 100 || v[1] > 100)) {
            throw IiifException.badRequest("Region lies outside the image: " + s);
        }
        return new Region(kind, v[0], v[1], v[2], v[3]);
    }

    /**
     * The area of a width x height image in pixels, clipped to the image. An area entirely outside it is a 400.
     * Square is the largest centred square; percentages round to the nearest pixel edge.
     */
    public Rect resolve(int width, int height) throws IiifException {
        Rect r = switch (kind) {
            case FULL -> new Rect(0, 0, width, height);
            case SQUARE -> {
                int side = Math.min(width, height);
                yield new Rect((width - side) / 2, (height - side) / 2, side, side);
            }
            case PIXELS -> new Rect(sat(x), sat(y), sat(w), sat(h));
            case PERCENT -> {
                long x0 = Math.round(x * width / 100);
                long y0 = Math.round(y * height / 100);
                long x1 = Math.round((x + w) * width / 100);
                long y1 = Math.round((y + h) * height / 100);
                // a sliver thinner than a pixel is still a pixel of the image
                yield new Rect(sat(x0), sat(y0), sat(Math.max(1, x1 - x0)), sat(Math.max(1, y1 - y0)));
            }
        };
        Rect clipped = r.clip(width, height);
        if (clipped.isEmpty()) throw IiifException.badRequest("Region lies outside the image");
        return clipped;
    }

    private static int sat(double v) {
        return (int) Math.min(Integer.MAX_VALUE, v);
    }
}
