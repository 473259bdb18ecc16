package org.vellum.codec.openjpeg;

import java.nio.ByteBuffer;

/**
 * A resolution from a JP2 {@code res } box: grid points (pixels) per metre across and down.
 *
 * @param horizontal pixels per metre along a row
 * @param vertical   pixels per metre along a column
 */
public record PixelsPerMetre(double horizontal, double vertical) {

    /**
     * A {@code resc} or {@code resd} payload: VRN, VRD, HRN, HRD (16 bits each, unsigned), VRE, HRE (8 bits, signed);
     * each resolution is N / D * 10^E. Null when a value is zero or cannot be: such a box says nothing.
     */
    static PixelsPerMetre read(ByteBuffer b) {
        if (b.remaining() < 10) return null;
        int vn = b.getShort() & 0xFFFF;
        int vd = b.getShort() & 0xFFFF;
        int hn = b.getShort() & 0xFFFF;
        int hd = b.getShort() & 0xFFFF;
        int ve = b.get();
        int he = b.get();
        if (vn == 0 || vd == 0 || hn == 0 || hd == 0) return null;
        return new PixelsPerMetre((double) hn / hd * Math.pow(10, he), (double) vn / vd * Math.pow(10, ve));
    }

    /** Pixels per centimetre, the unit iipsrv answers a JPEG 2000 file's DPI in. */
    public double horizontalPerCm() {
        return horizontal / 100;
    }

    public double verticalPerCm() {
        return vertical / 100;
    }
}
