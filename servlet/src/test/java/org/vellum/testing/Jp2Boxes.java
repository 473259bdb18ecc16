package org.vellum.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * JP2 files written box by box (ISO/IEC 15444-1 Annex I) around a raw codestream, for header boxes our encoder does
 * not write: palettes (pclr, cmap), channel definitions (cdef) in any order, enumerated colour spaces such as CIE Lab
 * and e-sYCC.
 */
public final class Jp2Boxes {
    private Jp2Boxes() {
    }

    /** Signature, ftyp, jp2h (ihdr, then {@code headerBoxes} in order), jp2c around {@code codestream}. */
    public static Path write(Path out, byte[] codestream, byte[]... headerBoxes) {
        ByteBuffer siz = ByteBuffer.wrap(codestream);
        siz.position(8);
        long xsiz = Integer.toUnsignedLong(siz.getInt());
        long ysiz = Integer.toUnsignedLong(siz.getInt());
        long xo = Integer.toUnsignedLong(siz.getInt());
        long yo = Integer.toUnsignedLong(siz.getInt());
        siz.position(40);
        int nc = siz.getShort() & 0xFFFF;
        int ssiz0 = siz.get() & 0xFF;
        ByteArrayOutputStream jp2h = new ByteArrayOutputStream();
        ByteBuffer ihdr = ByteBuffer.allocate(14);
        ihdr.putInt((int) (ysiz - yo)).putInt((int) (xsiz - xo)).putShort((short) nc).put((byte) ssiz0)
                .put((byte) 7).put((byte) 0).put((byte) 0);
        jp2h.writeBytes(box("ihdr", ihdr.array()));
        for (byte[] b : headerBoxes) jp2h.writeBytes(b);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes(box("jP  ", new byte[] {0x0D, 0x0A, (byte) 0x87, 0x0A}));
        file.writeBytes(box("ftyp", ByteBuffer.allocate(12).put("jp2 ".getBytes()).putInt(0).put("jp2 ".getBytes()).array()));
        file.writeBytes(box("jp2h", jp2h.toByteArray()));
        file.writeBytes(box("jp2c", codestream));
        try {
            Files.write(out, file.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    public static byte[] box(String type, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(8 + payload.length);
        b.putInt(8 + payload.length).put(type.getBytes()).put(payload);
        return b.array();
    }

    /** colr, method 1 (enumerated colour space): 16 sRGB, 17 grey, 18 sYCC, 24 e-sYCC, 14 CIE Lab. */
    public static byte[] colr(int enumcs) {
        return box("colr", ByteBuffer.allocate(7).put((byte) 1).put((byte) 0).put((byte) 0).putInt(enumcs).array());
    }

    /** colr, enumerated CIE Lab with its ranges and offsets (T.800 Annex M) and illuminant (e.g. 0x00443530, D50). */
    public static byte[] colrLab(long rl, long ol, long ra, long oa, long rb, long ob, long illuminant) {
        ByteBuffer b = ByteBuffer.allocate(35).put((byte) 1).put((byte) 0).put((byte) 0).putInt(14);
        for (long v : new long[] {rl, ol, ra, oa, rb, ob, illuminant}) b.putInt((int) v);
        return box("colr", b.array());
    }

    /** pclr: {@code columns[c][entry]}, column c of {@code bits[c]} bits (unsigned), big-endian in whole bytes. */
    public static byte[] pclr(int[] bits, int[][] columns) {
        int entries = columns[0].length;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(entries >> 8);
        b.write(entries);
        b.write(bits.length);
        for (int bit : bits) b.write(bit - 1);
        for (int e = 0; e < entries; e++) {
            for (int c = 0; c < bits.length; c++) {
                int bytes = (bits[c] + 7) / 8;
                for (int i = bytes - 1; i >= 0; i--) b.write(columns[c][e] >> (8 * i));
            }
        }
        return box("pclr", b.toByteArray());
    }

    /** cmap: each row {component, mapping type (0 direct, 1 palette), palette column}. */
    public static byte[] cmap(int[]... rows) {
        ByteBuffer b = ByteBuffer.allocate(4 * rows.length);
        for (int[] r : rows) b.putShort((short) r[0]).put((byte) r[1]).put((byte) r[2]);
        return box("cmap", b.array());
    }

    /** cdef: each row {channel, type (0 colour, 1 opacity, 2 premultiplied opacity), association (0 whole image)}. */
    public static byte[] cdef(int[]... rows) {
        ByteBuffer b = ByteBuffer.allocate(2 + 6 * rows.length).putShort((short) rows.length);
        for (int[] r : rows) b.putShort((short) r[0]).putShort((short) r[1]).putShort((short) r[2]);
        return box("cdef", b.array());
    }

    private static final int JP2H = 0x6A703268;
    private static final int COLR = 0x636F6C72;

    /**
     * Replaces the colr box in jp2h by one of method 2 (restricted ICC profile) holding {@code icc}, in place; the
     * codestream is copied unchanged.
     */
    public static Path tagWithIccProfile(Path jp2, byte[] icc) {
        try {
            byte[] in = Files.readAllBytes(jp2);
            ByteBuffer b = ByteBuffer.wrap(in);
            ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + icc.length);
            int pos = 0;
            boolean tagged = false;
            while (pos < in.length) {
                int len = b.getInt(pos);
                int type = b.getInt(pos + 4);
                if (len == 0) len = in.length - pos;          // the last box, to the end of the file
                if (type != JP2H) {
                    out.write(in, pos, len);
                } else {
                    ByteArrayOutputStream kids = new ByteArrayOutputStream();
                    for (int p = pos + 8; p < pos + len; p += b.getInt(p)) {
                        if (b.getInt(p + 4) != COLR) {
                            kids.write(in, p, b.getInt(p));
                            continue;
                        }
                        ByteBuffer colr = ByteBuffer.allocate(11 + icc.length);
                        colr.putInt(11 + icc.length).putInt(COLR).put((byte) 2).put((byte) 0).put((byte) 0).put(icc);
                        kids.writeBytes(colr.array());
                        tagged = true;
                    }
                    out.writeBytes(ByteBuffer.allocate(8).putInt(8 + kids.size()).putInt(JP2H).array());
                    out.writeBytes(kids.toByteArray());
                }
                pos += len;
            }
            if (!tagged) throw new IllegalStateException("no colr box in " + jp2);
            Files.write(jp2, out.toByteArray());
            return jp2;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
