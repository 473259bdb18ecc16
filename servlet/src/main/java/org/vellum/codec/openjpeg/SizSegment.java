package org.vellum.codec.openjpeg;

import java.nio.ByteBuffer;

/**
 * The fixed part of a SIZ marker segment, read from just after its length field: the reference grid's image and tile
 * geometry and the number of components (whose precision and sub-sampling follow, three bytes each).
 */
record SizSegment(long xsiz, long ysiz, long xo, long yo, long xt, long yt, long xto, long yto, int csiz) {
    /** Rsiz, eight 32-bit sizes and offsets, Csiz. */
    static final int FIXED_BYTES = 2 + 8 * 4 + 2;

    static SizSegment read(ByteBuffer b) {
        b.getShort(); // Rsiz: capabilities, not needed here
        long xsiz = Integer.toUnsignedLong(b.getInt());
        long ysiz = Integer.toUnsignedLong(b.getInt());
        long xo = Integer.toUnsignedLong(b.getInt());
        long yo = Integer.toUnsignedLong(b.getInt());
        long xt = Integer.toUnsignedLong(b.getInt());
        long yt = Integer.toUnsignedLong(b.getInt());
        long xto = Integer.toUnsignedLong(b.getInt());
        long yto = Integer.toUnsignedLong(b.getInt());
        return new SizSegment(xsiz, ysiz, xo, yo, xt, yt, xto, yto, b.getShort() & 0xFFFF);
    }
}
