package org.vellum.codec.openjpeg;

import org.vellum.util.Ints;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A copy of a single-tile file that holds only what a decoder at a given reduce factor reads: its resolutions up to
 * that level, and, for a decoder that only decodes inside a region, only the packets of precincts near the region.
 * OpenJPEG 2.5 parses the header of every packet of the tile on each decode, including those it then skips, and keeps
 * the whole tile's data in memory; a decoder given this copy does neither for the packets it never uses. The other
 * packets are empty in the copy, so their order and count, and every kept packet's bytes, are those of the file.
 * <p>
 * Made only where the packets of each resolution are provably contiguous and their lengths known: one tile, a
 * resolution-first progression (RLCP or RPCL) without POC, the same number of resolutions in every component (and, for
 * a region, no sub-sampled component, so that every component's precincts come in the same order), packet
 * lengths in PLT markers that account for every byte of the tile, and nothing but PLT or COM in the tile-part headers.
 * The packet count per resolution (precincts times layers) must match the PLT markers exactly. Otherwise {@link #write}
 * returns null and the decoder reads the whole file. The copy keeps the JP2 boxes before the codestream (colour,
 * resolution, channel definitions) as they are and puts the packets in one tile-part.
 */
final class ResolutionCut {
    private static final int SOC = 0xFF4F;
    private static final int SIZ = 0xFF51;
    private static final int COD = 0xFF52;
    private static final int COC = 0xFF53;
    private static final int QCD = 0xFF5C;
    private static final int TLM = 0xFF55;
    private static final int PLM = 0xFF57;
    private static final int PLT = 0xFF58;
    private static final int POC = 0xFF5F;
    private static final int PPM = 0xFF60;
    private static final int PPT = 0xFF61;
    private static final int COM = 0xFF64;
    private static final int SOT = 0xFF90;
    private static final int SOD = 0xFF93;
    private static final int EOC = 0xFFD9;
    private static final int BOX_JP2C = 0x6A703263;
    private static final int RLCP = 1;
    private static final int RPCL = 2;
    /** Main headers are small; a larger one is not worth cutting. */
    private static final int MAX_HEADER = 1 << 20;
    /** Samples, at a precinct's resolution, around a region whose precincts are kept: see {@link Siz#keepRegion}. */
    static final int REGION_MARGIN = 16;

    private ResolutionCut() {
    }

    /**
     * Writes the copy for decoding at {@code reduce} (> 0) into a new temporary file and returns it, or returns null
     * when the file does not qualify or the copy would not be smaller. The caller deletes the file.
     */
    static Path write(Path file, boolean jp2, int reduce) throws IOException {
        return write(file, jp2, reduce, null);
    }

    /**
     * As {@link #write(Path, boolean, int)}, and when {@code region} is given ({x0, y0, x1, y1} on the reference grid,
     * the image offset included), the packets of precincts that no decode inside the region reads are empty too. A
     * decoder of the copy then decodes areas inside the region exactly as one of the whole file would, and only those.
     * reduce may then be 0.
     */
    static Path write(Path file, boolean jp2, int reduce, long[] region) throws IOException {
        Path out = Files.createTempFile("vellum-cut-", jp2 ? ".jp2" : ".j2k");
        try {
            if (write(file, jp2, reduce, region, out)) return out;
            Files.deleteIfExists(out);
            return null;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(out);
            throw e;
        }
    }

    /** As {@link #write(Path, boolean, int, long[])}, into {@code out}; false (and nothing written) where it returns null. */
    static boolean write(Path file, boolean jp2, int reduce, long[] region, Path out) throws IOException {
        return write(file, jp2, reduce, region, false, out) >= 0;
    }

    /**
     * As {@link #write(Path, boolean, int, long[], Path)}; with {@code asLevel}, when the main header allows it (only
     * SIZ, COD, QCD, TLM and COM, no per-component overrides), the copy is the image at level {@code reduce} itself:
     * SIZ, the JP2 header box's size, the decomposition count, precinct sizes and quantization step sizes are those of
     * the reduced image, and the finer resolutions' packets are left out instead of emptied. The precinct and
     * code-block partitions and every kept packet are then the file's, and a decoder at full resolution gives the
     * pixels a decoder of the file gives at {@code reduce}; OpenJPEG sets up structures for the reduced image only.
     *
     * @return -1 where the one above returns false, else how many levels the copy's geometry is reduced by (0 or
     *         {@code reduce})
     */
    static int write(Path file, boolean jp2, int reduce, long[] region, boolean asLevel, Path out) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            Plan plan;
            try {
                plan = plan(in, jp2, reduce, region, asLevel);
            } catch (BufferUnderflowException | IllegalArgumentException | IndexOutOfBoundsException e) {
                return -1; // a header shorter than its markers say: let OpenJPEG read (and judge) the whole file
            }
            if (plan == null) return -1;
            try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(out), 1 << 16)) {
                byte[] boxes = read(in, 0, (int) plan.boxesBefore);
                if (plan.shift > 0 && jp2 && !plan.level.patchImageHeader(boxes)) return -1;
                os.write(boxes);
                byte[] empty = plan.emptyPacket();
                long tileData = plan.keptBytes() + plan.discarded() * empty.length;
                long csLength = plan.mainHeader.length + 12 + 2 + tileData + 2;
                if (jp2) {
                    if (csLength + 8 <= 0xFFFFFFFFL) {
                        os.write(ByteBuffer.allocate(8).putInt((int) (csLength + 8)).putInt(BOX_JP2C).array());
                    } else {
                        os.write(ByteBuffer.allocate(16).putInt(1).putInt(BOX_JP2C).putLong(csLength + 16).array());
                    }
                }
                os.write(plan.mainHeader);
                os.write(ByteBuffer.allocate(14).putShort((short) SOT).putShort((short) 10).putShort((short) 0)
                        .putInt((int) (12 + 2 + tileData)).put((byte) 0).put((byte) 1).putShort((short) SOD).array());
                long offset = 0; // in the tile's packet data, all tile-parts in order
                int n = plan.written;
                for (int i = 0; i < n; ) {
                    int j = i;
                    long bytes = 0;
                    while (j < n && plan.keep[j] == plan.keep[i]) bytes += plan.lengths[j++];
                    if (plan.keep[i]) {
                        copyData(in, plan.data, offset, bytes, os);
                    } else {
                        writeEmptyPackets(os, empty, plan.sop, j - i, i);
                    }
                    offset += bytes;
                    i = j;
                }
                os.write(new byte[] {(byte) 0xFF, (byte) 0xD9});
            }
            return plan.shift;
        }
    }

    /**
     * What to copy: the bytes before the codestream, the main header without TLM, and the tile's packets in order
     * (their lengths, and whether each is kept; {@code data}: where the tile-parts' packet data lies in the file). An
     * empty packet stands for each one not kept. OpenJPEG still walks every packet of the tile, but an empty one costs
     * it one bit instead of a header, and (unlike a codestream that just ends) no warning per missing packet.
     */
    private record Plan(long boxesBefore, byte[] mainHeader, List<long[]> data, long[] lengths, boolean[] keep,
                        boolean sop, boolean eph, int written, int shift, Siz level) {
        long keptBytes() {
            long sum = 0;
            for (int i = 0; i < written; i++) if (keep[i]) sum += lengths[i];
            return sum;
        }

        long discarded() {
            long count = 0;
            for (int i = 0; i < written; i++) if (!keep[i]) count++;
            return count;
        }

        /** An empty packet: its SOP marker segment if the file uses them, a zero header byte, its EPH marker if used. */
        byte[] emptyPacket() {
            ByteBuffer b = ByteBuffer.allocate(9);
            if (sop) b.putShort((short) 0xFF91).putShort((short) 4).putShort((short) 0);
            b.put((byte) 0);
            if (eph) b.putShort((short) 0xFF92);
            byte[] out = new byte[b.position()];
            b.flip().get(out);
            return out;
        }
    }

    /**
     * Empty packets; with {@code sop}, each one's SOP sequence number continues from {@code first} (modulo 65536, as
     * the standard says).
     */
    private static void writeEmptyPackets(OutputStream os, byte[] empty, boolean sop, long count, long first)
            throws IOException {
        byte[] buf = new byte[empty.length * 4096];
        long written = 0;
        while (written < count) {
            int n = (int) Math.min(4096, count - written);
            for (int i = 0; i < n; i++) {
                System.arraycopy(empty, 0, buf, i * empty.length, empty.length);
                if (sop) {
                    int seq = (int) ((first + written + i) & 0xFFFF);
                    buf[i * empty.length + 4] = (byte) (seq >> 8);
                    buf[i * empty.length + 5] = (byte) seq;
                }
            }
            os.write(buf, 0, n * empty.length);
            written += n;
        }
    }

    private static Plan plan(FileChannel in, boolean jp2, int reduce, long[] region, boolean asLevel)
            throws IOException {
        long size = in.size();
        long boxStart = 0;
        long cs = 0;
        long csEnd = size;
        if (jp2) {
            long pos = 0;
            while (true) {
                if (pos + 8 > size) return null;
                ByteBuffer b = ByteBuffer.wrap(read(in, pos, 16 <= size - pos ? 16 : 8));
                long length = Integer.toUnsignedLong(b.getInt());
                int type = b.getInt();
                int head = 8;
                if (length == 1) {
                    if (b.remaining() < 8) return null;
                    length = b.getLong();
                    head = 16;
                } else if (length == 0) {
                    length = size - pos;
                }
                if (length < head || pos + length > size) return null;
                if (type == BOX_JP2C) {
                    boxStart = pos;
                    cs = pos + head;
                    csEnd = pos + length;
                    break;
                }
                pos += length;
            }
        }
        ByteBuffer h = ByteBuffer.wrap(read(in, cs, (int) Math.min(MAX_HEADER, csEnd - cs)));
        if (h.remaining() < 4 || (h.getShort() & 0xFFFF) != SOC) return null;
        ByteArrayOutputStream main = new ByteArrayOutputStream();
        main.write(0xFF);
        main.write(0x4F);
        Siz siz = null;
        Cod cod = null;
        byte[] qcd = null;
        boolean levelable = asLevel && reduce > 0;
        while (true) {
            if (h.remaining() < 4) return null;
            int start = h.position();
            int marker = h.getShort() & 0xFFFF;
            if (marker == SOT) {
                h.position(start);
                break;
            }
            int length = h.getShort() & 0xFFFF;
            if (length < 2 || h.remaining() < length - 2) return null;
            ByteBuffer segment = h.slice(h.position(), length - 2);
            h.position(h.position() + length - 2);
            switch (marker) {
                case SIZ -> siz = Siz.of(segment);
                case COD -> cod = Cod.of(segment);
                case QCD -> {
                    qcd = new byte[length - 2];
                    segment.duplicate().get(qcd);
                }
                case COC, POC, PPM, PLM -> {
                    return null;
                }
                case TLM, COM -> { }
                default -> levelable = false; // QCC, RGN, CAP...: not rewritten, so the copy keeps the file's geometry
            }
            if (marker != TLM) main.write(h.array(), start, length + 2);
        }
        if (siz == null || cod == null || !siz.singleTile()) return null;
        if (cod.progression != RLCP && cod.progression != RPCL) return null;
        if (reduce < 0 || reduce >= cod.resolutions || reduce == 0 && region == null) return null;
        if (region != null && !siz.sameGridForAllComponents()) return null;

        // Tile-parts: their packet data, in order, and the packet lengths their PLT markers give.
        List<long[]> data = new ArrayList<>();
        List<Long> lengths = new ArrayList<>();
        long pos = cs + h.position();
        long total = 0;
        while (pos + 2 <= csEnd) {
            ByteBuffer m = ByteBuffer.wrap(read(in, pos, 12 <= csEnd - pos ? 12 : 2));
            int marker = m.getShort() & 0xFFFF;
            if (marker == EOC) break;
            if (marker != SOT || m.remaining() < 10) return null;
            m.getShort(); // Lsot
            int tile = m.getShort() & 0xFFFF;
            long psot = Integer.toUnsignedLong(m.getInt());
            if (tile != 0) return null;
            long partEnd = psot == 0 ? csEnd - 2 : pos + psot;
            if (partEnd > csEnd || partEnd <= pos + 12) return null;
            long p = pos + 12;
            while (true) {
                if (p + 2 > partEnd) return null;
                ByteBuffer mm = ByteBuffer.wrap(read(in, p, 4 <= partEnd - p ? 4 : 2));
                int tm = mm.getShort() & 0xFFFF;
                if (tm == SOD) {
                    p += 2;
                    break;
                }
                if (mm.remaining() < 2) return null;
                int length = mm.getShort() & 0xFFFF;
                if (length < 2 || p + 2 + length > partEnd) return null;
                if (tm == PLT) {
                    if (!readPlt(read(in, p + 4, length - 2), lengths)) return null;
                } else if (tm != COM) {
                    return null; // PPT, or coding parameters changed for the tile: not worth the risk
                }
                p += 2 + length;
            }
            data.add(new long[] {p, partEnd - p});
            total += partEnd - p;
            pos = partEnd;
        }
        if (data.isEmpty()) return null;

        long[] perResolution = siz.packetsPerResolution(cod);
        long packets = 0;
        for (long n : perResolution) packets += n;
        if (packets != lengths.size()) return null;
        long sum = 0;
        for (long l : lengths) sum += l;
        if (sum != total) return null;
        boolean[] keep = region == null ? keepResolutions(perResolution, cod.resolutions - reduce)
                : siz.keepRegion(cod, cod.resolutions - reduce, region);
        int prefix = 0;
        for (int r = 0; r < cod.resolutions - reduce; r++) prefix += (int) perResolution[r];
        byte[] levelHeader = levelable && qcd != null ? siz.levelHeader(cod, qcd, reduce, main.toByteArray()) : null;
        if (levelHeader != null) {
            return new Plan(jp2 ? boxStart : 0, levelHeader, data, lengthsOf(lengths), keep, cod.sop, cod.eph, prefix,
                    reduce, siz.reduced(reduce));
        }
        long[] lengthArray = lengthsOf(lengths);
        int emptyLength = (cod.sop ? 6 : 0) + 1 + (cod.eph ? 2 : 0);
        boolean discards = false;
        for (int i = 0; i < lengthArray.length; i++) {
            discards |= !keep[i] && lengthArray[i] > emptyLength;
        }
        if (!discards) return null;
        return new Plan(jp2 ? boxStart : 0, main.toByteArray(), data, lengthArray, keep, cod.sop, cod.eph,
                keep.length, 0, siz);
    }

    private static long[] lengthsOf(List<Long> lengths) {
        long[] out = new long[lengths.size()];
        for (int i = 0; i < out.length; i++) out[i] = lengths.get(i);
        return out;
    }

    /** Resolution-first order: the packets of the first {@code resolutions} resolutions come first. */
    private static boolean[] keepResolutions(long[] perResolution, int resolutions) {
        long count = 0;
        for (long n : perResolution) count += n;
        boolean[] keep = new boolean[(int) count];
        long kept = 0;
        for (int r = 0; r < resolutions; r++) kept += perResolution[r];
        Arrays.fill(keep, 0, (int) kept, true);
        return keep;
    }

    /** Appends the packet lengths of one PLT segment (after its length field); false if malformed. */
    private static boolean readPlt(byte[] segment, List<Long> lengths) {
        if (segment.length < 1) return false;
        long value = 0;
        for (int i = 1; i < segment.length; i++) {
            int b = segment[i] & 0xFF;
            value = value << 7 | (b & 0x7F);
            if (value > Integer.MAX_VALUE) return false;
            if ((b & 0x80) == 0) {
                lengths.add(value);
                value = 0;
            }
        }
        return value == 0 && (segment[segment.length - 1] & 0x80) == 0;
    }

    /** The image and tile geometry and the components' sub-sampling. */
    private record Siz(SizSegment g, int[] dx, int[] dy) {
        static Siz of(ByteBuffer s) {
            SizSegment g = SizSegment.read(s);
            int[] dx = new int[g.csiz()];
            int[] dy = new int[g.csiz()];
            for (int c = 0; c < g.csiz(); c++) {
                s.get(); // Ssiz
                dx[c] = s.get() & 0xFF;
                dy[c] = s.get() & 0xFF;
            }
            return new Siz(g, dx, dy);
        }

        /** The geometry of the image at level {@code d}: sizes and offsets divided by 2^d, rounded up; one tile. */
        Siz reduced(int d) {
            long xo = Ints.ceilDiv(g.xo(), 1L << d);
            long yo = Ints.ceilDiv(g.yo(), 1L << d);
            long xto = Ints.ceilDiv(g.xto(), 1L << d);
            long yto = Ints.ceilDiv(g.yto(), 1L << d);
            long xsiz = Ints.ceilDiv(g.xsiz(), 1L << d);
            long ysiz = Ints.ceilDiv(g.ysiz(), 1L << d);
            return new Siz(new SizSegment(xsiz, ysiz, xo, yo, xsiz - xto, ysiz - yto, xto, yto, g.csiz()), dx, dy);
        }

        /**
         * The main header ({@code main}: SOC and the segments as copied) of the image at level {@code d}, or null if
         * a segment is not as expected: SIZ reduced, COD with d fewer decompositions and precinct sizes, QCD with the
         * step sizes of the remaining sub-bands. Derived quantization needs no change: its step size exponents depend
         * on a sub-band's decomposition level counted from the image, which the cut changes for all alike.
         */
        byte[] levelHeader(Cod cod, byte[] qcd, int d, byte[] main) {
            int levels = cod.resolutions - 1 - d;
            if (levels < 0 || qcd.length < 1) return null;
            int style = qcd[0] & 0x1F;
            int bands = 1 + 3 * levels;
            byte[] steps;
            if (style == 1) {
                steps = qcd;
            } else if (style == 0 || style == 2) {
                int each = style == 0 ? 1 : 2;
                if (qcd.length != 1 + each * (1 + 3 * (cod.resolutions - 1))) return null;
                steps = Arrays.copyOf(qcd, 1 + each * bands);
            } else {
                return null;
            }
            Siz level = reduced(d);
            ByteBuffer in = ByteBuffer.wrap(main);
            ByteArrayOutputStream out = new ByteArrayOutputStream(main.length);
            out.write(main, 0, 2); // SOC
            in.position(2);
            while (in.remaining() >= 4) {
                int start = in.position();
                int marker = in.getShort() & 0xFFFF;
                int length = in.getShort() & 0xFFFF;
                if (length < 2 || in.remaining() < length - 2) return null;
                byte[] body = new byte[length - 2];
                in.get(body);
                switch (marker) {
                    case SIZ -> {
                        ByteBuffer b = ByteBuffer.wrap(body);
                        b.position(2); // Rsiz
                        SizSegment r = level.g;
                        b.putInt((int) r.xsiz()).putInt((int) r.ysiz()).putInt((int) r.xo()).putInt((int) r.yo())
                                .putInt((int) r.xt()).putInt((int) r.yt()).putInt((int) r.xto()).putInt((int) r.yto());
                        segment(out, SIZ, body);
                    }
                    case COD -> {
                        boolean precincts = (body[0] & 1) != 0;
                        if (body.length != 10 + (precincts ? cod.resolutions : 0)) return null;
                        byte[] b = Arrays.copyOf(body, 10 + (precincts ? levels + 1 : 0));
                        b[5] = (byte) levels;
                        segment(out, COD, b);
                    }
                    case QCD -> segment(out, QCD, steps);
                    default -> out.write(main, start, length + 2);
                }
            }
            return in.remaining() == 0 ? out.toByteArray() : null;
        }

        private static void segment(ByteArrayOutputStream out, int marker, byte[] body) {
            out.write(marker >> 8);
            out.write(marker);
            out.write((body.length + 2) >> 8);
            out.write(body.length + 2);
            out.write(body, 0, body.length);
        }

        /** Sets the size in the JP2 header box (ihdr) among {@code boxes} to this image's; false if there is none. */
        boolean patchImageHeader(byte[] boxes) {
            for (int i = 4; i + 12 <= boxes.length; i++) {
                if (boxes[i] == 'i' && boxes[i + 1] == 'h' && boxes[i + 2] == 'd' && boxes[i + 3] == 'r'
                        && ByteBuffer.wrap(boxes, i - 4, 4).getInt() == 22) {
                    ByteBuffer.wrap(boxes, i + 4, 8).putInt((int) (g.ysiz() - g.yo())).putInt((int) (g.xsiz() - g.xo()));
                    return true;
                }
            }
            return false;
        }

        boolean sameGridForAllComponents() {
            for (int c = 0; c < dx.length; c++) if (dx[c] != 1 || dy[c] != 1) return false;
            return true;
        }

        /**
         * For each packet in codestream order (RLCP or RPCL, every component on the reference grid): whether it is
         * kept, that is, of one of the first {@code resolutions} resolutions and of a precinct near the region. Near:
         * within {@link #REGION_MARGIN} samples of the region at the precinct's resolution. OpenJPEG 2.5 reads the
         * code-blocks of a window plus 2 (5-3 filter) or 3 (9-7) samples of its sub-bands, which are half a
         * resolution's size, so a window inside the region never reads an emptied packet.
         */
        boolean[] keepRegion(Cod cod, int resolutions, long[] region) {
            int all = 0;
            for (long n : packetsPerResolution(cod)) all += (int) n;
            boolean[] keep = new boolean[all];
            int i = 0;
            int comps = dx.length;
            for (int r = 0; r < cod.resolutions; r++) {
                int shift = cod.resolutions - 1 - r;
                int ppx = cod.precinctWidthExp[r];
                int ppy = cod.precinctHeightExp[r];
                long[] grid = precinctGrid(g.xo(), g.yo(), g.xsiz(), g.ysiz(), shift, ppx, ppy);
                long px0 = grid[0];
                long py0 = grid[1];
                int npx = (int) grid[2];
                int npy = (int) grid[3];
                long wx0 = (region[0] >> shift) - REGION_MARGIN;
                long wy0 = (region[1] >> shift) - REGION_MARGIN;
                long wx1 = Ints.ceilDiv(region[2], 1L << shift) + REGION_MARGIN;
                long wy1 = Ints.ceilDiv(region[3], 1L << shift) + REGION_MARGIN;
                boolean[] near = new boolean[npx * npy];
                for (int y = 0; y < npy; y++) {
                    for (int x = 0; x < npx; x++) {
                        long x0 = (px0 + x) << ppx;
                        long y0 = (py0 + y) << ppy;
                        near[y * npx + x] = r < resolutions && x0 < wx1 && x0 + (1L << ppx) > wx0
                                && y0 < wy1 && y0 + (1L << ppy) > wy0;
                    }
                }
                if (cod.progression == RPCL) {
                    for (boolean k : near) {
                        for (int n = 0; n < comps * cod.layers; n++) keep[i++] = k;
                    }
                } else {
                    for (int n = 0; n < cod.layers * comps; n++) {
                        for (boolean k : near) keep[i++] = k;
                    }
                }
            }
            return keep;
        }

        boolean singleTile() {
            if (g.xt() == 0 || g.yt() == 0 || dx.length == 0) return false;
            for (int c = 0; c < dx.length; c++) if (dx[c] == 0 || dy[c] == 0) return false;
            return g.xto() <= g.xo() && g.yto() <= g.yo() && g.xto() + g.xt() >= g.xsiz() && g.yto() + g.yt() >= g.ysiz();
        }

        /** Packets of each resolution (lowest first), all components: precincts times layers. */
        long[] packetsPerResolution(Cod cod) {
            long[] out = new long[cod.resolutions];
            for (int c = 0; c < dx.length; c++) {
                long cx0 = Ints.ceilDiv(g.xo(), dx[c]);
                long cy0 = Ints.ceilDiv(g.yo(), dy[c]);
                long cx1 = Ints.ceilDiv(g.xsiz(), dx[c]);
                long cy1 = Ints.ceilDiv(g.ysiz(), dy[c]);
                for (int r = 0; r < cod.resolutions; r++) {
                    long[] grid = precinctGrid(cx0, cy0, cx1, cy1, cod.resolutions - 1 - r, cod.precinctWidthExp[r],
                            cod.precinctHeightExp[r]);
                    out[r] += grid[2] * grid[3] * cod.layers;
                }
            }
            return out;
        }

        /**
         * The precincts of one resolution of a component spanning [cx0,cx1) x [cy0,cy1), {@code shift} decompositions
         * below it, precincts 2^ppx x 2^ppy: {first column, first row, columns, rows} (B.6 of the standard).
         */
        private static long[] precinctGrid(long cx0, long cy0, long cx1, long cy1, int shift, int ppx, int ppy) {
            long rx0 = Ints.ceilDiv(cx0, 1L << shift);
            long ry0 = Ints.ceilDiv(cy0, 1L << shift);
            long rx1 = Ints.ceilDiv(cx1, 1L << shift);
            long ry1 = Ints.ceilDiv(cy1, 1L << shift);
            long columns = rx1 > rx0 ? Ints.ceilDiv(rx1, 1L << ppx) - (rx0 >> ppx) : 0;
            long rows = ry1 > ry0 ? Ints.ceilDiv(ry1, 1L << ppy) - (ry0 >> ppy) : 0;
            return new long[] {rx0 >> ppx, ry0 >> ppy, columns, rows};
        }
    }

    /** Progression, layers, resolutions and precinct sizes (as exponents, per resolution, lowest first). */
    private record Cod(int progression, int layers, int resolutions, int[] precinctWidthExp, int[] precinctHeightExp,
                       boolean sop, boolean eph) {
        static Cod of(ByteBuffer s) {
            int scod = s.get() & 0xFF;
            int progression = s.get() & 0xFF;
            int layers = s.getShort() & 0xFFFF;
            s.get(); // MCT
            int levels = s.get() & 0xFF;
            s.get(); // code-block width
            s.get(); // code-block height
            s.get(); // code-block style
            s.get(); // transform
            int resolutions = levels + 1;
            int[] pw = new int[resolutions];
            int[] ph = new int[resolutions];
            for (int r = 0; r < resolutions; r++) {
                if ((scod & 1) != 0) {
                    int b = s.get() & 0xFF;
                    pw[r] = b & 0x0F;
                    ph[r] = b >> 4;
                } else {
                    pw[r] = 15;
                    ph[r] = 15;
                }
            }
            return new Cod(progression, layers, resolutions, pw, ph, (scod & 2) != 0, (scod & 4) != 0);
        }
    }

    private static byte[] read(FileChannel in, long pos, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining()) {
            if (in.read(b, pos + b.position()) < 0) throw new IOException("unexpected end of file");
        }
        return b.array();
    }

    /** Copies {@code length} bytes from {@code offset} in the packet data of the tile-parts {@code parts}. */
    private static void copyData(FileChannel in, List<long[]> parts, long offset, long length, OutputStream out)
            throws IOException {
        for (long[] part : parts) {
            if (length == 0) return;
            if (offset >= part[1]) {
                offset -= part[1];
                continue;
            }
            long n = Math.min(length, part[1] - offset);
            copy(in, part[0] + offset, n, out);
            length -= n;
            offset = 0;
        }
        if (length > 0) throw new IOException("packet data ends early");
    }

    private static void copy(FileChannel in, long pos, long length, OutputStream out) throws IOException {
        byte[] buf = new byte[1 << 16];
        ByteBuffer b = ByteBuffer.wrap(buf);
        long done = 0;
        while (done < length) {
            b.clear();
            b.limit((int) Math.min(buf.length, length - done));
            int n = in.read(b, pos + done);
            if (n < 0) throw new IOException("unexpected end of file");
            out.write(buf, 0, n);
            done += n;
        }
    }
}
