package org.vellum.codec.avif;

import com.sun.jna.Library;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;

/**
 * Raw JNA mapping of the encoding half of avif.h as libavif 0.11 declares it (Debian {@code libavif15}), one to one and
 * nothing clever: the structs Vellum reads or writes a field of, whole and in the header's order (their layout changed
 * in libavif 1.0, which is why {@link Avif} loads only 0.11), and the functions it calls. {@code size_t} is a native
 * long (LP64), {@code avifBool} and enums are {@code int}, {@code uint16_t} is {@code short}. Only {@link Avif} loads
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

    /** {@code typedef struct avifRWData { uint8_t * data; size_t size; } avifRWData;} */
    @Structure.FieldOrder({"data", "size"})
    class avifRWData extends Structure {
        public Pointer data;
        public NativeLong size;

        public static class ByValue extends avifRWData implements Structure.ByValue {
        }
    }

    /** {@code avifPixelAspectRatioBox}. */
    @Structure.FieldOrder({"hSpacing", "vSpacing"})
    class avifPixelAspectRatioBox extends Structure {
        public int hSpacing;
        public int vSpacing;
    }

    /** {@code avifCleanApertureBox}. */
    @Structure.FieldOrder({"widthN", "widthD", "heightN", "heightD", "horizOffN", "horizOffD", "vertOffN", "vertOffD"})
    class avifCleanApertureBox extends Structure {
        public int widthN;
        public int widthD;
        public int heightN;
        public int heightD;
        public int horizOffN;
        public int horizOffD;
        public int vertOffN;
        public int vertOffD;
    }

    /** {@code avifImageRotation}. */
    @Structure.FieldOrder({"angle"})
    class avifImageRotation extends Structure {
        public byte angle;
    }

    /** {@code avifImageMirror}. */
    @Structure.FieldOrder({"mode"})
    class avifImageMirror extends Structure {
        public byte mode;
    }

    /** {@code avifImage}: made and freed by the library; a view of its memory ({@link #avifImage(Pointer)}). */
    @Structure.FieldOrder({"width", "height", "depth", "yuvFormat", "yuvRange", "yuvChromaSamplePosition",
            "yuvPlanes", "yuvRowBytes", "imageOwnsYUVPlanes", "alphaPlane", "alphaRowBytes", "imageOwnsAlphaPlane",
            "alphaPremultiplied", "icc", "colorPrimaries", "transferCharacteristics", "matrixCoefficients",
            "transformFlags", "pasp", "clap", "irot", "imir", "exif", "xmp"})
    class avifImage extends Structure {
        public int width;
        public int height;
        public int depth;
        public int yuvFormat;
        public int yuvRange;
        public int yuvChromaSamplePosition;
        public Pointer[] yuvPlanes = new Pointer[3];
        public int[] yuvRowBytes = new int[3];
        public int imageOwnsYUVPlanes;
        public Pointer alphaPlane;
        public int alphaRowBytes;
        public int imageOwnsAlphaPlane;
        public int alphaPremultiplied;
        public avifRWData.ByValue icc;
        public short colorPrimaries;
        public short transferCharacteristics;
        public short matrixCoefficients;
        public int transformFlags;
        public avifPixelAspectRatioBox pasp;
        public avifCleanApertureBox clap;
        public avifImageRotation irot;
        public avifImageMirror imir;
        public avifRWData.ByValue exif;
        public avifRWData.ByValue xmp;

        public avifImage(Pointer p) {
            super(p);
        }
    }

    /** {@code avifRGBImage}: ours, filled by {@link #avifRGBImageSetDefaults}. */
    @Structure.FieldOrder({"width", "height", "depth", "format", "chromaUpsampling", "chromaDownsampling",
            "avoidLibYUV", "ignoreAlpha", "alphaPremultiplied", "isFloat", "pixels", "rowBytes"})
    class avifRGBImage extends Structure {
        public int width;
        public int height;
        public int depth;
        public int format;
        public int chromaUpsampling;
        public int chromaDownsampling;
        public int avoidLibYUV;
        public int ignoreAlpha;
        public int alphaPremultiplied;
        public int isFloat;
        public Pointer pixels;
        public int rowBytes;
    }

    /** {@code avifIOStats}. */
    @Structure.FieldOrder({"colorOBUSize", "alphaOBUSize"})
    class avifIOStats extends Structure {
        public NativeLong colorOBUSize;
        public NativeLong alphaOBUSize;
    }

    /** {@code avifDiagnostics}: {@code char error[AVIF_DIAGNOSTICS_ERROR_BUFFER_SIZE]}. */
    @Structure.FieldOrder({"error"})
    class avifDiagnostics extends Structure {
        public byte[] error = new byte[256];
    }

    /** {@code avifEncoder}: made and freed by the library; a view of its memory ({@link #avifEncoder(Pointer)}). */
    @Structure.FieldOrder({"codecChoice", "maxThreads", "speed", "keyframeInterval", "timescale", "minQuantizer",
            "maxQuantizer", "minQuantizerAlpha", "maxQuantizerAlpha", "tileRowsLog2", "tileColsLog2", "autoTiling",
            "ioStats", "diag", "data", "csOptions"})
    class avifEncoder extends Structure {
        public int codecChoice;
        public int maxThreads;
        public int speed;
        public int keyframeInterval;
        public long timescale;
        public int minQuantizer;
        public int maxQuantizer;
        public int minQuantizerAlpha;
        public int maxQuantizerAlpha;
        public int tileRowsLog2;
        public int tileColsLog2;
        public int autoTiling;
        public avifIOStats ioStats;
        public avifDiagnostics diag;
        public Pointer data;
        public Pointer csOptions;

        public avifEncoder(Pointer p) {
            super(p);
        }
    }

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
    void avifRGBImageSetDefaults(avifRGBImage rgb, Pointer image);

    /** {@code avifResult avifImageRGBToYUV(avifImage * image, const avifRGBImage * rgb)}. */
    int avifImageRGBToYUV(Pointer image, avifRGBImage rgb);

    /** {@code avifEncoder * avifEncoderCreate(void)}. */
    Pointer avifEncoderCreate();

    /** {@code avifResult avifEncoderWrite(avifEncoder * encoder, const avifImage * image, avifRWData * output)}. */
    int avifEncoderWrite(Pointer encoder, Pointer image, avifRWData output);

    /** {@code void avifEncoderDestroy(avifEncoder * encoder)}. */
    void avifEncoderDestroy(Pointer encoder);

    /** {@code void avifRWDataFree(avifRWData * raw)}. */
    void avifRWDataFree(avifRWData raw);
}
