package org.vellum.hostile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.vellum.codec.openjpeg.Jp2EncodeOptions;
import org.vellum.testing.Fixtures;

/**
 * Malformed JPEG 2000 files made from our own encoder's output: truncations at every kind of place, bytes flipped in
 * marker segments and packet data, absurd SIZ and COD values, lying JP2 box lengths, wrong extensions, empty files.
 * Deterministic (fixed seeds), so a failure names a file that the next run makes again.
 * <p>
 * {@code main(dir)} writes the corpus into a folder, for the soak script.
 */
public final class HostileCorpus {

    /** What a file must give: decodable, refused, or either (a still-decodable mutation is a correct answer too). */
    public enum Expect { DECODES, REJECTED, EITHER }

    public record Entry(String name, String what, Expect expect) {
    }

    /** A marker segment or a tile-part's data, by absolute offset in the file. */
    record Segment(int marker, int offset, int length) {
        int payload() {
            return offset + 4;
        }

        int end() {
            return offset + 2 + length;
        }
    }

    public static final String GOOD_TILED = "good-tiled.jp2";
    public static final String GOOD_SINGLE = "good-single.j2k";

    private static final int SOC = 0xFF4F;
    private static final int SIZ = 0xFF51;
    private static final int COD = 0xFF52;
    private static final int QCD = 0xFF5C;
    private static final int TLM = 0xFF55;
    private static final int SOT = 0xFF90;
    private static final int SOD = 0xFF93;
    private static final int PLT = 0xFF58;

    private final Path dir;
    private final List<Entry> entries = new ArrayList<>();

    private HostileCorpus(Path dir) {
        this.dir = dir;
    }

    public static void main(String[] args) {
        Path dir = Path.of(args.length > 0 ? args[0] : "hostile-corpus");
        List<Entry> all = write(dir);
        long bad = all.stream().filter(e -> e.expect() != Expect.DECODES).count();
        System.out.println(all.size() + " files (" + bad + " malformed, the rest valid but misnamed) and 2 good ones in " + dir.toAbsolutePath());
    }

    /** Writes the two good files and every mutation of them into {@code dir}; returns the mutations. */
    public static List<Entry> write(Path dir) {
        try {
            Files.createDirectories(dir);
            Fixtures.write(dir, GOOD_TILED, Fixtures.texturedGrid(1100, 800),
                    new Jp2EncodeOptions(5, 4, 256, false, true));
            Fixtures.write(dir, GOOD_SINGLE, Fixtures.greyGrid(300, 200),
                    new Jp2EncodeOptions(3, 2, 0, true, false));
            HostileCorpus c = new HostileCorpus(dir);
            c.build(Files.readAllBytes(dir.resolve(GOOD_TILED)), Files.readAllBytes(dir.resolve(GOOD_SINGLE)));
            return List.copyOf(c.entries);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void build(byte[] tiled, byte[] single) throws IOException {
        int cs = codestreamStart(tiled);
        List<Segment> main = mainHeader(tiled, cs);
        List<Segment> parts = tileParts(tiled, cs, main);
        List<Segment> singleMain = mainHeader(single, 0);

        truncations(tiled, cs, main, parts, single);
        flips(tiled, main, parts, single, singleMain);
        absurdSiz(tiled, find(main, SIZ), single, find(singleMain, SIZ));
        absurdCod(tiled, find(main, COD), single, find(singleMain, COD));
        boxes(tiled);
        oddFiles(tiled, cs, single);
    }

    // --- truncations ------------------------------------------------------------------------------------------------

    private void truncations(byte[] tiled, int cs, List<Segment> main, List<Segment> parts, byte[] single)
            throws IOException {
        for (int at : new int[] {1, 8, 12, 20, 32, 45, 60, cs - 4, cs}) {
            cut(tiled, at, "jp2-boxes", Expect.REJECTED);
        }
        for (Segment s : main) {
            String m = markerName(s.marker);
            cut(tiled, s.offset + 1, "main-" + m + "-marker", Expect.REJECTED);
            cut(tiled, s.offset + 3, "main-" + m + "-length", Expect.REJECTED);
            cut(tiled, s.offset + 2 + s.length / 2, "main-" + m + "-middle", Expect.REJECTED);
        }
        // Tile-parts: first few, one in the middle, the last; inside the SOT, the PLT, just before SOD, in the data.
        int[] which = {0, 1, 2, parts.size() / 2, parts.size() - 1};
        for (int i : which) {
            Segment sot = parts.get(i);
            String p = "tilepart" + i;
            cut(tiled, sot.offset + 5, p + "-sot", Expect.EITHER);
            int pos = sot.end();
            while ((u16(tiled, pos)) != SOD) {
                if (u16(tiled, pos) == PLT) cut(tiled, pos + 6, p + "-plt", Expect.EITHER);
                pos += 2 + u16(tiled, pos + 2);
            }
            cut(tiled, pos - 1, p + "-before-sod", Expect.EITHER);
            int dataEnd = sot.offset + u32(tiled, sot.offset + 6);
            cut(tiled, (pos + 2 + dataEnd) / 2, p + "-data", Expect.EITHER);
        }
        for (int k = 1; k <= 12; k++) {
            cut(tiled, cs + (int) ((long) (tiled.length - cs) * k / 13), "even" + k, Expect.EITHER);
        }
        cut(tiled, tiled.length - 1, "eoc", Expect.EITHER);
        cut(tiled, tiled.length - 2, "before-eoc", Expect.EITHER);
        for (int k = 1; k <= 6; k++) {
            int at = (int) ((long) single.length * k / 7);
            write("cut-single-" + at + ".j2k", Arrays.copyOf(single, at), "untiled J2K truncated at " + at,
                    at < 80 ? Expect.REJECTED : Expect.EITHER);
        }
    }

    private void cut(byte[] file, int at, String where, Expect expect) throws IOException {
        write("cut-" + where + "-" + at + ".jp2", Arrays.copyOf(file, at), "truncated at " + at + " (" + where + ")",
                expect);
    }

    // --- flipped bytes --------------------------------------------------------------------------------------------

    private void flips(byte[] tiled, List<Segment> main, List<Segment> parts, byte[] single, List<Segment> singleMain)
            throws IOException {
        for (Segment s : main) {
            String m = markerName(s.marker);
            int n = Math.min(s.length - 2, s.marker == SIZ ? 40 : 10);
            for (int i = 0; i < n; i++) {
                for (int v : new int[] {0xFF, 0x00}) {
                    if ((tiled[s.payload() + i] & 0xFF) == v) continue;
                    byte[] b = tiled.clone();
                    b[s.payload() + i] = (byte) v;
                    write(String.format("flip-%s-%02d-%02X.jp2", m, i, v), b,
                            m + " payload byte " + i + " set to " + v, Expect.EITHER);
                }
            }
            byte[] len = tiled.clone();
            put16(len, s.offset + 2, 0xFFFF);
            write("flip-" + m + "-length-max.jp2", len, m + " length 65535", Expect.EITHER);
            byte[] len0 = tiled.clone();
            put16(len0, s.offset + 2, 0);
            write("flip-" + m + "-length-0.jp2", len0, m + " length 0", Expect.EITHER);
        }
        for (Segment s : singleMain) {
            for (int i = 0; i < Math.min(8, s.length - 2); i++) {
                byte[] b = single.clone();
                b[s.payload() + i] ^= (byte) 0x80;
                write(String.format("flip-single-%s-%02d.j2k", markerName(s.marker), i), b,
                        "untiled " + markerName(s.marker) + " payload byte " + i + " xor 0x80", Expect.EITHER);
            }
        }
        // SOT fields of the first tile-part: Isot (tile index), Psot (length), TPsot, TNsot.
        Segment sot = parts.get(0);
        int[][] sotFields = {{4, 2}, {6, 4}, {10, 1}, {11, 1}};
        String[] names = {"isot", "psot", "tpsot", "tnsot"};
        for (int f = 0; f < sotFields.length; f++) {
            for (int v : new int[] {0xFF, 0x00, 0x7F}) {
                byte[] b = tiled.clone();
                Arrays.fill(b, sot.offset + sotFields[f][0], sot.offset + sotFields[f][0] + sotFields[f][1], (byte) v);
                write("flip-sot-" + names[f] + "-" + Integer.toHexString(v) + ".jp2", b,
                        "first SOT " + names[f] + " bytes set to " + v, Expect.EITHER);
            }
        }
        // The first PLT's packet lengths, and packet data, with fixed seeds.
        for (Segment part : parts.subList(0, 3)) {
            int pos = part.end();
            if (u16(tiled, pos) == PLT) {
                byte[] b = tiled.clone();
                for (int i = pos + 5; i < Math.min(pos + 2 + u16(tiled, pos + 2), pos + 25); i++) b[i] = (byte) 0xFF;
                write("flip-plt-" + part.offset + ".jp2", b, "PLT packet lengths set to 0xFF", Expect.EITHER);
            }
        }
        Random random = new Random(2000);
        for (int k = 0; k < 16; k++) {
            byte[] b = tiled.clone();
            int flips = k < 8 ? 1 : 32;
            for (int i = 0; i < flips; i++) {
                Segment part = parts.get(random.nextInt(parts.size()));
                int dataStart = part.end();
                while (u16(b, dataStart) != SOD) dataStart += 2 + u16(b, dataStart + 2);
                dataStart += 2;
                int dataEnd = part.offset + u32(tiled, part.offset + 6);
                if (dataEnd > dataStart) b[dataStart + random.nextInt(dataEnd - dataStart)] ^= (byte) (1 + random.nextInt(255));
            }
            write("flip-data-" + k + ".jp2", b, flips + " random bytes changed in packet data", Expect.EITHER);
        }
        for (int k = 0; k < 6; k++) {
            byte[] b = single.clone();
            Random r = new Random(k);
            for (int i = 0; i < 8; i++) b[200 + r.nextInt(b.length - 202)] ^= (byte) (1 + r.nextInt(255));
            write("flip-single-data-" + k + ".j2k", b, "8 random bytes changed in untiled packet data",
                    Expect.EITHER);
        }
    }

    // --- absurd SIZ and COD ----------------------------------------------------------------------------------------

    private void absurdSiz(byte[] jp2, Segment jp2Siz, byte[] single, Segment singleSiz) throws IOException {
        // On the raw codestream, so that OpenJPEG's own JP2 check (ihdr must agree with SIZ) does not hide them.
        int cs = codestreamStart(jp2);
        byte[] tiled = Arrays.copyOfRange(jp2, cs, jp2.length);
        Segment siz = new Segment(SIZ, jp2Siz.offset - cs, jp2Siz.length);
        int p = siz.payload() + 2;   // after Rsiz: Xsiz Ysiz XOsiz YOsiz XTsiz YTsiz XTOsiz YTOsiz (4 bytes each), Csiz
        // And once in the JP2, with ihdr agreeing.
        byte[] agreeing = jp2.clone();
        put32(agreeing, jp2Siz.payload() + 2, 100_000);
        put32(agreeing, jp2Siz.payload() + 6, 100_000);
        int ihdr = topBoxes(jp2).stream().filter(b -> b[2] == 0x6A703268).findFirst().orElseThrow()[0] + 16;
        put32(agreeing, ihdr, 100_000);
        put32(agreeing, ihdr + 4, 100_000);
        write("siz-10-gigapixel-ihdr-agrees.jp2", agreeing, "100000x100000 in SIZ and ihdr, 1024 px tiles",
                Expect.EITHER);
        siz(tiled, p, "huge-image", new long[] {0xFFFFFFFFL, 0xFFFFFFFFL, 0, 0, 256, 256, 0, 0});
        siz(tiled, p, "huge-image-one-tile", new long[] {0x7FFFFFFFL, 0x7FFFFFFFL, 0, 0, 0x7FFFFFFFL, 0x7FFFFFFFL, 0, 0});
        siz(tiled, p, "huge-image-huge-tiles", new long[] {100_000, 100_000, 0, 0, 65536, 65536, 0, 0});
        siz(tiled, p, "10-gigapixel", new long[] {100_000, 100_000, 0, 0, 1024, 1024, 0, 0});
        siz(tiled, p, "65536-tiles", new long[] {65536, 256, 0, 0, 1, 256, 0, 0});
        siz(tiled, p, "one-pixel-tiles", new long[] {1100, 800, 0, 0, 1, 1, 0, 0});
        siz(tiled, p, "zero-width", new long[] {0, 800, 0, 0, 256, 256, 0, 0});
        siz(tiled, p, "zero-tile", new long[] {1100, 800, 0, 0, 0, 0, 0, 0});
        siz(tiled, p, "origin-beyond-size", new long[] {1100, 800, 2000, 0, 256, 256, 0, 0});
        siz(tiled, p, "tile-origin-beyond-image-origin", new long[] {1100, 800, 0, 0, 256, 256, 500, 500});
        siz(tiled, p, "huge-origin", new long[] {0xFFFFFFFFL, 0xFFFFFFFFL, 0xFFFFFF00L, 0xFFFFFF00L, 256, 256,
                0xFFFFFF00L, 0xFFFFFF00L});
        // The untiled file: one tile as large as the claimed image.
        siz(single, singleSiz.payload() + 2, "single-huge", new long[] {0x7FFFFFFFL, 0x7FFFFFFFL, 0, 0,
                0x7FFFFFFFL, 0x7FFFFFFFL, 0, 0});
        siz(single, singleSiz.payload() + 2, "single-60000", new long[] {60000, 60000, 0, 0, 60000, 60000, 0, 0});

        int csiz = siz.payload() + 2 + 32;
        for (int n : new int[] {0, 4, 17, 16384, 65535}) {
            byte[] b = tiled.clone();
            put16(b, csiz, n);
            write("siz-csiz-" + n + ".jp2", b, "Csiz " + n + " (SIZ length unchanged)", Expect.REJECTED);
        }
        // A consistent SIZ segment for 16384 components: Lsiz = 38 + 3*16384 does not fit 16 bits, so it wraps.
        byte[] many = consistentComponents(tiled, siz, 16384);
        write("siz-16384-components.jp2", many, "16384 components, SIZ rewritten to match", Expect.REJECTED);
        byte[] zero = consistentComponents(tiled, siz, 0);
        write("siz-0-components.jp2", zero, "zero components, SIZ rewritten to match", Expect.REJECTED);
        int comp0 = csiz + 2;
        for (int[] c : new int[][] {{0x7F, 1, 1}, {0xA5, 1, 1}, {7, 0, 1}, {7, 1, 0}, {7, 255, 255}, {7, 5, 1}}) {
            byte[] b = tiled.clone();
            b[comp0] = (byte) c[0];
            b[comp0 + 1] = (byte) c[1];
            b[comp0 + 2] = (byte) c[2];
            write(String.format("siz-comp0-%02X-%d-%d.jp2", c[0], c[1], c[2]), b,
                    "component 0 Ssiz/XRsiz/YRsiz " + Arrays.toString(c), Expect.REJECTED);
        }
    }

    private void siz(byte[] file, int at, String name, long[] values) throws IOException {
        byte[] b = file.clone();
        for (int i = 0; i < values.length; i++) put32(b, at + 4 * i, values[i]);
        // Some of these are plausible headers (a huge image whose tiles are missing): refused at the latest on decode.
        write("siz-" + name + (file[0] == (byte) 0xFF ? ".j2k" : ".jp2"), b, "SIZ " + Arrays.toString(values),
                Expect.EITHER);
    }

    /** The file with its SIZ segment replaced by one for n copies of component 0 (Lsiz wrapping at 16 bits). */
    private static byte[] consistentComponents(byte[] file, Segment siz, int n) {
        byte[] head = Arrays.copyOf(file, siz.offset);
        ByteBuffer seg = ByteBuffer.allocate(2 + 2 + 36 + 2 + 3 * n);
        seg.putShort((short) SIZ).putShort((short) (38 + 3 * n));
        seg.put(file, siz.offset + 4, 36).putShort((short) n);
        for (int i = 0; i < n; i++) seg.put(new byte[] {7, 1, 1});
        byte[] tail = Arrays.copyOfRange(file, siz.end(), file.length);
        byte[] out = new byte[head.length + seg.capacity() + tail.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(seg.array(), 0, out, head.length, seg.capacity());
        System.arraycopy(tail, 0, out, head.length + seg.capacity(), tail.length);
        fixJp2cLength(out, seg.capacity() - (siz.end() - siz.offset));
        return out;
    }

    private void absurdCod(byte[] tiled, Segment cod, byte[] single, Segment singleCod) throws IOException {
        // COD payload: Scod, SGcod (progression 1, layers 2, MCT 1), SPcod (levels 1, xcb 1, ycb 1, style 1, wavelet 1, precincts)
        for (byte[] file : new byte[][] {tiled, single}) {
            Segment c = file == tiled ? cod : singleCod;
            String ext = file == tiled ? ".jp2" : ".j2k";
            int p = c.payload();
            codByte(file, p + 1, "progression-5", 5, ext);
            codByte(file, p + 1, "progression-255", 255, ext);
            cod16(file, p + 2, "layers-0", 0, ext);
            cod16(file, p + 2, "layers-65535", 65535, ext);
            codByte(file, p + 4, "mct-2", 2, ext);
            codByte(file, p + 5, "levels-32", 32, ext);
            codByte(file, p + 5, "levels-33", 33, ext);
            codByte(file, p + 5, "levels-255", 255, ext);
            codByte(file, p + 6, "xcb-9", 9, ext);
            codByte(file, p + 7, "ycb-255", 255, ext);
            codByte(file, p + 8, "cblk-style-255", 255, ext);
            codByte(file, p + 9, "wavelet-7", 7, ext);
            if ((file[p] & 1) != 0) codByte(file, p + 10, "precinct-0", 0, ext);
            codByte(file, p, "scod-255", 255, ext);
        }
    }

    private void codByte(byte[] file, int at, String name, int v, String ext) throws IOException {
        byte[] b = file.clone();
        b[at] = (byte) v;
        write("cod-" + name + ext, b, "COD " + name, Expect.EITHER);
    }

    private void cod16(byte[] file, int at, String name, int v, String ext) throws IOException {
        byte[] b = file.clone();
        put16(b, at, v);
        write("cod-" + name + ext, b, "COD " + name, Expect.EITHER);
    }

    // --- JP2 boxes ------------------------------------------------------------------------------------------------

    private void boxes(byte[] tiled) throws IOException {
        List<int[]> top = topBoxes(tiled);   // {offset, length, type}
        for (int[] box : top) {
            String t = fourcc(box[2]);
            for (long len : new long[] {0, 1, 7, box[1] - 1L, box[1] + 1L, tiled.length + 1000L, 0xFFFFFFFFL}) {
                if (len == box[1] || (len == 0 && box[2] == 0x6A703263)) continue;
                byte[] b = tiled.clone();
                put32(b, box[0], len);
                write("box-" + t.trim() + "-len-" + len + ".jp2", b, t + " box length " + len + " (was " + box[1] + ")",
                        Expect.EITHER);
            }
        }
        // XL length (len = 1) with an absurd 64-bit length on the jp2h box.
        int[] jp2h = top.stream().filter(b -> b[2] == 0x6A703268).findFirst().orElseThrow();
        byte[] xl = new byte[tiled.length + 8];
        System.arraycopy(tiled, 0, xl, 0, jp2h[0] + 8);
        put32(xl, jp2h[0], 1);
        ByteBuffer.wrap(xl, jp2h[0] + 8, 8).putLong(Long.MAX_VALUE);
        System.arraycopy(tiled, jp2h[0] + 8, xl, jp2h[0] + 16, tiled.length - jp2h[0] - 8);
        write("box-jp2h-xl-huge.jp2", xl, "jp2h with a 64-bit length of 2^63-1", Expect.REJECTED);
        // Sub-boxes of jp2h: ihdr and colr with lying lengths.
        int sub = jp2h[0] + 8;
        while (sub < jp2h[0] + jp2h[1]) {
            int len = u32(tiled, sub);
            String t = fourcc(u32(tiled, sub + 4)).trim();
            for (long bad : new long[] {0, 8, len + 4L, 0xFFFFFFF0L}) {
                byte[] b = tiled.clone();
                put32(b, sub, bad);
                write("box-jp2h-" + t + "-len-" + bad + ".jp2", b, "jp2h/" + t + " length " + bad, Expect.EITHER);
            }
            if (len < 8) break;
            sub += len;
        }
        // ihdr: height/width/components disagreeing with SIZ.
        byte[] ihdr = tiled.clone();
        int ih = jp2h[0] + 8;
        put32(ihdr, ih + 8, 0xFFFFFFFFL);
        put16(ihdr, ih + 16, 16384);
        write("box-ihdr-lies.jp2", ihdr, "ihdr with height 2^32-1 and 16384 components", Expect.EITHER);
    }

    // --- odd files -------------------------------------------------------------------------------------------------

    private void oddFiles(byte[] tiled, int cs, byte[] single) throws IOException {
        write("ext-j2k-as.jp2", single, "raw J2K named .jp2", Expect.DECODES);
        write("ext-jp2-as.j2k", tiled, "JP2 named .j2k", Expect.DECODES);
        write("ext-jp2-as.jpx", tiled, "JP2 named .jpx", Expect.DECODES);
        write("ext-codestream-only.jp2", Arrays.copyOfRange(tiled, cs, tiled.length), "the JP2's codestream alone",
                Expect.DECODES);
        write("empty.jp2", new byte[0], "zero bytes", Expect.REJECTED);
        write("one-byte.jp2", new byte[] {0}, "one byte", Expect.REJECTED);
        write("signature-only.jp2", Arrays.copyOf(tiled, 12), "the JP2 signature box alone", Expect.REJECTED);
        write("soc-siz-only.j2k", Arrays.copyOf(single, 4), "SOC and the SIZ marker, nothing else", Expect.REJECTED);
        byte[] noise = new byte[4096];
        new Random(1).nextBytes(noise);
        write("noise.jp2", noise, "4 KiB of random bytes", Expect.REJECTED);
        byte[] html = "<html><body>404</body></html>".getBytes();
        write("html.jp2", html, "an HTML page named .jp2", Expect.REJECTED);
        byte[] doubled = new byte[tiled.length * 2 - cs];
        System.arraycopy(tiled, 0, doubled, 0, tiled.length);
        System.arraycopy(tiled, cs, doubled, tiled.length, tiled.length - cs);
        write("trailing-codestream.jp2", doubled, "a second codestream after the jp2c box", Expect.EITHER);
    }

    // --- parsing helpers -------------------------------------------------------------------------------------------

    static int codestreamStart(byte[] file) {
        if (u16(file, 0) == SOC) return 0;
        for (int[] box : topBoxes(file)) {
            if (box[2] == 0x6A703263) return box[0] + 8;
        }
        throw new IllegalArgumentException("no jp2c box");
    }

    static List<int[]> topBoxes(byte[] file) {
        List<int[]> out = new ArrayList<>();
        int pos = 0;
        while (pos + 8 <= file.length) {
            int len = u32(file, pos);
            int type = u32(file, pos + 4);
            out.add(new int[] {pos, len, type});
            if (len < 8 || type == 0x6A703263) break;   // the codestream box is the last one we need
            pos += len;
        }
        return out;
    }

    /** SOC is not listed; the segments from SIZ up to the first SOT. */
    static List<Segment> mainHeader(byte[] file, int cs) {
        List<Segment> out = new ArrayList<>();
        int pos = cs + 2;
        while (u16(file, pos) != SOT) {
            Segment s = new Segment(u16(file, pos), pos, u16(file, pos + 2));
            out.add(s);
            pos = s.end();
        }
        return out;
    }

    /** SOT segments of every tile-part. */
    static List<Segment> tileParts(byte[] file, int cs, List<Segment> main) {
        List<Segment> out = new ArrayList<>();
        int pos = main.get(main.size() - 1).end();
        while (pos + 12 <= file.length && u16(file, pos) == SOT) {
            out.add(new Segment(SOT, pos, u16(file, pos + 2)));
            pos += u32(file, pos + 6);
        }
        return out;
    }

    private static Segment find(List<Segment> segments, int marker) {
        return segments.stream().filter(s -> s.marker == marker).findFirst().orElseThrow();
    }

    private static String markerName(int marker) {
        return switch (marker) {
            case SIZ -> "SIZ";
            case COD -> "COD";
            case QCD -> "QCD";
            case TLM -> "TLM";
            case 0xFF64 -> "COM";
            case 0xFF53 -> "COC";
            case 0xFF5D -> "QCC";
            default -> Integer.toHexString(marker);
        };
    }

    private static String fourcc(int type) {
        return new String(ByteBuffer.allocate(4).putInt(type).array(), java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static void fixJp2cLength(byte[] file, int delta) {
        if (u16(file, 0) == SOC) return;
        for (int[] box : topBoxes(file)) {
            if (box[2] == 0x6A703263 && box[1] > 1) put32(file, box[0], box[1] + delta);
        }
    }

    static int u16(byte[] b, int at) {
        return at + 2 <= b.length ? (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF) : -1;
    }

    static int u32(byte[] b, int at) {
        return ByteBuffer.wrap(b, at, 4).getInt();
    }

    private static void put16(byte[] b, int at, int v) {
        b[at] = (byte) (v >> 8);
        b[at + 1] = (byte) v;
    }

    private static void put32(byte[] b, int at, long v) {
        ByteBuffer.wrap(b, at, 4).putInt((int) v);
    }

    private void write(String name, byte[] bytes, String what, Expect expect) throws IOException {
        if (entries.stream().anyMatch(e -> e.name().equals(name))) return;
        Files.write(dir.resolve(name), bytes);
        entries.add(new Entry(name, what, expect));
    }
}
