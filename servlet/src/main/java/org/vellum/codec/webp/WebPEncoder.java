package org.vellum.codec.webp;

import java.nio.ByteOrder;

import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * Lossy WebP from packed {@code 0xAARRGGBB} pixels, with an ICC profile in an {@code ICCP} chunk when one is given.
 * Every native buffer of an encode (the bitstream, the mux object, the assembled file) is freed before
 * {@link #encode} returns, so the object itself owns nothing and any thread may use it.
 */
public final class WebPEncoder {
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    private static final byte[] ICCP = {'I', 'C', 'C', 'P'};
    /** The largest side a WebP (VP8) frame can state. */
    public static final int MAX_SIDE = 16383;

    private final WebPLibrary lib;
    private final WebPMuxLibrary mux;

    WebPEncoder(WebPLibrary lib, WebPMuxLibrary mux) {
        this.lib = lib;
        this.mux = mux;
    }

    /**
     * A WebP file of the first {@code width * height} pixels of {@code argb} (row-major).
     *
     * @param alpha   keep the pixels' alpha; otherwise every pixel is written opaque (the bytes may hold anything)
     * @param quality 1..100 on libwebp's scale, clamped
     * @param icc     an ICC profile to embed, or null for none
     */
    public byte[] encode(int[] argb, int width, int height, boolean alpha, int quality, byte[] icc)
            throws WebPException {
        if (width <= 0 || height <= 0 || (long) width * height > argb.length) {
            throw new IllegalArgumentException(width + "x" + height + " pixels from an array of " + argb.length);
        }
        if (width > MAX_SIDE || height > MAX_SIDE) {
            throw new WebPException("WebP holds at most " + MAX_SIDE + " pixels a side, not " + width + "x" + height);
        }
        int n = width * height;
        int[] px = new int[n];
        for (int i = 0; i < n; i++) {
            int v = alpha ? argb[i] : argb[i] | 0xFF000000;
            px[i] = LITTLE_ENDIAN ? v : Integer.rotateLeft(v, 8);     // memory order B,G,R,A or R,G,B,A
        }
        float q = Math.max(1, Math.min(100, quality));
        Pointer bitstream = null;
        try (Memory out = new Memory(Native.POINTER_SIZE)) {
            out.clear();
            NativeLong size = LITTLE_ENDIAN ? lib.WebPEncodeBGRA(px, width, height, width * 4, q, out)
                    : lib.WebPEncodeRGBA(px, width, height, width * 4, q, out);
            bitstream = out.getPointer(0);
            if (bitstream == null || size.longValue() <= 0 || size.longValue() > Integer.MAX_VALUE - 8) {
                throw new WebPException("WebPEncode failed for " + width + "x" + height + " pixels");
            }
            if (icc == null || icc.length == 0) return bitstream.getByteArray(0, (int) size.longValue());
            return withProfile(bitstream, size, icc);
        } finally {
            if (bitstream != null) lib.WebPFree(bitstream);
        }
    }

    /** The WebP file rebuilt by the mux library with an ICCP chunk (and the VP8X header it needs). */
    private byte[] withProfile(Pointer bitstream, NativeLong size, byte[] icc) throws WebPException {
        Pointer m = mux.WebPNewInternal(WebPMuxLibrary.WEBP_MUX_ABI_VERSION);
        if (m == null) throw new WebPException("WebPNewInternal: no memory or an incompatible libwebpmux");
        // three WebPData: the image, the profile, the assembled file
        try (Memory data = new Memory(3 * WebPMuxLibrary.SIZEOF_WEBPDATA); Memory profile = new Memory(icc.length)) {
            data.clear();
            profile.write(0, icc, 0, icc.length);
            Pointer image = data.share(0, WebPMuxLibrary.SIZEOF_WEBPDATA);
            Pointer chunk = data.share(WebPMuxLibrary.SIZEOF_WEBPDATA, WebPMuxLibrary.SIZEOF_WEBPDATA);
            Pointer assembled = data.share(2 * WebPMuxLibrary.SIZEOF_WEBPDATA, WebPMuxLibrary.SIZEOF_WEBPDATA);
            image.setPointer(WebPMuxLibrary.WEBPDATA_BYTES, bitstream);
            image.setLong(WebPMuxLibrary.WEBPDATA_SIZE, size.longValue());
            chunk.setPointer(WebPMuxLibrary.WEBPDATA_BYTES, profile);
            chunk.setLong(WebPMuxLibrary.WEBPDATA_SIZE, icc.length);
            try {
                check("WebPMuxSetImage", mux.WebPMuxSetImage(m, image, 1));
                check("WebPMuxSetChunk(ICCP)", mux.WebPMuxSetChunk(m, ICCP, chunk, 1));
                check("WebPMuxAssemble", mux.WebPMuxAssemble(m, assembled));
                Pointer bytes = assembled.getPointer(WebPMuxLibrary.WEBPDATA_BYTES);
                long n = assembled.getLong(WebPMuxLibrary.WEBPDATA_SIZE);
                if (bytes == null || n <= 0 || n > Integer.MAX_VALUE - 8) {
                    throw new WebPException("WebPMuxAssemble returned no data");
                }
                return bytes.getByteArray(0, (int) n);
            } finally {
                // WebPMuxAssemble's output is the caller's even on failure (WebPDataClear is WebPFree of its bytes)
                Pointer bytes = assembled.getPointer(WebPMuxLibrary.WEBPDATA_BYTES);
                if (bytes != null) lib.WebPFree(bytes);
            }
        } finally {
            mux.WebPMuxDelete(m);
        }
    }

    private static void check(String call, int rc) throws WebPException {
        if (rc != WebPMuxLibrary.WEBP_MUX_OK) throw new WebPException(call + ": WebPMuxError " + rc);
    }
}
