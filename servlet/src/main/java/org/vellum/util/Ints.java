package org.vellum.util;

/** Integer arithmetic the image grids need everywhere: rounding up, and holding a value within bounds. */
public final class Ints {
    private Ints() {
    }

    /** ceil(a / b) for a >= 0, b > 0. */
    public static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /** ceil(v / 2^d) for v >= 0: a size or coordinate after d halvings, as JPEG 2000 rounds them. */
    public static long ceilShift(long v, int d) {
        if (d >= 62) return v > 0 ? 1 : 0;
        return (v + (1L << d) - 1) >> d;
    }

    public static int clamp(int v, int lo, int hi) {
        return v < lo ? lo : Math.min(v, hi);
    }

    public static long clamp(long v, long lo, long hi) {
        return v < lo ? lo : Math.min(v, hi);
    }
}
