package org.vellum.codec.openjpeg;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.vellum.util.Ints;

/**
 * How a JP2 file's decoded components become the channels a reader sees: the palette ({@code pclr}) through the
 * component mapping ({@code cmap}), then the channel definitions ({@code cdef}: which channel is which colour, which
 * is opacity). Applied here, in Java, on every decode: OpenJPEG's decoder applies cdef only on the first decode of a
 * codec (it frees it afterwards) and replaces the image's components with the palette's, which the next decode of a
 * reused codec then trips over; so {@link Jp2Reader} asks it for the components as decoded.
 *
 * @param palette the pclr box, or null (a palette without cmap is ignored, as OpenJPEG ignores it)
 * @param mapping the cmap box, one entry per palette column, or null
 * @param definitions the cdef box, or empty
 */
record ChannelMap(Palette palette, List<Mapping> mapping, List<Definition> definitions) {

    static final ChannelMap NONE = new ChannelMap(null, null, List.of());

    /**
     * A raw codestream has no cdef to say what its components are: as opj_decompress reads one, the second of two and
     * the fourth of four components is opacity; other counts have none.
     */
    static ChannelMap ofCodestream(int components) {
        if (components != 2 && components != 4) return NONE;
        List<Definition> d = new ArrayList<>();
        for (int c = 0; c < components - 1; c++) d.add(new Definition(c, 0, c + 1));
        d.add(new Definition(components - 1, 1, 0));
        return new ChannelMap(null, null, List.copyOf(d));
    }

    /** Palette entries: {@code columns[c][entry]}, column c has {@code bits[c]} bits, signed when {@code signed[c]}. */
    record Palette(int entries, int[] bits, boolean[] signed, int[][] columns) { }

    /** cmap: output channel i takes component {@code component} as it is (type 0) or through palette column {@code column} (1). */
    record Mapping(int component, int type, int column) { }

    /** cdef: channel {@code channel} is colour (type 0), opacity (1) or premultiplied opacity (2) of colour {@code association} (0: all). */
    record Definition(int channel, int type, int association) { }

    /**
     * Where the channels come from and what they are, in the order {@link Raster} wants: colours by their cdef
     * association, unassigned channels after them, opacity last.
     *
     * @param source the palette-mapped channel each output plane is
     * @param component the codestream component behind each output plane
     */
    record Layout(int[] source, int[] component, int[] precision, boolean[] signed, boolean alpha,
                  boolean premultiplied) {
        int channels() {
            return source.length;
        }
    }

    /**
     * False when OpenJPEG's opj_get_decoded_tile, which applies the palette and cdef whatever the decoder was told,
     * would change the components: it maps a palette (and its next call then reads the header image's components past
     * their end), or moves a colour channel (on its first call only: it frees cdef then). Such files are decoded with
     * opj_decode, which leaves them to us.
     */
    boolean tileSafe() {
        if (mapped()) return false;
        for (Definition d : definitions) {
            if (d.type == 0 && d.association >= 1 && d.association != 65535 && d.association - 1 != d.channel) return false;
        }
        return true;
    }

    private boolean mapped() {
        return palette != null && mapping != null;
    }

    /**
     * The layout for a codestream of these components. Refuses what OpenJPEG's decoder refuses (a cmap that names a
     * component the codestream lacks, a palette column mapped twice, a cdef naming a channel that does not exist or
     * leaving one out), so that we serve what {@code opj_decompress} decodes and nothing it rejects as corrupt.
     */
    Layout layout(int[] componentPrecision, boolean[] componentSigned) throws OpenJpegException {
        int n = componentPrecision.length;
        int[] prec = componentPrecision;
        boolean[] sgnd = componentSigned;
        int[] comp = new int[n];
        for (int c = 0; c < n; c++) comp[c] = c;
        if (mapped()) {
            List<Mapping> m = effectiveMapping(n);
            prec = new int[m.size()];
            sgnd = new boolean[m.size()];
            comp = new int[m.size()];
            for (int i = 0; i < m.size(); i++) {
                Mapping e = m.get(i);
                comp[i] = e.component;
                prec[i] = e.type == 0 ? componentPrecision[e.component] : palette.bits[e.column];
                sgnd[i] = e.type == 0 ? componentSigned[e.component] : palette.signed[e.column];
            }
            n = m.size();
        }
        long[] rank = new long[n];
        int alpha = -1;
        boolean premultiplied = false;
        for (int c = 0; c < n; c++) rank[c] = (1L << 20) + c;  // channels cdef does not name: after the named colours
        for (Definition d : definitions) {
            if (d.channel >= n || (d.association != 0 && d.association != 65535 && d.association > n)) {
                throw new OpenJpegException("channel definition names channel " + d.channel + " or colour "
                        + d.association + " of " + n);
            }
            if ((d.type == 1 || d.type == 2) && alpha < 0) {
                alpha = d.channel;
                premultiplied = d.type == 2;
            } else if (d.type == 0 && d.association >= 1 && d.association != 65535) {
                rank[d.channel] = d.association;
            }
        }
        if (!definitions.isEmpty()) {
            boolean[] defined = new boolean[n];
            for (Definition d : definitions) defined[d.channel] = true;
            for (int c = 0; c < n; c++) {
                // T.800 I.5.3.6: a cdef lists every channel; OpenJPEG refuses the file otherwise
                if (!defined[c]) throw new OpenJpegException("channel definitions (cdef) leave out channel " + c);
            }
        }
        List<Integer> colours = new ArrayList<>();
        for (int c = 0; c < n; c++) if (c != alpha) colours.add(c);
        colours.sort((a, b) -> Long.compare(rank[a], rank[b]));
        // Grey, one extra channel and opacity: Raster reads three planes as colour, so the extra one goes.
        if (alpha >= 0 && colours.size() == 2) colours.remove(1);
        int k = 0;
        int[] order = new int[colours.size() + (alpha >= 0 ? 1 : 0)];
        for (int c : colours) order[k++] = c;
        if (alpha >= 0) order[k] = alpha;
        int[] outPrec = new int[order.length];
        boolean[] outSgnd = new boolean[order.length];
        int[] outComp = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            outComp[i] = comp[order[i]];
            outPrec[i] = prec[order[i]];
            outSgnd[i] = sgnd[order[i]];
            if (outPrec[i] < 1 || outPrec[i] > FileCheck.MAX_PRECISION) {
                throw new OpenJpegException("channel " + order[i] + " has " + outPrec[i] + " bits (at most "
                        + FileCheck.MAX_PRECISION + ")");
            }
        }
        return new Layout(order, outComp, outPrec, outSgnd, alpha >= 0, premultiplied);
    }

    /**
     * The cmap as OpenJPEG uses it: checked as its decoder checks it, and for a one-component codestream whose cmap
     * leaves a palette column unused, every column mapped in order ("Component mapping seems wrong. Trying to
     * correct.", OpenJPEG issues 235 and 447).
     */
    private List<Mapping> effectiveMapping(int components) throws OpenJpegException {
        int columns = palette.bits.length;
        boolean[] used = new boolean[columns];
        for (int i = 0; i < mapping.size(); i++) {
            Mapping e = mapping.get(i);
            String bad = null;
            if (e.component >= components) {
                bad = "names component " + e.component + " of " + components;
            } else if (e.type != 0 && e.type != 1) {
                bad = "has mapping type " + e.type;
            } else if (e.column >= columns) {
                bad = "names palette column " + e.column + " of " + columns;
            } else if (e.type == 1 && used[e.column]) {
                bad = "maps palette column " + e.column + " twice";
            } else if (e.type == 0 && e.column != 0) {
                bad = "uses a component directly with palette column " + e.column;
            } else if (e.type == 1 && e.column != i) {
                // OpenJPEG's limitation, kept so that we refuse what opj_decompress refuses
                bad = "maps channel " + i + " to palette column " + e.column;
            } else {
                used[e.column] = true;
            }
            if (bad != null) throw new OpenJpegException("component mapping (cmap) " + bad);
        }
        for (int i = 0; i < mapping.size(); i++) {
            if (!used[i] && mapping.get(i).type != 0) {
                throw new OpenJpegException("component mapping (cmap) leaves palette column " + i + " unmapped");
            }
        }
        if (components == 1) {
            for (boolean u : used) {
                if (!u) {
                    List<Mapping> all = new ArrayList<>();
                    for (int i = 0; i < mapping.size(); i++) all.add(new Mapping(mapping.get(i).component, 1, i));
                    return all;
                }
            }
        }
        return mapping;
    }

    /** The decoded planes (one per codestream component, already the output's size) as the layout's channels. */
    int[][] apply(int[][] components, Layout layout) throws OpenJpegException {
        int[][] channels = components;
        if (mapped()) {
            List<Mapping> m = effectiveMapping(components.length);
            channels = new int[m.size()][];
            for (int i = 0; i < m.size(); i++) {
                Mapping e = m.get(i);
                int[] src = components[e.component];
                if (e.type == 0) {
                    channels[i] = src;
                    continue;
                }
                int[] column = palette.columns[e.column];
                int top = palette.entries - 1;
                int[] dst = new int[src.length];
                for (int j = 0; j < src.length; j++) dst[j] = column[Ints.clamp(src[j], 0, top)];
                channels[i] = dst;
            }
        }
        int[][] out = new int[layout.source.length][];
        for (int i = 0; i < out.length; i++) out[i] = channels[layout.source[i]];
        if (layout.premultiplied) unpremultiply(out, layout);
        return out;
    }

    /** Colour stored multiplied by opacity becomes colour as such: our pixels, and PNG's, carry straight alpha. */
    private static void unpremultiply(int[][] planes, Layout layout) {
        int a = planes.length - 1;
        long aMax = (1L << layout.precision[a]) - 1;
        int[] alpha = planes[a];
        for (int c = 0; c < a; c++) {
            int max = (1 << layout.precision[c]) - 1;
            int[] src = planes[c];
            int[] dst = new int[src.length];
            for (int i = 0; i < src.length; i++) {
                long al = alpha[i];
                dst[i] = al <= 0 ? 0 : (int) Math.min(max, (src[i] * aMax + al / 2) / al);
            }
            planes[c] = dst;
        }
    }

    @Override
    public String toString() {
        return "ChannelMap[palette=" + (palette == null ? "none" : palette.entries + "x" + Arrays.toString(palette.bits))
                + ", mapping=" + mapping + ", definitions=" + definitions + "]";
    }
}
