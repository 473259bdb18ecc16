package org.vellum.image;

import java.util.Arrays;
import java.util.List;

/**
 * IIP's pixel operations. They always run in iipsrv's order, whatever order the request named them in:
 * normalise (MINMAX), hill shading, colour twist, gamma, invert, colour map, contrast, then grey/bitonal and
 * equalisation.
 *
 * @param minMax    input ranges to stretch to the full range, in iipsrv's 0-255 scale
 * @param shade     hill-shading light angles {horizontal, vertical}, or null
 * @param twist     colour twist matrix rows (one per output channel), or null
 * @param gamma     gamma exponent, NaN for none; {@link #LOG} for a logarithmic transform
 * @param invert    invert the samples
 * @param colormap  hot, cold, jet, blue, green or red; null for none
 * @param contrast  contrast multiplier, NaN for none
 * @param stretch   stretch each channel to its full range
 * @param equalize  histogram equalisation
 */
public record PixelOps(List<Range> minMax, int[] shade, double[][] twist, double gamma, boolean invert,
                       String colormap, double contrast, boolean stretch, boolean equalize) {

    /** MINMAX for one channel, or every channel when {@code channel} is -1. */
    public record Range(int channel, double min, double max) {
    }

    public static final double LOG = Double.NEGATIVE_INFINITY;
    public static final PixelOps NONE = new PixelOps(List.of(), null, null, Double.NaN, false, null, Double.NaN,
            false, false);

    /** Every operation and its arguments as text; equal text, equal pixels (arrays are compared by content). */
    public String describe() {
        StringBuilder b = new StringBuilder("minmax=");
        for (Range m : minMax) b.append(m);
        return b.append(";shd=").append(Arrays.toString(shade)).append(";ctw=").append(Arrays.deepToString(twist))
                .append(";gam=").append(gamma).append(";inv=").append(invert).append(";cmp=").append(colormap)
                .append(";cnt=").append(contrast).append(";st=").append(stretch).append(";eq=").append(equalize)
                .toString();
    }

    public boolean isNone() {
        return minMax.isEmpty() && shade == null && twist == null && Double.isNaN(gamma) && !invert
                && colormap == null && Double.isNaN(contrast) && !stretch && !equalize;
    }
}
