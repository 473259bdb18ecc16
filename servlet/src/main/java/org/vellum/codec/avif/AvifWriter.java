package org.vellum.codec.avif;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * AVIF (8-bit, one still AV1 image) from packed {@code 0xAARRGGBB} pixels: colour as YUV 4:2:0, grey as YUV 4:0:0,
 * both full range with sRGB's CICP (BT.709 primaries, sRGB transfer, BT.601 matrix), and the ICC profile when one is
 * given. Every native object of an encode (image, encoder, output) is freed before {@link #encode} returns, so the
 * object itself owns nothing and any thread may use it.
 */
public final class AvifWriter {
    /** An int[] of ARGB in memory: B,G,R,A on a little-endian machine, A,R,G,B on a big-endian one. */
    private static final int RGB_FORMAT = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN
            ? AvifLibrary.AVIF_RGB_FORMAT_BGRA : AvifLibrary.AVIF_RGB_FORMAT_ARGB;

    private final AvifLibrary lib;

    AvifWriter(AvifLibrary lib) {
        this.lib = lib;
    }

    /**
     * An AVIF file of the first {@code width * height} pixels of {@code argb} (row-major).
     *
     * @param grey    write luma only; the pixels must then have R = G = B
     * @param alpha   keep the pixels' alpha (an alpha plane); otherwise alpha is ignored
     * @param quality 1..100, clamped, mapped linearly onto AV1's quantizer 63..0 (used as both its minimum and maximum)
     * @param speed   0..10, clamped, 10 fastest
     * @param icc     an ICC profile to embed, or null for none
     */
    public byte[] encode(int[] argb, int width, int height, boolean grey, boolean alpha, int quality, int speed,
                         byte[] icc) throws AvifException {
        if (width <= 0 || height <= 0 || (long) width * height > argb.length || width > Integer.MAX_VALUE / 4) {
            throw new IllegalArgumentException(width + "x" + height + " pixels from an array of " + argb.length);
        }
        int quantizer = quantizer(quality);
        Pointer image = lib.avifImageCreate(width, height, 8,
                grey ? AvifLibrary.AVIF_PIXEL_FORMAT_YUV400 : AvifLibrary.AVIF_PIXEL_FORMAT_YUV420);
        if (image == null) throw new AvifException("avifImageCreate failed for " + width + "x" + height);
        Pointer encoder = null;
        try (Memory pixels = new Memory((long) width * height * 4);
             Memory rgb = new Memory(AvifLibrary.SIZEOF_RGB_IMAGE);
             Memory out = new Memory(AvifLibrary.SIZEOF_RWDATA)) {
            out.clear();
            try {
                image.setInt(AvifLibrary.IMAGE_YUV_RANGE, AvifLibrary.AVIF_RANGE_FULL);
                image.setShort(AvifLibrary.IMAGE_COLOR_PRIMARIES, AvifLibrary.AVIF_COLOR_PRIMARIES_BT709);
                image.setShort(AvifLibrary.IMAGE_TRANSFER_CHARACTERISTICS,
                        AvifLibrary.AVIF_TRANSFER_CHARACTERISTICS_SRGB);
                image.setShort(AvifLibrary.IMAGE_MATRIX_COEFFICIENTS, AvifLibrary.AVIF_MATRIX_COEFFICIENTS_BT601);
                if (icc != null && icc.length > 0) lib.avifImageSetProfileICC(image, icc, new NativeLong(icc.length));

                pixels.write(0, argb, 0, width * height);
                rgb.clear();
                lib.avifRGBImageSetDefaults(rgb, image);
                rgb.setInt(AvifLibrary.RGB_FORMAT, RGB_FORMAT);
                rgb.setInt(AvifLibrary.RGB_IGNORE_ALPHA, alpha ? 0 : 1);
                rgb.setPointer(AvifLibrary.RGB_PIXELS, pixels);
                rgb.setInt(AvifLibrary.RGB_ROW_BYTES, width * 4);
                check("avifImageRGBToYUV", lib.avifImageRGBToYUV(image, rgb), null);

                encoder = lib.avifEncoderCreate();
                if (encoder == null) throw new AvifException("avifEncoderCreate failed");
                encoder.setInt(AvifLibrary.ENCODER_MAX_THREADS, 1);   // one request, one thread: requests run in parallel
                encoder.setInt(AvifLibrary.ENCODER_SPEED, Math.max(AvifLibrary.AVIF_SPEED_SLOWEST,
                        Math.min(AvifLibrary.AVIF_SPEED_FASTEST, speed)));
                encoder.setInt(AvifLibrary.ENCODER_MIN_QUANTIZER, quantizer);
                encoder.setInt(AvifLibrary.ENCODER_MAX_QUANTIZER, quantizer);
                check("avifEncoderWrite", lib.avifEncoderWrite(encoder, image, out), encoder);
                Pointer data = out.getPointer(AvifLibrary.RWDATA_DATA);
                long n = out.getLong(AvifLibrary.RWDATA_SIZE);
                if (data == null || n <= 0 || n > Integer.MAX_VALUE - 8) {
                    throw new AvifException("avifEncoderWrite returned no data");
                }
                return data.getByteArray(0, (int) n);
            } finally {
                if (out.getPointer(AvifLibrary.RWDATA_DATA) != null) lib.avifRWDataFree(out);
            }
        } finally {
            if (encoder != null) lib.avifEncoderDestroy(encoder);
            lib.avifImageDestroy(image);
        }
    }

    /** Quality 100 is quantizer 0 (AV1's best), quality 1 is 62, linearly, rounded. */
    static int quantizer(int quality) {
        int q = Math.max(1, Math.min(100, quality));
        return ((100 - q) * AvifLibrary.AVIF_QUANTIZER_WORST_QUALITY + 50) / 100;
    }

    private void check(String call, int result, Pointer encoder) throws AvifException {
        if (result == AvifLibrary.AVIF_RESULT_OK) return;
        String detail = "";
        if (encoder != null) {
            byte[] diag = encoder.getByteArray(AvifLibrary.ENCODER_DIAG_ERROR,
                    AvifLibrary.DIAGNOSTICS_ERROR_BUFFER_SIZE);
            int end = 0;
            while (end < diag.length && diag[end] != 0) end++;
            if (end > 0) detail = " (" + new String(diag, 0, end, StandardCharsets.UTF_8) + ")";
        }
        throw new AvifException(call + ": " + lib.avifResultToString(result) + detail);
    }
}
