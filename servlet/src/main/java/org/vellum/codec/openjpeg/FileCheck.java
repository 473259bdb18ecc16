package org.vellum.codec.openjpeg;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cheap Java-side validation before any native call: the magic bytes decide JP2 vs raw J2K (the extension may lie),
 * the JP2 box lengths must fit the file, and the SIZ marker must describe an image we are willing to hand to OpenJPEG.
 * Also reads the boxes that say how components become channels and colours (pclr, cmap, cdef, colr).
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
    /** What OpenJPEG 2.5 sets up per tile when it reads the main header (opj_tcp_t), and per tile and component (opj_tccp_t), about. */
    static final long TILE_STRUCT_BYTES = 4600;
    static final long COMPONENT_STRUCT_BYTES = 1100;
    /** Per-tile structures allowed for tiles a codestream claims but cannot hold. */
    static final long MAX_MISSING_TILE_BYTES = 16L << 20;

    private static final int BOX_JP2H = 0x6A703268;
    private static final int BOX_JP2C = 0x6A703263;
    private static final int BOX_CDEF = 0x63646566;
    private static final int BOX_PCLR = 0x70636C72;
    private static final int BOX_CMAP = 0x636D6170;

    private static final int BOX_COLR = 0x636F6C72;
    private static final int BOX_RES = 0x72657320;
    private static final int BOX_RESC = 0x72657363;
    private static final int BOX_RESD = 0x72657364;
    private static final int BOX_UUID = 0x75756964;
    private static final int BOX_XML = 0x786D6C20;
    /** XMP's UUID in a JP2 uuid box (XMP specification part 3), BE7ACFCB-97A9-42E8-9C71-999491E3AFAC. */
    private static final byte[] XMP_UUID = {(byte) 0xBE, 0x7A, (byte) 0xCF, (byte) 0xCB, (byte) 0x97, (byte) 0xA9,
            0x42, (byte) 0xE8, (byte) 0x9C, 0x71, (byte) 0x99, (byte) 0x94, (byte) 0x91, (byte) 0xE3, (byte) 0xAF,
            (byte) 0xAC};
    private static final int MAX_XMP = 1 << 20;
    private static final int MAX_ICC = 16 << 20;

    final boolean jp2;
    /** The file's length in bytes. */
    final long size;
    /** From pclr, cmap and cdef: how decoded components become channels. */
    ChannelMap channels = ChannelMap.NONE;
    /** From the first colr box: enumerated colour space (method 1), or UNKNOWN. */
    Jp2ColorSpace colorSpace = Jp2ColorSpace.UNSPECIFIED;
    /** The SIZ claims more tiles than the codestream can hold: OpenJPEG's tile decode fails on the missing ones. */
    boolean tilesMissing;
    /** The full-resolution size the SIZ gives (Xsiz - XOsiz, Ysiz - YOsiz), as OpenJPEG reports it. */
    int width;
    int height;
    /** The colr box's Lab ranges when it gives them (enumerated CIELAB). */
    CieLab lab = CieLab.DEFAULT;
    /** From the first colr box with an ICC profile (methods 2 and 3), or null. */
    byte[] icc;
    /** The res box's capture (resc) and default display (resd) resolutions, or null. */
    PixelsPerMetre captureResolution;
    PixelsPerMetre displayResolution;
    /** The XMP packet before the codestream: a uuid box of XMP's UUID, else the first xml box; or null. */
    byte[] xmp;

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
                result.tilesMissing = checkSiz(ch, codestream, size, file, result);
                return result;
            }
            if (magic.length >= 4 && Arrays.equals(Arrays.copyOf(magic, 4), J2K_SOC_SIZ)) {
                FileCheck result = new FileCheck(false, size);
                result.tilesMissing = checkSiz(ch, 0, size, file, result);
                return result;
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
            if (type == BOX_JP2C && len >= header) {
                // OpenJPEG reads the codestream to the end of the file whatever length its box claims.
                return pos + header;
            }
            if (len < header || len > size - pos) {
                throw new OpenJpegException("corrupt or truncated JP2: box at " + pos + " has length " + len + " (file size " + size + "): " + file);
            }
            if (type == BOX_JP2H && len <= 1 << 20) {
                readHeaderBoxes(ByteBuffer.wrap(read(ch, pos + header, (int) (len - header))));
            } else if (type == BOX_UUID && len - header > 16 && len - header <= MAX_XMP + 16) {
                byte[] payload = read(ch, pos + header, (int) (len - header));
                if (Arrays.equals(Arrays.copyOf(payload, 16), XMP_UUID)) xmp = Arrays.copyOfRange(payload, 16, payload.length);
            } else if (type == BOX_XML && xmp == null && len - header > 0 && len - header <= MAX_XMP) {
                xmp = read(ch, pos + header, (int) (len - header));
            }
            pos += len;
        }
        throw new OpenJpegException("corrupt or truncated JP2: no codestream box: " + file);
    }

    /**
     * The jp2h super box: pclr, cmap, cdef and the first colr (OpenJPEG applies them only on decode, not in
     * opj_read_header; {@link ChannelMap} applies the first three). A malformed one of these is left out here:
     * OpenJPEG then refuses the file in opj_read_header.
     */
    private void readHeaderBoxes(ByteBuffer jp2h) {
        boolean colr = false;
        ChannelMap.Palette palette = null;
        List<ChannelMap.Mapping> mapping = null;
        List<ChannelMap.Definition> definitions = List.of();
        while (jp2h.remaining() >= 8) {
            int start = jp2h.position();
            long len = Integer.toUnsignedLong(jp2h.getInt());
            int type = jp2h.getInt();
            if (len < 8 || len > jp2h.limit() - start) {
                break;
            }
            int end = (int) (start + len);
            ByteBuffer box = jp2h.slice(start + 8, end - start - 8);
            if (type == BOX_CDEF && len >= 10) {
                int n = box.getShort() & 0xFFFF;
                List<ChannelMap.Definition> defs = new ArrayList<>();
                for (int i = 0; i < n && box.remaining() >= 6; i++) {
                    defs.add(new ChannelMap.Definition(box.getShort() & 0xFFFF, box.getShort() & 0xFFFF,
                            box.getShort() & 0xFFFF));
                }
                definitions = defs;
            } else if (type == BOX_PCLR && palette == null) {
                palette = palette(box);
            } else if (type == BOX_CMAP && palette != null && mapping == null
                    && box.remaining() >= 4 * palette.bits().length) {
                mapping = new ArrayList<>();
                for (int i = 0; i < palette.bits().length; i++) {
                    mapping.add(new ChannelMap.Mapping(box.getShort() & 0xFFFF, box.get() & 0xFF, box.get() & 0xFF));
                }
            } else if (type == BOX_RES) {
                readResolutions(jp2h.slice(jp2h.position(), end - jp2h.position()));
            } else if (type == BOX_COLR && !colr && len >= 11) {
                colr = true;
                int method = box.get() & 0xFF;
                box.get();
                box.get();
                if (method == 1 && len >= 15) {
                    colorSpace = enumerated(box.getInt());
                    if (colorSpace == Jp2ColorSpace.CIELAB && box.remaining() == 28) {
                        long[] range = new long[6];
                        for (int i = 0; i < 6; i++) range[i] = Integer.toUnsignedLong(box.getInt());
                        lab = new CieLab(range);
                    }
                } else if ((method == 2 || method == 3) && len - 11 <= MAX_ICC) {
                    icc = new byte[(int) (len - 11)];
                    box.get(icc);
                }
            }
            jp2h.position(end);
        }
        channels = new ChannelMap(palette, mapping, definitions);
    }

    /** A pclr box's entries, as OpenJPEG reads them (1 to 1024 entries; at most 4 bytes of each), or null. */
    private static ChannelMap.Palette palette(ByteBuffer box) {
        if (box.remaining() < 3) return null;
        int entries = box.getShort() & 0xFFFF;
        int columns = box.get() & 0xFF;
        if (entries == 0 || entries > 1024 || columns == 0 || box.remaining() < columns) return null;
        int[] bits = new int[columns];
        boolean[] signed = new boolean[columns];
        for (int c = 0; c < columns; c++) {
            int b = box.get() & 0xFF;
            bits[c] = (b & 0x7F) + 1;
            signed[c] = (b & 0x80) != 0;
        }
        int[][] values = new int[columns][entries];
        for (int e = 0; e < entries; e++) {
            for (int c = 0; c < columns; c++) {
                int bytes = Math.min(4, (bits[c] + 7) >> 3);
                if (box.remaining() < bytes) return null;
                int v = 0;
                for (int i = 0; i < bytes; i++) v = v << 8 | (box.get() & 0xFF);
                values[c][e] = v;
            }
        }
        return new ChannelMap.Palette(entries, bits, signed, values);
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
            case 14: return Jp2ColorSpace.CIELAB;
            default: return Jp2ColorSpace.UNKNOWN;
        }
    }

    /**
     * SIZ right after SOC: bound components, precision, sub-sampling, image and tile sizes before OpenJPEG allocates
     * anything. True when the SIZ claims more tiles than the codestream's bytes can hold, so that some are missing.
     */
    private static boolean checkSiz(FileChannel ch, long cs, long size, Path file, FileCheck into)
            throws IOException, OpenJpegException {
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
        long tiles = xt == 0 || yt == 0 ? 0 : ((xsiz - xto + xt - 1) / xt) * ((ysiz - yto + yt - 1) / yt);
        String bad = null;
        if (xsiz <= xo || ysiz <= yo || xsiz - xo > Integer.MAX_VALUE || ysiz - yo > Integer.MAX_VALUE) {
            bad = "image size " + xsiz + "x" + ysiz + " with origin " + xo + "," + yo;
        } else if (xt == 0 || yt == 0 || xto > xo || yto > yo) {
            bad = "tile grid " + xt + "x" + yt + " at " + xto + "," + yto;
        } else if (tiles > MAX_TILES) {
            bad = "more than " + MAX_TILES + " tiles";
        } else if (csiz < 1 || csiz > MAX_COMPONENTS) {
            bad = csiz + " components (at most " + MAX_COMPONENTS + ")";
        } else if (tiles * MIN_TILE_PART > size - cs
                && tiles * (TILE_STRUCT_BYTES + csiz * COMPONENT_STRUCT_BYTES) > MAX_MISSING_TILE_BYTES) {
            // OpenJPEG decodes a codestream whose tiles are missing (they come out flat), but sets up coding
            // parameters for every tile the SIZ claims when it reads the header: a few hundred bytes must not claim
            // hundreds of megabytes of them.
            bad = tiles + " tiles cannot fit in " + (size - cs) + " bytes";
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
        into.width = (int) (xsiz - xo);
        into.height = (int) (ysiz - yo);
        return tiles * MIN_TILE_PART > size - cs;
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
