package org.vellum.codec.openjpeg;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Cheap Java-side validation before any native call: the magic bytes decide JP2 vs raw J2K (the extension may lie),
 * the JP2 box lengths must fit the file, and the SIZ marker must describe an image we are willing to hand to OpenJPEG.
 * Also reads the cdef box, because OpenJPEG only applies it on decode, not in opj_read_header.
 */
final class FileCheck {
    static final byte[] JP2_SIGNATURE = {0, 0, 0, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, (byte) 0x87, 0x0A};
    static final byte[] J2K_SOC_SIZ = {(byte) 0xFF, 0x4F, (byte) 0xFF, 0x51};

    static final int MAX_COMPONENTS = 16;
    static final int MAX_PRECISION = 16;
    static final int MAX_SUBSAMPLING = 4;
    static final long MAX_TILES = 65535;
    /** The smallest tile-part: SOT segment (12 bytes) and SOD (2). */
    static final int MIN_TILE_PART = 14;

    private static final int BOX_JP2H = 0x6A703268;
    private static final int BOX_JP2C = 0x6A703263;
    private static final int BOX_CDEF = 0x63646566;

    private static final int BOX_COLR = 0x636F6C72;
    private static final int BOX_RES = 0x72657320;
    private static final int BOX_RESC = 0x72657363;
    private static final int BOX_RESD = 0x72657364;
    private static final int MAX_ICC = 16 << 20;

    final boolean jp2;
    /** The file's length in bytes. */
    final long size;
    boolean hasAlpha;
    /** From the first colr box: enumerated colour space (method 1), or UNKNOWN. */
    Jp2ColorSpace colorSpace = Jp2ColorSpace.UNSPECIFIED;
    /** From the first colr box with an ICC profile (methods 2 and 3), or null. */
    byte[] icc;
    /** The res box's capture (resc) and default display (resd) resolutions, or null. */
    PixelsPerMetre captureResolution;
    PixelsPerMetre displayResolution;

    private FileCheck(boolean jp2, long size) {
        this.jp2 = jp2;
        this.size = size;
    }

    static FileCheck check(Path file) throws OpenJpegException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size == 0) {
                throw new OpenJpegException("empty file: " + file);
            }
            byte[] magic = read(ch, 0, (int) Math.min(12, size));
            if (magic.length == 12 && Arrays.equals(magic, JP2_SIGNATURE)) {
                FileCheck result = new FileCheck(true, size);
                long codestream = result.walkBoxes(ch, size, file);
                checkSiz(ch, codestream, size, file);
                return result;
            }
            if (magic.length >= 4 && Arrays.equals(Arrays.copyOf(magic, 4), J2K_SOC_SIZ)) {
                checkSiz(ch, 0, size, file);
                return new FileCheck(false, size);
            }
            throw new OpenJpegException("not a JPEG 2000 file (no JP2 signature or J2K SOC/SIZ): " + file);
        } catch (NoSuchFileException e) {
            throw new OpenJpegException("no such file: " + file, e);
        } catch (IOException e) {
            throw new OpenJpegException("cannot read " + file + ": " + e, e);
        }
    }

    /** Walks the top-level boxes; returns the offset of the jp2c payload. */
    private long walkBoxes(FileChannel ch, long size, Path file) throws IOException, OpenJpegException {
        long pos = 0;
        while (pos + 8 <= size) {
            ByteBuffer h = ByteBuffer.wrap(read(ch, pos, 8));
            long len = Integer.toUnsignedLong(h.getInt());
            int type = h.getInt();
            long header = 8;
            if (len == 1) {
                if (pos + 16 > size) {
                    break;
                }
                len = ByteBuffer.wrap(read(ch, pos + 8, 8)).getLong();
                header = 16;
            } else if (len == 0) {
                len = size - pos;
            }
            if (len < header || len > size - pos) {
                throw new OpenJpegException("corrupt or truncated JP2: box at " + pos + " has length " + len + " (file size " + size + "): " + file);
            }
            if (type == BOX_JP2C) {
                return pos + header;
            }
            if (type == BOX_JP2H && len <= 1 << 20) {
                readHeaderBoxes(ByteBuffer.wrap(read(ch, pos + header, (int) (len - header))));
            }
            pos += len;
        }
        throw new OpenJpegException("corrupt or truncated JP2: no codestream box: " + file);
    }

    /** The jp2h super box: cdef (alpha) and the first colr (OpenJPEG applies both only on decode, not in opj_read_header). */
    private void readHeaderBoxes(ByteBuffer jp2h) {
        boolean colr = false;
        while (jp2h.remaining() >= 8) {
            int start = jp2h.position();
            long len = Integer.toUnsignedLong(jp2h.getInt());
            int type = jp2h.getInt();
            if (len < 8 || len > jp2h.limit() - start) {
                return;
            }
            int end = (int) (start + len);
            if (type == BOX_CDEF && len >= 10) {
                int n = jp2h.getShort() & 0xFFFF;
                for (int i = 0; i < n && jp2h.position() + 6 <= end; i++) {
                    jp2h.getShort();
                    int typ = jp2h.getShort() & 0xFFFF;
                    jp2h.getShort();
                    hasAlpha |= typ == 1 || typ == 2;
                }
            } else if (type == BOX_RES) {
                readResolutions(jp2h.slice(jp2h.position(), end - jp2h.position()));
            } else if (type == BOX_COLR && !colr && len >= 11) {
                colr = true;
                int method = jp2h.get() & 0xFF;
                jp2h.get();
                jp2h.get();
                if (method == 1 && len >= 15) {
                    colorSpace = enumerated(jp2h.getInt());
                } else if ((method == 2 || method == 3) && len - 11 <= MAX_ICC) {
                    icc = new byte[(int) (len - 11)];
                    jp2h.get(icc);
                }
            }
            jp2h.position(end);
        }
    }

    /** The res superbox: resc and resd, each at most once. */
    private void readResolutions(ByteBuffer res) {
        while (res.remaining() >= 8) {
            int start = res.position();
            long len = Integer.toUnsignedLong(res.getInt());
            int type = res.getInt();
            if (len < 8 || len > res.limit() - start) return;
            ByteBuffer payload = res.slice(res.position(), (int) len - 8);
            if (type == BOX_RESC) captureResolution = PixelsPerMetre.read(payload);
            if (type == BOX_RESD) displayResolution = PixelsPerMetre.read(payload);
            res.position((int) (start + len));
        }
    }

    private static Jp2ColorSpace enumerated(int enumcs) {
        switch (enumcs) {
            case 16: return Jp2ColorSpace.SRGB;
            case 17: return Jp2ColorSpace.GRAY;
            case 18: return Jp2ColorSpace.SYCC;
            case 24: return Jp2ColorSpace.EYCC;
            case 12: return Jp2ColorSpace.CMYK;
            default: return Jp2ColorSpace.UNKNOWN;
        }
    }

    /** SIZ right after SOC: bound components, precision, sub-sampling, image and tile sizes before OpenJPEG allocates anything. */
    private static void checkSiz(FileChannel ch, long cs, long size, Path file) throws IOException, OpenJpegException {
        if (cs + 4 + 38 > size) {
            throw new OpenJpegException("truncated codestream (no SIZ): " + file);
        }
        ByteBuffer b = ByteBuffer.wrap(read(ch, cs, 4 + 38));
        if (b.getShort() != (short) 0xFF4F || b.getShort() != (short) 0xFF51) {
            throw new OpenJpegException("codestream does not start with SOC/SIZ: " + file);
        }
        int lsiz = b.getShort() & 0xFFFF;
        SizSegment siz = SizSegment.read(b);
        long xsiz = siz.xsiz();
        long ysiz = siz.ysiz();
        long xo = siz.xo();
        long yo = siz.yo();
        long xt = siz.xt();
        long yt = siz.yt();
        long xto = siz.xto();
        long yto = siz.yto();
        int csiz = siz.csiz();
        String bad = null;
        if (xsiz <= xo || ysiz <= yo || xsiz - xo > Integer.MAX_VALUE || ysiz - yo > Integer.MAX_VALUE) {
            bad = "image size " + xsiz + "x" + ysiz + " with origin " + xo + "," + yo;
        } else if (xt == 0 || yt == 0 || xto > xo || yto > yo) {
            bad = "tile grid " + xt + "x" + yt + " at " + xto + "," + yto;
        } else if (((xsiz - xto + xt - 1) / xt) * ((ysiz - yto + yt - 1) / yt) > MAX_TILES) {
            bad = "more than " + MAX_TILES + " tiles";
        } else if (((xsiz - xto + xt - 1) / xt) * ((ysiz - yto + yt - 1) / yt) * MIN_TILE_PART > size - cs) {
            // Every tile has at least one tile-part (SOT + SOD): a header claiming more tiles than the file can hold
            // would otherwise send every request of a huge "image" through thousands of missing tiles.
            bad = ((xsiz - xto + xt - 1) / xt) * ((ysiz - yto + yt - 1) / yt) + " tiles cannot fit in "
                    + (size - cs) + " bytes";
        } else if (csiz < 1 || csiz > MAX_COMPONENTS) {
            bad = csiz + " components (at most " + MAX_COMPONENTS + ")";
        } else if (lsiz != 38 + 3 * csiz || cs + 4 + lsiz > size) {
            bad = "SIZ length " + lsiz;
        }
        if (bad == null) {
            ByteBuffer c = ByteBuffer.wrap(read(ch, cs + 4 + 38, 3 * csiz));
            for (int i = 0; i < csiz && bad == null; i++) {
                int prec = (c.get() & 0x7F) + 1;
                int dx = c.get() & 0xFF;
                int dy = c.get() & 0xFF;
                if (prec > MAX_PRECISION) {
                    bad = "component " + i + " has " + prec + " bits (at most " + MAX_PRECISION + ")";
                } else if (dx < 1 || dy < 1 || dx > MAX_SUBSAMPLING || dy > MAX_SUBSAMPLING) {
                    bad = "component " + i + " sub-sampling " + dx + "x" + dy;
                }
            }
        }
        if (bad != null) {
            throw new OpenJpegException("unsupported or corrupt SIZ marker (" + bad + "): " + file);
        }
    }

    private static byte[] read(FileChannel ch, long pos, int n) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(n);
        while (buf.hasRemaining()) {
            if (ch.read(buf, pos + buf.position()) < 0) {
                break;
            }
        }
        return Arrays.copyOf(buf.array(), buf.position());
    }
}
