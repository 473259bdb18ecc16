package org.vellum.codec.avif;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;

import org.junit.jupiter.api.Test;

/**
 * The struct offsets {@link AvifLibrary} writes to are the offsets of libavif 0.11's avif.h: JNA lays out a mirror of
 * each declaration (as JNA Structures, which the binding itself avoids because they leave thread-local state on request
 * threads) and the constants must agree.
 */
class AvifLayoutTest {

    /** {@code typedef struct avifRWData { uint8_t * data; size_t size; } avifRWData;} */
    @Structure.FieldOrder({"data", "size"})
    public static class avifRWData extends Structure {
        public Pointer data;
        public NativeLong size;

        long offset(String field) {
            return fieldOffset(field);
        }

        public static class ByValue extends avifRWData implements Structure.ByValue {
        }
    }

    /** {@code avifPixelAspectRatioBox}. */
    @Structure.FieldOrder({"hSpacing", "vSpacing"})
    public static class avifPixelAspectRatioBox extends Structure {
        public int hSpacing;
        public int vSpacing;
    }

    /** {@code avifCleanApertureBox}. */
    @Structure.FieldOrder({"widthN", "widthD", "heightN", "heightD", "horizOffN", "horizOffD", "vertOffN", "vertOffD"})
    public static class avifCleanApertureBox extends Structure {
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
    public static class avifImageRotation extends Structure {
        public byte angle;
    }

    /** {@code avifImageMirror}. */
    @Structure.FieldOrder({"mode"})
    public static class avifImageMirror extends Structure {
        public byte mode;
    }

    /** {@code avifImage}: made and freed by the library; a view of its memory ({@link #avifImage(Pointer)}). */
    @Structure.FieldOrder({"width", "height", "depth", "yuvFormat", "yuvRange", "yuvChromaSamplePosition",
            "yuvPlanes", "yuvRowBytes", "imageOwnsYUVPlanes", "alphaPlane", "alphaRowBytes", "imageOwnsAlphaPlane",
            "alphaPremultiplied", "icc", "colorPrimaries", "transferCharacteristics", "matrixCoefficients",
            "transformFlags", "pasp", "clap", "irot", "imir", "exif", "xmp"})
    public static class avifImage extends Structure {
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

        long offset(String field) {
            return fieldOffset(field);
        }
    }

    /** {@code avifRGBImage}: ours, filled by {@link #avifRGBImageSetDefaults}. */
    @Structure.FieldOrder({"width", "height", "depth", "format", "chromaUpsampling", "chromaDownsampling",
            "avoidLibYUV", "ignoreAlpha", "alphaPremultiplied", "isFloat", "pixels", "rowBytes"})
    public static class avifRGBImage extends Structure {
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

        long offset(String field) {
            return fieldOffset(field);
        }
    }

    /** {@code avifIOStats}. */
    @Structure.FieldOrder({"colorOBUSize", "alphaOBUSize"})
    public static class avifIOStats extends Structure {
        public NativeLong colorOBUSize;
        public NativeLong alphaOBUSize;
    }

    /** {@code avifDiagnostics}: {@code char error[AVIF_DIAGNOSTICS_ERROR_BUFFER_SIZE]}. */
    @Structure.FieldOrder({"error"})
    public static class avifDiagnostics extends Structure {
        public byte[] error = new byte[256];
    }

    /** {@code avifEncoder}: made and freed by the library; a view of its memory ({@link #avifEncoder(Pointer)}). */
    @Structure.FieldOrder({"codecChoice", "maxThreads", "speed", "keyframeInterval", "timescale", "minQuantizer",
            "maxQuantizer", "minQuantizerAlpha", "maxQuantizerAlpha", "tileRowsLog2", "tileColsLog2", "autoTiling",
            "ioStats", "diag", "data", "csOptions"})
    public static class avifEncoder extends Structure {
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

        long offset(String field) {
            return fieldOffset(field);
        }
    }

    @Test
    void avifRWDataOffsetsAreTheHeaders() {
        avifRWData d = new avifRWData();
        assertEquals(AvifLibrary.RWDATA_DATA, d.offset("data"));
        assertEquals(AvifLibrary.RWDATA_SIZE, d.offset("size"));
        assertEquals(AvifLibrary.SIZEOF_RWDATA, d.size());
    }

    @Test
    void avifImageOffsetsAreTheHeaders() {
        avifImage i = new avifImage();
        assertEquals(AvifLibrary.IMAGE_YUV_RANGE, i.offset("yuvRange"));
        assertEquals(AvifLibrary.IMAGE_COLOR_PRIMARIES, i.offset("colorPrimaries"));
        assertEquals(AvifLibrary.IMAGE_TRANSFER_CHARACTERISTICS, i.offset("transferCharacteristics"));
        assertEquals(AvifLibrary.IMAGE_MATRIX_COEFFICIENTS, i.offset("matrixCoefficients"));
    }

    @Test
    void avifRGBImageOffsetsAreTheHeaders() {
        avifRGBImage r = new avifRGBImage();
        assertEquals(AvifLibrary.RGB_FORMAT, r.offset("format"));
        assertEquals(AvifLibrary.RGB_IGNORE_ALPHA, r.offset("ignoreAlpha"));
        assertEquals(AvifLibrary.RGB_PIXELS, r.offset("pixels"));
        assertEquals(AvifLibrary.RGB_ROW_BYTES, r.offset("rowBytes"));
        assertEquals(AvifLibrary.SIZEOF_RGB_IMAGE, r.size());
    }

    @Test
    void avifEncoderOffsetsAreTheHeaders() {
        avifEncoder e = new avifEncoder();
        assertEquals(AvifLibrary.ENCODER_MAX_THREADS, e.offset("maxThreads"));
        assertEquals(AvifLibrary.ENCODER_SPEED, e.offset("speed"));
        assertEquals(AvifLibrary.ENCODER_MIN_QUANTIZER, e.offset("minQuantizer"));
        assertEquals(AvifLibrary.ENCODER_MAX_QUANTIZER, e.offset("maxQuantizer"));
        assertEquals(AvifLibrary.ENCODER_DIAG_ERROR, e.offset("diag"));
    }
}
