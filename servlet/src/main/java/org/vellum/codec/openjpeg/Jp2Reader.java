package org.vellum.codec.openjpeg;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vellum.codec.openjpeg.OpenJpegLibrary.CodestreamInfo;
import org.vellum.codec.openjpeg.OpenJpegLibrary.DParameters;
import org.vellum.codec.openjpeg.OpenJpegLibrary.OpjImage;
import org.vellum.codec.openjpeg.OpenJpegLibrary.OpjImageComp;

/**
 * One open JPEG 2000 file: one codec, one file stream, the main header parsed once, many region decodes.
 * <p>
 * Multi-tile files are served with {@code opj_get_decoded_tile} per intersecting tile on the same codec (any order, any
 * reduce). Single-tile files use {@code opj_set_decode_area}+{@code opj_decode} on the same codec, which OpenJPEG 2.5 allows
 * only while the reduce factor stays the same, so a change of reduce re-opens codec and stream with the new cp_reduce.
 * After any failed native call the codec is destroyed (reusing it crashes) and the reader refuses further use.
 * <p>
 * Not thread-safe by design (a codec must never be used by two threads); methods are synchronized only as a guard.
 */
public final class Jp2Reader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Jp2Reader.class);
    /** Small on purpose: 2.5.0 refills the buffer for every SOT it walks past. */
    private static final long STREAM_BUFFER = 16384;
    private static final int MAX_ICC = 16 << 20;
    /** What a codec that has read only the main header holds, about. */
    private static final long HEADER_BYTES = 64L << 10;
    /**
     * What a single-tile codec keeps of its last window besides codestream and structures (decoded code-blocks and
     * buffers): 5 to 10 MB for 256-pixel windows at every level of an 8000x6000 RGB file, measured with mallinfo2.
     */
    private static final long DECODED_BYTES = 8L << 20;
    /** Below this a freed codec's memory is reused by the next one soon enough; trimming costs a few ms. */
    private static final long TRIM_AFTER_BYTES = 32L << 20;

    private final Path file;
    private final int layers;
    private final boolean jp2;
    private final OpenJpegLibrary lib;
    private Jp2Header header;
    private int originX;
    private int originY;
    private int tileOriginX;
    private int tileOriginY;
    private int tileW;
    private int tileH;
    private Jp2ColorSpace colorSpace;
    private ChannelMap channels;
    private ChannelMap.Layout layout;
    private CieLab lab;
    private boolean tilesMissing;
    private long fileBytes;
    /** Bytes of codestream the session reads: the file's, or a cut copy's. */
    private long codestreamBytes;
    private Session session;
    /** x, y, w, h (full-resolution pixels) that decodes must stay inside, or null. */
    private int[] region;
    private String brokenBy;
    private boolean closed;

    private Jp2Reader(Path file, int layers, boolean jp2) {
        this.file = file;
        this.layers = layers;
        this.jp2 = jp2;
        this.lib = OpenJpeg.lib();
    }

    /** Opens the file, reads the main header once. layers: number of quality layers to decode, 0 = all. */
    public static Jp2Reader open(Path file, int layers) throws OpenJpegException {
        return open(file, layers, 0);
    }

    /**
     * As {@link #open(Path, int)}, with the codec set up for {@code reduce} (clamped to the file's levels): a single-tile
     * file is then decoded at that level without setting up a second codec.
     */
    public static Jp2Reader open(Path file, int layers, int reduce) throws OpenJpegException {
        return open(file, layers, reduce, null);
    }

    /**
     * As {@link #open(Path, int, int)}, for a reader that only ever decodes inside {@code region} ({x, y, w, h} in
     * full-resolution pixels, as {@link #decode} takes them; null: anywhere). A single-tile file's decoder then reads a
     * copy in which the packets no such decode needs are empty, when the file allows it ({@link ResolutionCut}):
     * OpenJPEG 2.5 parses every packet header of the tile on each decode. Decodes outside the region are refused.
     */
    public static Jp2Reader open(Path file, int layers, int reduce, int[] region) throws OpenJpegException {
        if (layers < 0) {
            throw new IllegalArgumentException("layers must be >= 0: " + layers);
        }
        if (region != null && (region.length != 4 || region[0] < 0 || region[1] < 0 || region[2] <= 0 || region[3] <= 0)) {
            throw new IllegalArgumentException("region must be x, y, w, h: " + Arrays.toString(region));
        }
        FileCheck check = FileCheck.check(file);
        Jp2Reader reader = new Jp2Reader(file, layers, check.jp2);
        try {
            reader.region = region == null ? null : region.clone();
            reader.readHeader(check, Math.max(0, reduce));
            return reader;
        } catch (OpenJpegException | RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    public Jp2Header header() {
        return header;
    }

    public Path file() {
        return file;
    }

    /** False once closed or after a native failure; a pool should then discard the reader. */
    public synchronized boolean usable() {
        return !closed && brokenBy == null;
    }

    private void readHeader(FileCheck check, int reduce) throws OpenJpegException {
        session = new Session(0, file);
        OpjImage img = new OpjImage(session.image);
        long w = Integer.toUnsignedLong(img.x1) - Integer.toUnsignedLong(img.x0);
        long h = Integer.toUnsignedLong(img.y1) - Integer.toUnsignedLong(img.y0);
        if (img.x0 < 0 || img.y0 < 0 || w <= 0 || h <= 0 || w > Integer.MAX_VALUE || h > Integer.MAX_VALUE) {
            throw new OpenJpegException("implausible image bounds " + img.x0 + "," + img.y0 + "-" + img.x1 + "," + img.y1 + ": " + file);
        }
        int nc = img.numcomps;
        if (nc < 1 || nc > FileCheck.MAX_COMPONENTS || img.comps == null) {
            throw new OpenJpegException(nc + " components (at most " + FileCheck.MAX_COMPONENTS + "): " + file);
        }
        OpjImageComp[] comps = components(img);
        int[] prec = new int[nc];
        boolean[] sgnd = new boolean[nc];
        int[] dx = new int[nc];
        int[] dy = new int[nc];
        for (int c = 0; c < nc; c++) {
            prec[c] = comps[c].prec;
            sgnd[c] = comps[c].sgnd != 0;
            dx[c] = comps[c].dx;
            dy[c] = comps[c].dy;
            if (prec[c] < 1 || prec[c] > FileCheck.MAX_PRECISION || dx[c] < 1 || dy[c] < 1
                    || dx[c] > FileCheck.MAX_SUBSAMPLING || dy[c] > FileCheck.MAX_SUBSAMPLING) {
                throw new OpenJpegException("unsupported component " + c + " (" + prec[c] + " bits, sub-sampling " + dx[c] + "x" + dy[c] + "): " + file);
            }
        }
        byte[] icc = null;
        if (img.icc_profile_buf != null && img.icc_profile_len > 0 && img.icc_profile_len <= MAX_ICC) {
            icc = img.icc_profile_buf.getByteArray(0, img.icc_profile_len);
        } else if (check.icc != null) {
            icc = check.icc;
        }
        // 2.5.0 leaves color_space UNSPECIFIED in opj_read_header and fills it in only on decode: take the colr box's.
        colorSpace = Jp2ColorSpace.fromNative(img.color_space);
        if (colorSpace == Jp2ColorSpace.UNSPECIFIED || colorSpace == Jp2ColorSpace.UNKNOWN) {
            colorSpace = check.colorSpace;
        }
        channels = jp2 ? check.channels : ChannelMap.ofCodestream(nc);
        lab = check.lab;
        tilesMissing = check.tilesMissing;
        try {
            layout = channels.layout(prec, sgnd);
        } catch (OpenJpegException e) {
            throw new OpenJpegException(e.getMessage() + ": " + file, e);
        }
        int[] source = layout.component();
        if (layout.channels() == 3 && dx[source[0]] == dy[source[0]] && dx[source[1]] != 1) {
            // As opj_decompress: three channels whose second is sub-sampled across are YCbCr, whatever the file says.
            colorSpace = Jp2ColorSpace.SYCC;
        }

        Pointer info = lib.opj_get_cstr_info(session.codec);
        if (info == null) {
            throw session.failure("opj_get_cstr_info");
        }
        int resolutions = Integer.MAX_VALUE;
        int numLayers;
        int tilesX;
        int tilesY;
        try {
            tileOriginX = info.getInt(CodestreamInfo.TX0);
            tileOriginY = info.getInt(CodestreamInfo.TY0);
            tileW = info.getInt(CodestreamInfo.TDX);
            tileH = info.getInt(CodestreamInfo.TDY);
            tilesX = info.getInt(CodestreamInfo.TW);
            tilesY = info.getInt(CodestreamInfo.TH);
            int infoComps = info.getInt(CodestreamInfo.NBCOMPS);
            Pointer tile = info.share(CodestreamInfo.DEFAULT_TILE);
            numLayers = tile.getInt(CodestreamInfo.TILE_NUMLAYERS);
            Pointer tccp = tile.getPointer(CodestreamInfo.TILE_TCCP_INFO);
            if (tccp == null || infoComps < 1) {
                throw new OpenJpegException("no coding parameters in the main header: " + file);
            }
            for (int c = 0; c < Math.min(infoComps, nc); c++) {
                resolutions = Math.min(resolutions, tccp.getInt((long) c * CodestreamInfo.TCCP_SIZE + CodestreamInfo.TCCP_NUMRESOLUTIONS));
            }
        } finally {
            lib.opj_destroy_cstr_info(new PointerByReference(info));
        }
        if (resolutions < 1 || resolutions > 33 || numLayers < 1 || tileW < 1 || tileH < 1 || tilesX < 1 || tilesY < 1) {
            throw new OpenJpegException("implausible coding parameters (" + resolutions + " resolutions, " + numLayers + " layers, tiles "
                    + tileW + "x" + tileH + "): " + file);
        }
        originX = img.x0;
        originY = img.y0;
        header = new Jp2Header(jp2, (int) w, (int) h, nc, prec, sgnd, dx, dy, resolutions, numLayers,
                Math.min(tileW, (int) w), Math.min(tileH, (int) h), tilesX, tilesY,
                colorSpace, icc, layout.alpha(), layout.channels(), layout.precision().clone(), img.x0, img.y0,
                check.captureResolution != null ? check.captureResolution : check.displayResolution, check.xmp);
        fileBytes = check.size;
        codestreamBytes = fileBytes;
        int first = Math.min(reduce, resolutions - 1);
        if ((first > 0 || region != null) && tilesX * tilesY == 1) {
            // cp_reduce is fixed when the codec is set up; the header session is the first decode's.
            closeSession();
            session = sessionForLevel(first);
        }
    }

    /**
     * A single-tile session for a reduced level: on a copy of the file cut after that level's resolutions when the
     * file allows it ({@link ResolutionCut}), so that OpenJPEG neither parses nor keeps the finer ones; else on the
     * file. The copy lives in memory ({@link ScratchFile}) and only the open stream holds it, until the first decode has
     * read it into OpenJPEG's memory; then it is emptied ({@link Session#releaseCopy}), so a kept decoder holds no
     * second copy.
     */
    private Session sessionForLevel(int reduce) throws OpenJpegException {
        long[] canvas = region == null ? null : new long[] {
            originX + (long) region[0], originY + (long) region[1],
            originX + Math.min((long) region[0] + region[2], header.width()),
            originY + Math.min((long) region[1] + region[3], header.height())};
        FileChannel copy = null;
        try (ScratchFile cut = ScratchFile.create(jp2 ? ".jp2" : ".j2k")) {
            int shift = ResolutionCut.write(file, jp2, reduce, canvas, true, cut.path());
            if (shift < 0) return new Session(reduce, file);
            copy = FileChannel.open(cut.path(), StandardOpenOption.WRITE);
            Session s = new Session(reduce - shift, shift, cut.path());
            s.copy = copy;
            codestreamBytes = copy.size();
            copy = null;
            return s;
        } catch (IOException e) {
            return new Session(reduce, file);
        } catch (OpenJpegException e) {
            LOG.warn("OpenJPEG refused the copy of {} cut for reduce {}; reading the whole file: {}", file, reduce,
                    e.getMessage());
            return new Session(reduce, file);
        } finally {
            closeQuietly(copy);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) return;
        try {
            channel.close();
        } catch (IOException e) {
            // nothing held beyond the descriptor, which close releases anyway
        }
    }

    /**
     * Native memory this reader holds, estimated: a single-tile codec that has decoded keeps the codestream it read,
     * code-block structures for the whole tile (about 0.12 bytes per pixel and component; a level copy's tile is the
     * reduced image) and what it decoded last ({@link #DECODED_BYTES}); a tiled one keeps one tile, decoded as 32-bit
     * samples, and its structures.
     */
    public synchronized long nativeBytes() {
        long nc = header.components();
        if (header.tilesX() * header.tilesY() == 1) {
            if (session == null || !session.decoded) return HEADER_BYTES; // the main header only, until a decode
            // a level copy's structures are those of the reduced image
            return HEADER_BYTES + DECODED_BYTES + codestreamBytes
                    + ((long) header.width() * header.height() * nc / 8 >> 2 * session.shift);
        }
        long tile = (long) header.tileWidth() * header.tileHeight() * nc;
        return tile * 4 + tile / 8 + codestreamBytes / ((long) header.tilesX() * header.tilesY());
    }

    /**
     * Decodes the rectangle (x,y,w,h) given in FULL-resolution pixel coordinates (relative to the image origin; clamped to the
     * image), at reduction level {@code reduce} (0 = full resolution; 0 <= reduce < header().resolutions()).
     * The result has size ceil((x+w)/2^reduce) - ceil(x/2^reduce) by the same formula in y (OpenJPEG's own reduced sizes).
     */
    public synchronized Raster decode(int x, int y, int w, int h, int reduce) throws OpenJpegException {
        return decode(x, y, w, h, reduce, Long.MAX_VALUE);
    }

    /**
     * As {@link #decode(int, int, int, int, int)}, but refuses with {@link DecodeLimitException}, before any native call,
     * when OpenJPEG would allocate more than {@code maxSamples} samples for it (see {@link #nativeSamples}).
     */
    public synchronized Raster decode(int x, int y, int w, int h, int reduce, long maxSamples) throws OpenJpegException {
        if (!closed && brokenBy == null && reduce >= 0 && reduce < header.resolutions() && w > 0 && h > 0) {
            long need = nativeSamples(x, y, w, h, reduce);
            if (need > maxSamples) {
                throw new DecodeLimitException("decoding " + w + "x" + h + " at reduce " + reduce + " needs " + need
                        + " samples at once (tiles of " + header.tileWidth() + "x" + header.tileHeight() + ", "
                        + header.components() + " components); the limit is " + maxSamples, need);
            }
        }
        if (closed) {
            throw new IllegalStateException("reader is closed: " + file);
        }
        if (brokenBy != null) {
            throw new OpenJpegException("reader is unusable after an earlier failure (" + brokenBy + "): " + file);
        }
        if (reduce < 0 || reduce >= header.resolutions()) {
            throw new IllegalArgumentException("reduce must be 0.." + (header.resolutions() - 1) + ": " + reduce);
        }
        if (w <= 0 || h <= 0) {
            throw new IllegalArgumentException("empty region " + w + "x" + h);
        }
        // Clamp to the image, then move to absolute reference-grid coordinates.
        int ax0 = originX + (int) clamp(x, 0, header.width());
        int ay0 = originY + (int) clamp(y, 0, header.height());
        int ax1 = originX + (int) clamp((long) x + w, 0, header.width());
        int ay1 = originY + (int) clamp((long) y + h, 0, header.height());
        int ox0 = ceilDivPow2(ax0, reduce);
        int oy0 = ceilDivPow2(ay0, reduce);
        int ox1 = ceilDivPow2(ax1, reduce);
        int oy1 = ceilDivPow2(ay1, reduce);
        if (ox1 <= ox0 || oy1 <= oy0) {
            throw new IllegalArgumentException("region " + x + "," + y + "," + w + "," + h + " is empty in the image at reduce " + reduce);
        }
        if (region != null && (ax0 - originX < region[0] || ay0 - originY < region[1]
                || ax1 - originX > (long) region[0] + region[2] || ay1 - originY > (long) region[1] + region[3])) {
            throw new IllegalArgumentException("area " + x + "," + y + "," + w + "," + h + " is outside this decoder's region "
                    + Arrays.toString(region));
        }
        Output out = new Output(ox0, oy0, ox1 - ox0, oy1 - oy0);
        int[] a = withSamplesOf(ax0, ay0, ax1, ay1, ox0, oy0, ox1, oy1, reduce);
        try {
            if (header.tilesX() * header.tilesY() > 1
                    && (smallPartOfItsTiles(ax0, ay0, ax1, ay1, reduce) || !channels.tileSafe() || tilesMissing)) {
                // By window also: a palette or channel order opj_get_decoded_tile would apply itself (tileSafe), and
                // tiles the codestream lacks, which opj_decode fills as opj_decompress does and the tile decode fails on.
                decodeWindow(a[0], a[1], a[2], a[3], reduce, out);
            } else if (header.tilesX() * header.tilesY() > 1) {
                decodeTiles(a[0], a[1], a[2], a[3], reduce, out);
            } else {
                decodeArea(a[0], a[1], a[2], a[3], reduce, out);
            }
        } catch (OpenJpegException | RuntimeException e) {
            brokenBy = e.getMessage();
            closeSession();
            throw e;
        }
        return out.toRaster();
    }

    /**
     * The area [ax0,ax1) x [ay0,ay1) (reference grid) grown so that its decode holds every sample the output pixels
     * [ox0,ox1) x [oy0,oy1) at {@code reduce} show. A component sub-sampled by dx shows its sample floor(x / dx) at
     * column x (x on the reduced grid), which starts up to dx - 1 columns left of x and is decoded only if the area
     * reaches its first reference column: with an odd image offset or an odd area start it does not by itself. Kept
     * inside the image and inside this decoder's region (at whose edge a cut copy has nothing more to give).
     */
    private int[] withSamplesOf(int ax0, int ay0, int ax1, int ay1, int ox0, int oy0, int ox1, int oy1, int reduce) {
        long x0 = ax0;
        long y0 = ay0;
        long x1 = ax1;
        long y1 = ay1;
        for (int c = 0; c < header.components(); c++) {
            long dx = (long) header.dx()[c] << reduce;
            long dy = (long) header.dy()[c] << reduce;
            if (dx == 1L << reduce && dy == 1L << reduce) continue;
            x0 = Math.min(x0, Math.floorDiv(ox0, header.dx()[c]) * dx);
            y0 = Math.min(y0, Math.floorDiv(oy0, header.dy()[c]) * dy);
            x1 = Math.max(x1, Math.floorDiv(ox1 - 1, header.dx()[c]) * dx + 1);
            y1 = Math.max(y1, Math.floorDiv(oy1 - 1, header.dy()[c]) * dy + 1);
        }
        long lo = originX + (region == null ? 0L : region[0]);
        long top = originY + (region == null ? 0L : region[1]);
        long hi = originX + (region == null ? (long) header.width() : Math.min(header.width(), (long) region[0] + region[2]));
        long bottom = originY + (region == null ? (long) header.height() : Math.min(header.height(), (long) region[1] + region[3]));
        return new int[] {(int) clamp(x0, lo, ax0), (int) clamp(y0, top, ay0), (int) clamp(x1, ax1, hi),
            (int) clamp(y1, ay1, bottom)};
    }

    /**
     * Samples (all components) OpenJPEG allocates to decode the region at {@code reduce}. opj_get_decoded_tile decodes
     * whole tiles, so a tiled file costs one whole tile at that level; a single-tile file is decoded as a window. Either
     * way 2.5.0 first builds code-block structures for every resolution of the tile, whatever the reduce: counted as
     * 1/32 of the full tile's samples (measured: about 0.11 bytes per pixel and component).
     */
    public long nativeSamples(int x, int y, int w, int h, int reduce) {
        long nc = header.components();
        long fullW = Math.min(tileW, header.width());
        long fullH = Math.min(tileH, header.height());
        long structures = fullW * fullH * nc / 32;
        if (header.tilesX() * header.tilesY() > 1) {
            return (long) ceilDivPow2((int) fullW, reduce) * ceilDivPow2((int) fullH, reduce) * nc + structures;
        }
        long ww = ceilDivPow2((int) Math.min(header.width(), Math.max(0L, (long) x) + Math.max(0, w)), reduce)
                - (long) ceilDivPow2((int) Math.min(header.width(), Math.max(0, x)), reduce);
        long wh = ceilDivPow2((int) Math.min(header.height(), Math.max(0L, (long) y) + Math.max(0, h)), reduce)
                - (long) ceilDivPow2((int) Math.min(header.height(), Math.max(0, y)), reduce);
        return Math.max(0, ww) * Math.max(0, wh) * nc + structures;
    }

    /** What the cheapest possible decode (one pixel at the smallest stored level) costs; see {@link #nativeSamples}. */
    public long minimumNativeSamples() {
        return nativeSamples(0, 0, 1, 1, header.resolutions() - 1);
    }

    private void decodeArea(int ax0, int ay0, int ax1, int ay1, int reduce, Output out) throws OpenJpegException {
        if (session.reduce + session.shift != reduce) {
            // Changing the reduce factor on a reused single-tile codec fails after a change or two: start afresh.
            closeSession();
            session = new Session(reduce, file);
            codestreamBytes = fileBytes;
        }
        session.sink.clearErrors();
        int s = session.shift; // a level copy's reference grid is level s's
        if (lib.opj_set_decode_area(session.codec, session.image, ceilDivPow2(ax0, s), ceilDivPow2(ay0, s),
                ceilDivPow2(ax1, s), ceilDivPow2(ay1, s)) == 0) {
            throw session.failure("opj_set_decode_area");
        }
        session.decoded = true;
        if (lib.opj_decode(session.codec, session.stream, session.image) == 0) {
            throw session.failure("opj_decode");
        }
        session.releaseCopy();
        out.copyFrom(session.image, session.reduce, null);
    }

    /**
     * True when the area is less than a quarter of the codestream tiles it touches. opj_get_decoded_tile decodes whole
     * tiles, so a 256x256 view of a 1024x1024 tile would decode sixteen times the pixels it needs (measured: a
     * full-resolution tile took 3x iipsrv's time that way); a window decode touches only the code-blocks inside, but
     * parses the header again, which costs more than a whole small tile on files of thousands of tiles.
     */
    private boolean smallPartOfItsTiles(int ax0, int ay0, int ax1, int ay1, int reduce) {
        long tx0 = (ax0 - tileOriginX) / tileW;
        long tx1 = (ax1 - 1 - tileOriginX) / tileW;
        long ty0 = (ay0 - tileOriginY) / tileH;
        long ty1 = (ay1 - 1 - tileOriginY) / tileH;
        long tilesArea = (tx1 - tx0 + 1) * tileW * (ty1 - ty0 + 1) * tileH;
        return 4L * (ax1 - ax0) * (ay1 - ay0) < tilesArea;
    }

    /**
     * A window decode on a tiled codestream. In 2.5.0 a codec serves one opj_set_decode_area + opj_decode on a
     * multi-tile codestream (a second one fails), so this uses a codec of its own, set up for this reduce and freed at
     * once; the pooled session stays ready for whole-tile decodes.
     */
    private void decodeWindow(int ax0, int ay0, int ax1, int ay1, int reduce, Output out) throws OpenJpegException {
        try (Session window = new Session(reduce, file)) {
            if (lib.opj_set_decode_area(window.codec, window.image, ax0, ay0, ax1, ay1) == 0) {
                throw window.failure("opj_set_decode_area");
            }
            if (lib.opj_decode(window.codec, window.stream, window.image) == 0) {
                throw window.failure("opj_decode");
            }
            out.copyFrom(window.image, reduce, null);
        }
    }

    private void decodeTiles(int ax0, int ay0, int ax1, int ay1, int reduce, Output out) throws OpenJpegException {
        int tx0 = (ax0 - tileOriginX) / tileW;
        int tx1 = (ax1 - 1 - tileOriginX) / tileW;
        int ty0 = (ay0 - tileOriginY) / tileH;
        int ty1 = (ay1 - 1 - tileOriginY) / tileH;
        int imageX1 = originX + header.width();
        int imageY1 = originY + header.height();
        for (int ty = ty0; ty <= ty1; ty++) {
            for (int tx = tx0; tx <= tx1; tx++) {
                // The tile's part of the output, in reduced reference-grid coordinates (of a component not sub-sampled).
                int bx0 = Math.max(tileOriginX + tx * tileW, originX);
                int by0 = Math.max(tileOriginY + ty * tileH, originY);
                int bx1 = (int) Math.min((long) tileOriginX + (long) (tx + 1) * tileW, imageX1);
                int by1 = (int) Math.min((long) tileOriginY + (long) (ty + 1) * tileH, imageY1);
                TileBounds tile = new TileBounds(bx0, by0, bx1, by1, tx == 0, ty == 0, tx == header.tilesX() - 1,
                        ty == header.tilesY() - 1);
                if (bx1 <= bx0 || by1 <= by0 || !tile.showsAny(header, reduce, out)) {
                    continue;   // nothing of it at this level (a reduced tile can be empty) or in the output
                }
                session.sink.clearErrors();
                if (lib.opj_set_decoded_resolution_factor(session.codec, reduce) == 0) {
                    throw session.failure("opj_set_decoded_resolution_factor(" + reduce + ")");
                }
                int index = ty * header.tilesX() + tx;
                if (lib.opj_get_decoded_tile(session.codec, session.stream, session.image, index) == 0) {
                    throw session.failure("opj_get_decoded_tile(" + index + ")");
                }
                out.copyFrom(session.image, reduce, tile);
            }
        }
    }

    /**
     * A codestream tile on the reference grid (cut to the image), and whether it is the first or last of its row and
     * column. Component sample j at reduce r belongs to the tile that holds reference column j * dx * 2^r, so the
     * output columns a tile gives a sub-sampled component are not quite its own columns; beyond the image's first and
     * last sample the nearest one is repeated.
     */
    private record TileBounds(int x0, int y0, int x1, int y1, boolean left, boolean top, boolean right, boolean bottom) {
        /** Whether any component's samples in this tile show in the output. */
        boolean showsAny(Jp2Header h, int reduce, Output out) {
            for (int c = 0; c < h.components(); c++) {
                int[] xs = columns(h.dx()[c], reduce, out.x0, out.x0 + out.w);
                int[] ys = rows(h.dy()[c], reduce, out.y0, out.y0 + out.h);
                if (xs[1] > xs[0] && ys[1] > ys[0]) return true;
            }
            return false;
        }

        /** The tile's output columns (reduced grid) for a component sub-sampled by dx, within [lo, hi). */
        int[] columns(int dx, int reduce, int lo, int hi) {
            return span(x0, x1, left, right, dx, reduce, lo, hi);
        }

        int[] rows(int dy, int reduce, int lo, int hi) {
            return span(y0, y1, top, bottom, dy, reduce, lo, hi);
        }

        private static int[] span(int a0, int a1, boolean first, boolean last, int step, int reduce, int lo, int hi) {
            long unit = (long) step << reduce;
            long from = first ? lo : Math.max(lo, (Integer.toUnsignedLong(a0) + unit - 1) / unit * step);
            long to = last ? hi : Math.min(hi, (Integer.toUnsignedLong(a1) + unit - 1) / unit * step);
            return new int[] {(int) from, (int) to};
        }
    }

    /** The planes being assembled, one per codestream component (OpenJPEG is asked for the raw components). */
    private final class Output {
        final int x0;
        final int y0;
        final int w;
        final int h;
        int[][] planes;

        Output(int x0, int y0, int w, int h) {
            this.x0 = x0;
            this.y0 = y0;
            this.w = w;
            this.h = h;
        }

        /**
         * Copies the decoded image into the output, up-sampling components: all of the output for a window, the
         * columns and rows each component's samples in the tile cover for a tile.
         */
        void copyFrom(Pointer imagePtr, int reduce, TileBounds tile) throws OpenJpegException {
            OpjImage img = new OpjImage(imagePtr);
            int nc = img.numcomps;
            if (nc < 1 || nc > FileCheck.MAX_COMPONENTS || img.comps == null) {
                throw new OpenJpegException("decoder returned " + nc + " components: " + file);
            }
            OpjImageComp[] comps = components(img);
            if (nc != header.components()) {
                throw new OpenJpegException("decoder returned " + nc + " components, the header says "
                        + header.components() + ": " + file);
            }
            if (planes == null) {
                planes = new int[nc][w * h];
            }
            for (int c = 0; c < nc; c++) {
                int[] xs = tile == null ? new int[] {x0, x0 + w} : tile.columns(Math.max(1, comps[c].dx), reduce, x0, x0 + w);
                int[] ys = tile == null ? new int[] {y0, y0 + h} : tile.rows(Math.max(1, comps[c].dy), reduce, y0, y0 + h);
                if (xs[1] > xs[0] && ys[1] > ys[0]) copyComponent(comps[c], c, reduce, xs[0], ys[0], xs[1], ys[1]);
            }
        }

        private void copyComponent(OpjImageComp comp, int c, int reduce, int cx0, int cy0, int cx1, int cy1) throws OpenJpegException {
            int cw = comp.w;
            int ch = comp.h;
            int dx = comp.dx;
            int dy = comp.dy;
            if (comp.data == null || cw <= 0 || ch <= 0 || dx < 1 || dy < 1) {
                // Never hand out a silently black tile.
                throw new OpenJpegException("decoder returned no data for component " + c + " (" + cw + "x" + ch + "): " + file);
            }
            // Origin of the decoded samples on the reduced component grid (comp.x0/y0 stay in full-res component coordinates).
            int sx0 = ceilDivPow2(comp.x0, reduce);
            int sy0 = ceilDivPow2(comp.y0, reduce);
            int rowFirst = clampInt(Math.floorDiv(cy0, dy) - sy0, ch);
            int rowLast = clampInt(Math.floorDiv(cy1 - 1, dy) - sy0, ch);
            int rows = rowLast - rowFirst + 1;
            int[] src = new int[rows * cw];
            comp.data.read((long) rowFirst * cw * 4, src, 0, src.length);
            int[] dst = planes[c];
            int n = cx1 - cx0;
            int firstCol = cx0 - sx0;
            for (int yy = cy0; yy < cy1; yy++) {
                int srow = (clampInt(Math.floorDiv(yy, dy) - sy0, ch) - rowFirst) * cw;
                int drow = (yy - y0) * w + (cx0 - x0);
                if (dx == 1 && firstCol >= 0 && firstCol + n <= cw) {
                    System.arraycopy(src, srow + firstCol, dst, drow, n);
                } else {
                    for (int i = 0; i < n; i++) {
                        dst[drow + i] = src[srow + clampInt(Math.floorDiv(cx0 + i, dx) - sx0, cw)];
                    }
                }
            }
        }

        /** The channels a reader sees (palette, channel definitions; Lab converted to sRGB), opacity last. */
        Raster toRaster() throws OpenJpegException {
            int[][] out = channels.apply(planes, layout);
            int[] precision = layout.precision().clone();
            boolean[] signed = layout.signed().clone();
            Jp2ColorSpace space = colorSpace;
            if (space == Jp2ColorSpace.CIELAB && out.length - (layout.alpha() ? 1 : 0) == 3) {
                lab.toSrgb16(out, precision);
                for (int c = 0; c < 3; c++) {
                    precision[c] = 16;
                    signed[c] = false;
                }
                space = Jp2ColorSpace.SRGB;
            }
            return new Raster(w, h, out, precision, signed, space, layout.alpha());
        }
    }

    private static OpjImageComp[] components(OpjImage img) {
        return (OpjImageComp[]) new OpjImageComp(img.comps).toArray(img.numcomps);
    }

    /** Codec, stream, header image and message sink of one opj_read_header; freed together in {@link #close()}. */
    private final class Session implements AutoCloseable {
        /** The codec's reduce factor. */
        final int reduce;
        /** Levels the codestream it reads is already reduced by (a level copy, {@link ResolutionCut}), else 0. */
        final int shift;
        final MessageSink sink;
        boolean decoded;
        Pointer codec;
        Pointer stream;
        Pointer image;
        /** The deleted cut copy the stream reads, until its data is in OpenJPEG's memory; null for the file. */
        FileChannel copy;

        /**
         * Empties the cut copy once a decode has read it: a single-tile codec keeps the tile's data and does not read
         * its stream again (the decodes after this one check its pixels in ResolutionCutTest).
         */
        void releaseCopy() {
            if (copy == null) return;
            try {
                copy.truncate(0);
            } catch (IOException e) {
                // the space is freed when the stream closes
            }
            closeQuietly(copy);
            copy = null;
        }

        Session(int reduce, Path source) throws OpenJpegException {
            this(reduce, 0, source);
        }

        /**
         * source: the file, or a cut copy of it ({@link ResolutionCut}), whose geometry is that of level
         * {@code shift}; the session then decodes level reduce + shift. Messages name the file.
         */
        Session(int reduce, int shift, Path source) throws OpenJpegException {
            this.reduce = reduce;
            this.shift = shift;
            this.sink = new MessageSink(file.toString());
            try {
                codec = lib.opj_create_decompress(jp2 ? OpenJpegLibrary.OPJ_CODEC_JP2 : OpenJpegLibrary.OPJ_CODEC_J2K);
                if (codec == null) {
                    throw failure("opj_create_decompress");
                }
                sink.attach(lib, codec);
                Memory params = new Memory(DParameters.SIZE);
                params.clear();
                lib.opj_set_default_decoder_parameters(params);
                params.setInt(DParameters.CP_REDUCE, reduce);
                params.setInt(DParameters.CP_LAYER, layers);
                // The components as decoded: ChannelMap applies pclr, cmap and cdef (see there for why). Only
                // opj_decode honours this; opj_get_decoded_tile applies them anyway (see tileSafe()).
                params.setInt(DParameters.FLAGS, params.getInt(DParameters.FLAGS) | DParameters.IGNORE_PCLR_CMAP_CDEF);
                if (lib.opj_setup_decoder(codec, params) == 0) {
                    throw failure("opj_setup_decoder");
                }
                if (lib.opj_decoder_set_strict_mode(codec, 1) == 0) {
                    throw failure("opj_decoder_set_strict_mode");
                }
                // No worker threads: decode on the calling (pool) thread. 1 would start a native worker per codec and
                // hand it every decode (one thread created and joined per window decode); the server parallelises
                // across requests instead. 0 also overrides an OPJ_NUM_THREADS in the environment.
                lib.opj_codec_set_threads(codec, 0);
                stream = lib.opj_stream_create_file_stream(source.toString(), STREAM_BUFFER, 1);
                if (stream == null) {
                    throw failure("opening the file stream");
                }
                PointerByReference ref = new PointerByReference();
                int ok = lib.opj_read_header(stream, codec, ref);
                image = ref.getValue();
                if (ok == 0 || image == null) {
                    throw failure("opj_read_header");
                }
            } catch (OpenJpegException | RuntimeException e) {
                close();
                throw e;
            }
        }

        OpenJpegException failure(String call) {
            return new OpenJpegException(call + " failed for " + file, sink.errors());
        }

        @Override
        public void close() {
            closeQuietly(copy);
            copy = null;
            NativeHandles.free(lib, codec, stream, image);
            codec = null;
            stream = null;
            image = null;
            sink.close();
        }
    }

    private void closeSession() {
        if (session != null) {
            boolean large = session.decoded && header != null && header.tilesX() * header.tilesY() == 1
                    && nativeBytes() >= TRIM_AFTER_BYTES;
            session.close();
            session = null;
            if (large) {
                OpenJpeg.trimNativeHeap();
            }
        }
    }

    /**
     * Idempotent; frees codec, stream and image, and, after a large single-tile codec has decoded, hands the freed
     * memory back to the system ({@link OpenJpeg#trimNativeHeap()}), as a change of reduce does.
     */
    @Override
    public synchronized void close() {
        closeSession();
        closed = true;
    }

    static int ceilDivPow2(int a, int b) {
        return (int) ((Integer.toUnsignedLong(a) + (1L << b) - 1) >> b);
    }

    private static long clamp(long v, long lo, long hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private static int clampInt(int v, int size) {
        return v < 0 ? 0 : Math.min(v, size - 1);
    }
}
