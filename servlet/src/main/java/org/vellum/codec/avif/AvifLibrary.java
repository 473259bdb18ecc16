package org.vellum.codec.avif;

import com.sun.jna.Library;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * Raw JNA mapping of the encoding half of avif.h as libavif 0.11 declares it (Debian {@code libavif15}), one to one and
 * nothing clever: the functions Vellum calls, and the offsets of the struct fields it reads or writes (their layout
 * changed in libavif 1.0, which is why {@link Avif} loads only 0.11). Structs are {@link Pointer}s, {@code size_t} a
 * native long (LP64), {@code avifBool} and enums {@code int}, {@code uint16_t} {@code short}. Only {@link Avif} loads
 * this and only {@link AvifWriter} calls it.
 */
public interface AvifLibrary extends Library {

    int AVIF_QUANTIZER_BEST_QUALITY = 0;
    int AVIF_QUANTIZER_WORST_QUALITY = 63;
    int AVIF_SPEED_DEFAULT = -1;
    int AVIF_SPEED_SLOWEST = 0;
    int AVIF_SPEED_FASTEST = 10;

    // avifResult
    int AVIF_RESULT_OK = 0;

    // avifPixelFormat
    int AVIF_PIXEL_FORMAT_NONE = 0;
    int AVIF_PIXEL_FORMAT_YUV444 = 1;
    int AVIF_PIXEL_FORMAT_YUV422 = 2;
    int AVIF_PIXEL_FORMAT_YUV420 = 3;
    int AVIF_PIXEL_FORMAT_YUV400 = 4;

    // avifRange
    int AVIF_RANGE_LIMITED = 0;
    int AVIF_RANGE_FULL = 1;

    // CICP values (ITU-T H.273) used here
    short AVIF_COLOR_PRIMARIES_BT709 = 1;
    short AVIF_TRANSFER_CHARACTERISTICS_SRGB = 13;
    short AVIF_MATRIX_COEFFICIENTS_BT601 = 6;

    // avifRGBFormat
    int AVIF_RGB_FORMAT_RGB = 0;
    int AVIF_RGB_FORMAT_RGBA = 1;
    int AVIF_RGB_FORMAT_ARGB = 2;
    int AVIF_RGB_FORMAT_BGR = 3;
    int AVIF_RGB_FORMAT_BGRA = 4;
    int AVIF_RGB_FORMAT_ABGR = 5;

    // avifCodecChoice, avifCodecFlag
    int AVIF_CODEC_CHOICE_AUTO = 0;
    int AVIF_CODEC_FLAG_CAN_DECODE = 1;
    int AVIF_CODEC_FLAG_CAN_ENCODE = 2;

    // The structs Vellum reads or writes a field of, as byte offsets on LP64 (8-byte pointers and size_t, 4-byte int
    // and enums): Memory, not JNA Structures, because Structures leave thread-local state on the calling thread, a
    // request thread that outlives the bundle. AvifLayoutTest checks every offset against a Structure mirror of the
    // header's declarations.

    /** {@code typedef struct avifRWData { uint8_t * data; size_t size; } avifRWData;} */
    long RWDATA_DATA = 0;
    long RWDATA_SIZE = 8;
    long SIZEOF_RWDATA = 16;

    /**
     * {@code avifImage}, as far as {@code colorPrimaries}, {@code transferCharacteristics}, {@code matrixCoefficients}
     * ({@code uint16_t} each): width, height, depth, yuvFormat, yuvRange, yuvChromaSamplePosition, yuvPlanes[3],
     * yuvRowBytes[3], imageOwnsYUVPlanes, alphaPlane, alphaRowBytes, imageOwnsAlphaPlane, alphaPremultiplied, icc
     * (avifRWData), then the CICP fields.
     */
    long IMAGE_YUV_RANGE = 16;
    long IMAGE_COLOR_PRIMARIES = 104;
    long IMAGE_TRANSFER_CHARACTERISTICS = 106;
    long IMAGE_MATRIX_COEFFICIENTS = 108;

    /**
     * {@code avifRGBImage}: width, height, depth, format, chromaUpsampling, chromaDownsampling, avoidLibYUV,
     * ignoreAlpha, alphaPremultiplied, isFloat ({@code uint32_t}/enum/avifBool each), {@code uint8_t * pixels},
     * {@code uint32_t rowBytes}.
     */
    long RGB_FORMAT = 12;
    long RGB_IGNORE_ALPHA = 28;
    long RGB_PIXELS = 40;
    long RGB_ROW_BYTES = 48;
    long SIZEOF_RGB_IMAGE = 56;

    /**
     * {@code avifEncoder}: codecChoice, maxThreads, speed, keyframeInterval ({@code int} each), {@code uint64_t
     * timescale}, minQuantizer, maxQuantizer, minQuantizerAlpha, maxQuantizerAlpha, tileRowsLog2, tileColsLog2,
     * autoTiling, {@code avifIOStats ioStats} (two size_t), {@code avifDiagnostics diag} ({@code char error[256]}), ...
     */
    long ENCODER_MAX_THREADS = 4;
    long ENCODER_SPEED = 8;
    long ENCODER_MIN_QUANTIZER = 24;
    long ENCODER_MAX_QUANTIZER = 28;
    long ENCODER_DIAG_ERROR = 72;
    int DIAGNOSTICS_ERROR_BUFFER_SIZE = 256;

    /** {@code const char * avifVersion(void)}. */
    String avifVersion();

    /** {@code const char * avifResultToString(avifResult result)}. */
    String avifResultToString(int result);

    /** {@code const char * avifCodecName(avifCodecChoice choice, avifCodecFlags requiredFlags)}: NULL if none. */
    String avifCodecName(int choice, int requiredFlags);

    /** {@code avifImage * avifImageCreate(uint32_t width, uint32_t height, uint32_t depth, avifPixelFormat yuvFormat)}. */
    Pointer avifImageCreate(int width, int height, int depth, int yuvFormat);

    /** {@code void avifImageDestroy(avifImage * image)}. */
    void avifImageDestroy(Pointer image);

    /** {@code void avifImageSetProfileICC(avifImage * image, const uint8_t * icc, size_t iccSize)}: copies the bytes. */
    void avifImageSetProfileICC(Pointer image, byte[] icc, NativeLong iccSize);

    /** {@code void avifRGBImageSetDefaults(avifRGBImage * rgb, const avifImage * image)}. */
    void avifRGBImageSetDefaults(Pointer rgb, Pointer image);

    /** {@code avifResult avifImageRGBToYUV(avifImage * image, const avifRGBImage * rgb)}. */
    int avifImageRGBToYUV(Pointer image, Pointer rgb);

    /** {@code avifEncoder * avifEncoderCreate(void)}. */
    Pointer avifEncoderCreate();

    /** {@code avifResult avifEncoderWrite(avifEncoder * encoder, const avifImage * image, avifRWData * output)}. */
    int avifEncoderWrite(Pointer encoder, Pointer image, Pointer output);

    /** {@code void avifEncoderDestroy(avifEncoder * encoder)}. */
    void avifEncoderDestroy(Pointer encoder);

    /** {@code void avifRWDataFree(avifRWData * raw)}. */
    void avifRWDataFree(Pointer raw);
}
