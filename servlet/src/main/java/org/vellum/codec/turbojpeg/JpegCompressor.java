package org.vellum.codec.turbojpeg;

import java.nio.ByteOrder;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * One TurboJPEG compression handle. Not for two threads at once; close it (try-with-resources) and the handle is
 * destroyed. Encodes packed {@code 0xAARRGGBB} pixels straight from their {@code int[]} (no conversion to bytes):
 * colour as baseline JPEG with 4:2:0 chroma subsampling, grey as a one-component JPEG, both with the IJG quality
 * scale and the accurate integer DCT, which is what ImageIO's JPEG writer does with the same quality.
 */
public final class JpegCompressor implements AutoCloseable {
    /** The byte order of an int in memory decides which TurboJPEG format an int[] of ARGB is. */
    private static final int PIXEL_FORMAT = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN
            ? TurboJpegLibrary.TJPF_BGRX : TurboJpegLibrary.TJPF_XRGB;

    private final TurboJpegLibrary lib;
    private Pointer handle;

    JpegCompressor(TurboJpegLibrary lib) throws TurboJpegException {
        this.lib = lib;
        Pointer h = lib.tjInitCompress();
        if (h == null) throw new TurboJpegException("tjInitCompress: " + lib.tjGetErrorStr2(null));
        this.handle = h;
    }

    /**
     * JPEG bytes of the first {@code width * height} pixels of {@code argb} (row-major, alpha ignored).
     *
     * @param grey    write one grey component; the pixels must then have R = G = B, which the RGB to Y conversion
     *                keeps exactly (its weights sum to one in fixed point)
     * @param quality 1..100 on the IJG scale (75 is ImageIO's and iipsrv's default), clamped
     */
    public byte[] compress(int[] argb, int width, int height, boolean grey, int quality) throws TurboJpegException {
        if (handle == null) throw new IllegalStateException("closed");
        if (width <= 0 || height <= 0 || (long) width * height > argb.length || width > Integer.MAX_VALUE / 4) {
            throw new IllegalArgumentException(width + "x" + height + " pixels from an array of " + argb.length);
        }
        int q = Math.max(1, Math.min(100, quality));
        int subsampling = grey ? TurboJpegLibrary.TJSAMP_GRAY : TurboJpegLibrary.TJSAMP_420;
        // Out-parameters: *jpegBuf (NULL: the library allocates) and *jpegSize, freed here, not by the GC.
        try (Memory out = new Memory((long) Native.POINTER_SIZE + Native.LONG_SIZE)) {
            out.clear();
            Pointer sizeRef = out.share(Native.POINTER_SIZE);
            int rc = lib.tjCompress2(handle, argb, width, width * 4, height, PIXEL_FORMAT, out, sizeRef,
                    subsampling, q, 0);
            Pointer jpeg = out.getPointer(0);
            try {
                long size = Native.LONG_SIZE == 8 ? sizeRef.getLong(0) : sizeRef.getInt(0) & 0xFFFFFFFFL;
                if (rc != 0 && (lib.tjGetErrorCode(handle) != TurboJpegLibrary.TJERR_WARNING || jpeg == null
                        || size <= 0)) {
                    throw new TurboJpegException("tjCompress2: " + lib.tjGetErrorStr2(handle));
                }
                if (jpeg == null || size <= 0 || size > Integer.MAX_VALUE - 8) {
                    throw new TurboJpegException("tjCompress2 returned no data (" + size + " bytes)");
                }
                return jpeg.getByteArray(0, (int) size);
            } finally {
                if (jpeg != null) lib.tjFree(jpeg);
            }
        }
    }

    @Override
    public void close() {
        Pointer h = handle;
        handle = null;
        if (h != null) lib.tjDestroy(h);
    }
}
