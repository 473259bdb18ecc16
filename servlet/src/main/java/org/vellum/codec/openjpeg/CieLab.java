package org.vellum.codec.openjpeg;

/**
 * CIE L*a*b* samples (JP2 enumerated colour space 14) to sRGB, as {@code opj_decompress} shows them: the colr box's
 * ranges and offsets give L*, a*, b*; those are relative to the D50 white, as in an ICC Lab profile, and are converted
 * to XYZ, then through the D50-adapted sRGB matrix (Bradford) to linear sRGB, clipped, and encoded with the sRGB curve.
 *
 * @param range {rl, ol, ra, oa, rb, ob} from the colr box, or null for the defaults (T.800 Annex M: L* 0..100,
 *              a* -85..85, b* -75..125 over the full sample range)
 */
record CieLab(long[] range) {

    static final CieLab DEFAULT = new CieLab(null);

    /** D50 white (ICC PCS). */
    private static final double XN = 0.9642;
    private static final double YN = 1.0;
    private static final double ZN = 0.8249;
    /** XYZ (D50) to linear sRGB: the inverse of sRGB's primaries adapted to D50 with Bradford. */
    private static final double[] M = {
        3.1338561, -1.6168667, -0.4906146,
        -0.9787684, 1.9161415, 0.0334540,
        0.0719453, -0.2289914, 1.4052427};

    /** Replaces the three planes (L*, a*, b*, of the given precisions) with 16-bit sRGB. */
    void toSrgb16(int[][] planes, int[] precision) {
        double maxL = (1L << precision[0]) - 1;
        double maxA = (1L << precision[1]) - 1;
        double maxB = (1L << precision[2]) - 1;
        double rl;
        double ol;
        double ra;
        double oa;
        double rb;
        double ob;
        if (range == null) {
            rl = 100;
            ol = 0;
            ra = 170;
            oa = Math.scalb(1.0, precision[1] - 1);
            rb = 200;
            ob = Math.scalb(1.0, precision[2] - 2) + Math.scalb(1.0, precision[2] - 3);
        } else {
            rl = range[0];
            ol = range[1];
            ra = range[2];
            oa = range[3];
            rb = range[4];
            ob = range[5];
        }
        int[] ls = planes[0];
        int[] as = planes[1];
        int[] bs = planes[2];
        int n = ls.length;
        int[] r = new int[n];
        int[] g = new int[n];
        int[] b = new int[n];
        for (int i = 0; i < n; i++) {
            double l = (ls[i] - ol) * rl / maxL;
            double a = (as[i] - oa) * ra / maxA;
            double bb = (bs[i] - ob) * rb / maxB;
            double fy = (l + 16) / 116;
            double x = XN * finv(fy + a / 500);
            double y = YN * finv(fy);
            double z = ZN * finv(fy - bb / 200);
            r[i] = encode(M[0] * x + M[1] * y + M[2] * z);
            g[i] = encode(M[3] * x + M[4] * y + M[5] * z);
            b[i] = encode(M[6] * x + M[7] * y + M[8] * z);
        }
        planes[0] = r;
        planes[1] = g;
        planes[2] = b;
    }

    private static double finv(double t) {
        return t > 6.0 / 29 ? t * t * t : 3 * (6.0 / 29) * (6.0 / 29) * (t - 4.0 / 29);
    }

    /** Linear sRGB, clipped to the gamut, to a 16-bit sample on the sRGB curve. */
    private static int encode(double v) {
        if (!(v > 0)) return 0;
        if (v >= 1) return 65535;
        double e = v <= 0.0031308 ? 12.92 * v : 1.055 * Math.pow(v, 1 / 2.4) - 0.055;
        return (int) Math.round(e * 65535);
    }
}
