package org.vellum.codec.openjpeg;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import org.vellum.codec.openjpeg.OpenJpegLibrary.CParameters;
import org.vellum.codec.openjpeg.OpenJpegLibrary.OpjImage;
import org.vellum.codec.openjpeg.OpenJpegLibrary.OpjImageCmptparm;
import org.vellum.codec.openjpeg.OpenJpegLibrary.OpjImageComp;
import org.vellum.util.Ints;

/**
 * Encodes JPEG 2000 files tile by tile ({@code opj_image_tile_create} + {@code opj_write_tile}), pulling one tile of pixels at a
 * time from a {@link PixelSource}, so heap use is about one tile whatever the image size.
 * Layout: RPCL, SOP, custom precincts (256 at the two highest resolutions, 128 below), 64x64 code blocks, tile-parts per
 * resolution, PLT and (when at most 10921 tile-parts) TLM markers, MCT for RGB. The file appears atomically when complete.
 */
public final class Jp2Writer {
    private static final int MAX_TLM_TILE_PARTS = 10921;
    /** Tiles above this many pixels are pulled from the source in bands of about this many pixels. */
    static final long BAND_PIXELS = 1 << 20;

    private Jp2Writer() { }

    public static void write(Path out, int width, int height, int components, int precision, boolean signed,
                             Jp2EncodeOptions options, PixelSource source) throws OpenJpegException {
        write(out, width, height, components, precision, signed, null, null, null, options, source);
    }

    /** 8-bit gray, gray+alpha (2 components), RGB or ARGB; 16-bit gray images keep their 16 bits. */
    public static void write(Path out, BufferedImage image, Jp2EncodeOptions options) throws OpenJpegException {
        ColorModel cm = image.getColorModel();
        WritableRaster raster = image.getRaster();
        boolean gray = cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY && cm.getNumColorComponents() == 1;
        int w = image.getWidth();
        int h = image.getHeight();
        if (gray && raster.getNumBands() == cm.getNumComponents()) {
            // Raw samples: getRGB would apply Java's linear-gray to sRGB conversion.
            int bands = raster.getNumBands();
            int bits = 0;
            for (int b = 0; b < bands; b++) {
                bits = Math.max(bits, cm.getComponentSize(b));
            }
            int precision = bits <= 8 ? 8 : 16;
            write(out, w, h, bands, precision, false, options, (x, y, rw, rh, planes) -> {
                for (int b = 0; b < bands; b++) {
                    raster.getSamples(x, y, rw, rh, b, planes[b]);
                }
            });
            return;
        }
        boolean alpha = cm.hasAlpha();
        write(out, w, h, alpha ? 4 : 3, 8, false, options, (x, y, rw, rh, planes) -> {
            int[] argb = image.getRGB(x, y, rw, rh, null, 0, rw);
            for (int i = 0; i < argb.length; i++) {
                int p = argb[i];
                planes[0][i] = p >> 16 & 0xFF;
                planes[1][i] = p >> 8 & 0xFF;
                planes[2][i] = p & 0xFF;
                if (alpha) {
                    planes[3][i] = p >>> 24;
                }
            }
        });
    }

    /**
     * The general form. {@code dx}/{@code dy} (null = all 1) sub-sample components: the source still fills full-resolution
     * planes and component c keeps the sample at every (dx, dy)-th grid position. {@code colorSpace} null means GRAY for 1-2
     * components and SRGB for 3-4; the last of 2 or 4 components is alpha unless the space is CMYK. The codestream MCT is
     * used only for SRGB with equally sampled first three components.
     */
    public static void write(Path out, int width, int height, int components, int precision, boolean signed,
                             int[] dx, int[] dy, Jp2ColorSpace colorSpace, Jp2EncodeOptions options, PixelSource source)
            throws OpenJpegException {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("image size " + width + "x" + height);
        }
        if (components < 1 || components > FileCheck.MAX_COMPONENTS) {
            throw new IllegalArgumentException("components must be 1.." + FileCheck.MAX_COMPONENTS + ": " + components);
        }
        if (precision < 1 || precision > 16) {
            throw new IllegalArgumentException("precision must be 1..16: " + precision);
        }
        int[] sx = dx == null ? ones(components) : dx.clone();
        int[] sy = dy == null ? ones(components) : dy.clone();
        if (sx.length != components || sy.length != components) {
            throw new IllegalArgumentException("dx/dy need one entry per component");
        }
        for (int c = 0; c < components; c++) {
            if (sx[c] < 1 || sy[c] < 1 || sx[c] > FileCheck.MAX_SUBSAMPLING || sy[c] > FileCheck.MAX_SUBSAMPLING) {
                throw new IllegalArgumentException("sub-sampling must be 1.." + FileCheck.MAX_SUBSAMPLING);
            }
        }
        Jp2ColorSpace space = colorSpace != null ? colorSpace : components <= 2 ? Jp2ColorSpace.GRAY : Jp2ColorSpace.SRGB;
        boolean alpha = (components == 2 || components == 4) && space != Jp2ColorSpace.CMYK;
        new Encoding(out, width, height, components, precision, signed, sx, sy, space, alpha, options, source).run();
    }

    /** DWT levels actually used: at most {@code requested}, and the smallest level of a (component) tile stays >= 1 px. */
    static int effectiveLevels(int requested, int tileW, int tileH, int[] dx, int[] dy) {
        int side = Integer.MAX_VALUE;
        for (int c = 0; c < dx.length; c++) {
            side = Math.min(side, Math.min((int) Ints.ceilDiv(tileW, dx[c]), (int) Ints.ceilDiv(tileH, dy[c])));
        }
        int max = 31 - Integer.numberOfLeadingZeros(Math.max(1, side));
        return Math.max(0, Math.min(requested, max));
    }

    /** Compression ratio per layer: each earlier layer halves the rate; the last one (1) means no cap. */
    static float[] layerRates(int layers) {
        float[] rates = new float[layers];
        for (int i = 0; i < layers - 1; i++) {
            rates[i] = (float) Math.pow(2, layers - i);
        }
        rates[layers - 1] = 1f;
        return rates;
    }

    private static int[] ones(int n) {
        int[] a = new int[n];
        Arrays.fill(a, 1);
        return a;
    }

    /** One encode: owns codec, stream, image and tile buffer, all freed in {@link #close()}. */
    private static final class Encoding implements AutoCloseable {
        private final OpenJpegLibrary lib = OpenJpeg.lib();
        private final Path out;
        private final Path tmp;
        private final int width;
        private final int height;
        private final int nc;
        private final int precision;
        private final boolean signed;
        private final int[] dx;
        private final int[] dy;
        private final Jp2ColorSpace space;
        private final boolean alpha;
        private final Jp2EncodeOptions options;
        private final PixelSource source;
        private final MessageSink sink;
        private Pointer codec;
        private Pointer stream;
        private Pointer image;

        Encoding(Path out, int width, int height, int nc, int precision, boolean signed, int[] dx, int[] dy,
                 Jp2ColorSpace space, boolean alpha, Jp2EncodeOptions options, PixelSource source) {
            this.out = out;
            this.tmp = out.resolveSibling(out.getFileName() + ".part-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
            this.width = width;
            this.height = height;
            this.nc = nc;
            this.precision = precision;
            this.signed = signed;
            this.dx = dx;
            this.dy = dy;
            this.space = space;
            this.alpha = alpha;
            this.options = options;
            this.source = source;
            this.sink = new MessageSink(out.toString());
        }

        void run() throws OpenJpegException {
            boolean done = false;
            try {
                encode();
                close();
                Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                done = true;
            } catch (IOException e) {
                throw new OpenJpegException("cannot write " + out + ": " + e, e);
            } finally {
                close();
                if (!done) {
                    try {
                        Files.deleteIfExists(tmp);
                    } catch (IOException ignored) {
                        // best effort: the temporary file is named so that it never shadows a real image
                    }
                }
            }
        }

        private void encode() throws OpenJpegException {
            int tile = options.tileSize();
            int tdx = tile > 0 ? Math.min(tile, width) : width;
            int tdy = tile > 0 ? Math.min(tile, height) : height;
            int tilesX = (int) Ints.ceilDiv(width, tdx);
            int tilesY = (int) Ints.ceilDiv(height, tdy);
            int levels = effectiveLevels(options.levels(), tdx, tdy, dx, dy);
            int numres = levels + 1;
            int layers = options.qualityLayers();

            codec = lib.opj_create_compress(options.jp2() ? OpenJpegLibrary.OPJ_CODEC_JP2 : OpenJpegLibrary.OPJ_CODEC_J2K);
            if (codec == null) {
                throw failure("opj_create_compress");
            }
            sink.attach(lib, codec);

            Memory p = new Memory(CParameters.SIZE);
            p.clear();
            lib.opj_set_default_encoder_parameters(p);
            p.setInt(CParameters.TILE_SIZE_ON, 1);
            p.setInt(CParameters.CP_TX0, 0);
            p.setInt(CParameters.CP_TY0, 0);
            p.setInt(CParameters.CP_TDX, tdx);
            p.setInt(CParameters.CP_TDY, tdy);
            p.setInt(CParameters.CP_DISTO_ALLOC, 1);
            p.setInt(CParameters.TCP_NUMLAYERS, layers);
            float[] rates = layerRates(layers);
            p.write(CParameters.TCP_RATES, rates, 0, rates.length);
            p.setInt(CParameters.NUMRESOLUTION, numres);
            p.setInt(CParameters.CBLOCKW_INIT, 64);
            p.setInt(CParameters.CBLOCKH_INIT, 64);
            p.setInt(CParameters.IRREVERSIBLE, options.lossless() ? 0 : 1);
            p.setInt(CParameters.CSTY, p.getInt(CParameters.CSTY) | OpenJpegLibrary.J2K_CCP_CSTY_PRT | OpenJpegLibrary.J2K_CP_CSTY_SOP);
            p.setInt(CParameters.PROG_ORDER, OpenJpegLibrary.OPJ_RPCL);
            // One precinct size per resolution, highest first, so OpenJPEG does not halve the last entry for the rest.
            p.setInt(CParameters.RES_SPEC, numres);
            for (int r = 0; r < numres; r++) {
                int size = r < 2 ? 256 : 128;
                p.setInt(CParameters.PRCW_INIT + 4L * r, size);
                p.setInt(CParameters.PRCH_INIT + 4L * r, size);
            }
            p.setByte(CParameters.TP_ON, (byte) 1);
            p.setByte(CParameters.TP_FLAG, (byte) 'R');
            boolean mct = nc >= 3 && space == Jp2ColorSpace.SRGB
                    && dx[0] == dx[1] && dx[1] == dx[2] && dy[0] == dy[1] && dy[1] == dy[2];
            p.setByte(CParameters.TCP_MCT, (byte) (mct ? 1 : 0));

            OpjImageCmptparm[] parms = (OpjImageCmptparm[]) new OpjImageCmptparm().toArray(nc);
            for (int c = 0; c < nc; c++) {
                parms[c].dx = dx[c];
                parms[c].dy = dy[c];
                parms[c].w = (int) Ints.ceilDiv(width, dx[c]);
                parms[c].h = (int) Ints.ceilDiv(height, dy[c]);
                parms[c].prec = precision;
                parms[c].bpp = precision;
                parms[c].sgnd = signed ? 1 : 0;
            }
            image = lib.opj_image_tile_create(nc, parms, space.toNative());
            if (image == null) {
                throw failure("opj_image_tile_create");
            }
            OpjImage img = new OpjImage(image);
            img.x0 = 0;
            img.y0 = 0;
            img.x1 = width;
            img.y1 = height;
            img.write();
            if (alpha) {
                // Makes OpenJPEG write a cdef box marking the last component as opacity.
                OpjImageComp[] comps = (OpjImageComp[]) new OpjImageComp(img.comps).toArray(nc);
                comps[nc - 1].alpha = 1;
                comps[nc - 1].writeField("alpha");
            }

            if (lib.opj_setup_encoder(codec, p, image) == 0) {
                throw failure("opj_setup_encoder");
            }
            boolean tlm = (long) tilesX * tilesY * numres <= MAX_TLM_TILE_PARTS;
            String[] extra = tlm ? new String[] {"PLT=YES", "TLM=YES"} : new String[] {"PLT=YES"};
            if (lib.opj_encoder_set_extra_options(codec, extra) == 0) {
                throw failure("opj_encoder_set_extra_options");
            }
            if (lib.opj_has_thread_support() != 0) {
                lib.opj_codec_set_threads(codec, Math.max(1, Runtime.getRuntime().availableProcessors()));
            }
            stream = lib.opj_stream_create_default_file_stream(tmp.toString(), 0);
            if (stream == null) {
                throw failure("opening " + tmp + " for writing");
            }
            if (lib.opj_start_compress(codec, image, stream) == 0) {
                throw failure("opj_start_compress");
            }
            writeTiles(tdx, tdy, tilesX, tilesY);
            if (lib.opj_end_compress(codec, stream) == 0) {
                throw failure("opj_end_compress");
            }
        }

        private void writeTiles(int tdx, int tdy, int tilesX, int tilesY) throws OpenJpegException {
            int bytes = precision <= 8 ? 1 : 2;
            long capacity = 0;
            for (int c = 0; c < nc; c++) {
                capacity += (long) (int) Ints.ceilDiv(tdx, dx[c]) * (int) Ints.ceilDiv(tdy, dy[c]) + (int) Ints.ceilDiv(tdy, dy[c]) + (int) Ints.ceilDiv(tdx, dx[c]) + 1;
            }
            Memory buffer = new Memory(capacity * bytes);
            int[][] planes = new int[nc][];
            for (int ty = 0; ty < tilesY; ty++) {
                for (int tx = 0; tx < tilesX; tx++) {
                    int x0 = tx * tdx;
                    int y0 = ty * tdy;
                    int x1 = Math.min(x0 + tdx, width);
                    int y1 = Math.min(y0 + tdy, height);
                    int tw = x1 - x0;
                    int th = y1 - y0;
                    long offset;
                    if ((long) tw * th > BAND_PIXELS && notSubsampled()) {
                        offset = packInBands(buffer, bytes, planes, x0, y0, tw, th);
                    } else {
                        for (int c = 0; c < nc; c++) {
                            if (planes[c] == null || planes[c].length != tw * th) {
                                planes[c] = new int[tw * th];
                            }
                        }
                        source.read(x0, y0, tw, th, planes);
                        offset = 0;
                        for (int c = 0; c < nc; c++) {
                            offset = pack(buffer, offset, bytes, planes[c], tw, th, x0, y0, x1, y1, dx[c], dy[c]);
                        }
                    }
                    int index = ty * tilesX + tx;
                    if (lib.opj_write_tile(codec, index, buffer, (int) offset, stream) == 0) {
                        throw failure("opj_write_tile(" + index + ")");
                    }
                }
            }
        }

        private boolean notSubsampled() {
            for (int c = 0; c < nc; c++) {
                if (dx[c] != 1 || dy[c] != 1) return false;
            }
            return true;
        }

        /**
         * Reads a large tile from the source in bands of rows and packs each band straight into its place in the
         * tile buffer (component after component, as opj_write_tile wants), so the heap holds one band, not the tile:
         * a single-tile 16000x12000 RGB image would otherwise need 2.3 GB of int planes. OpenJPEG still keeps the
         * whole tile in native memory while it encodes it. Returns the bytes written.
         */
        private long packInBands(Memory buffer, int bytes, int[][] planes, int x0, int y0, int tw, int th) {
            int rows = (int) Math.max(1, BAND_PIXELS / tw);
            long planeBytes = (long) tw * th * bytes;
            for (int b0 = 0; b0 < th; b0 += rows) {
                int bh = Math.min(rows, th - b0);
                int n = tw * bh;
                for (int c = 0; c < nc; c++) {
                    if (planes[c] == null || planes[c].length != n) {
                        planes[c] = new int[n];
                    }
                }
                source.read(x0, y0 + b0, tw, bh, planes);
                for (int c = 0; c < nc; c++) {
                    long at = c * planeBytes + (long) b0 * tw * bytes;
                    if (bytes == 1) {
                        byte[] b = new byte[n];
                        for (int i = 0; i < n; i++) b[i] = (byte) planes[c][i];
                        buffer.write(at, b, 0, n);
                    } else {
                        short[] v = new short[n];
                        for (int i = 0; i < n; i++) v[i] = (short) planes[c][i];
                        buffer.write(at, v, 0, n);
                    }
                }
            }
            return nc * planeBytes;
        }

        /** Writes one component of the tile at {@code offset}; the component keeps every (dx,dy)-th full-resolution sample. */
        private static long pack(Memory buffer, long offset, int bytes, int[] plane, int tw, int th,
                                 int x0, int y0, int x1, int y1, int dx, int dy) {
            int cx0 = (int) Ints.ceilDiv(x0, dx);
            int cy0 = (int) Ints.ceilDiv(y0, dy);
            int cw = (int) Ints.ceilDiv(x1, dx) - cx0;
            int ch = (int) Ints.ceilDiv(y1, dy) - cy0;
            int n = cw * ch;
            if (bytes == 1) {
                byte[] b = new byte[n];
                int i = 0;
                for (int r = 0; r < ch; r++) {
                    int row = Math.min((cy0 + r) * dy - y0, th - 1) * tw;
                    for (int q = 0; q < cw; q++) {
                        b[i++] = (byte) plane[row + Math.min((cx0 + q) * dx - x0, tw - 1)];
                    }
                }
                buffer.write(offset, b, 0, n);
            } else {
                short[] s = new short[n];
                int i = 0;
                for (int r = 0; r < ch; r++) {
                    int row = Math.min((cy0 + r) * dy - y0, th - 1) * tw;
                    for (int q = 0; q < cw; q++) {
                        s[i++] = (short) plane[row + Math.min((cx0 + q) * dx - x0, tw - 1)];
                    }
                }
                buffer.write(offset, s, 0, n);
            }
            return offset + (long) n * bytes;
        }

        private OpenJpegException failure(String call) {
            return new OpenJpegException(call + " failed while writing " + out, sink.errors());
        }

        @Override
        public void close() {
            NativeHandles.free(lib, codec, stream, image);
            codec = null;
            stream = null;
            image = null;
            sink.close();
        }
    }
}
