package org.vellum.codec.openjpeg;

/**
 * OPJ_COLOR_SPACE as reported by OpenJPEG (from the JP2 colr box; UNSPECIFIED for raw codestreams), and CIELAB
 * (enumerated colour space 14), which OpenJPEG reports as UNKNOWN and {@link Jp2Reader} converts to sRGB.
 */
public enum Jp2ColorSpace {
    UNKNOWN, UNSPECIFIED, SRGB, GRAY, SYCC, EYCC, CMYK, CIELAB;

    static Jp2ColorSpace fromNative(int v) {
        switch (v) {
            case OpenJpegLibrary.OPJ_CLRSPC_UNSPECIFIED: return UNSPECIFIED;
            case OpenJpegLibrary.OPJ_CLRSPC_SRGB: return SRGB;
            case OpenJpegLibrary.OPJ_CLRSPC_GRAY: return GRAY;
            case OpenJpegLibrary.OPJ_CLRSPC_SYCC: return SYCC;
            case OpenJpegLibrary.OPJ_CLRSPC_EYCC: return EYCC;
            case OpenJpegLibrary.OPJ_CLRSPC_CMYK: return CMYK;
            default: return UNKNOWN;
        }
    }

    int toNative() {
        switch (this) {
            case UNSPECIFIED: return OpenJpegLibrary.OPJ_CLRSPC_UNSPECIFIED;
            case SRGB: return OpenJpegLibrary.OPJ_CLRSPC_SRGB;
            case GRAY: return OpenJpegLibrary.OPJ_CLRSPC_GRAY;
            case SYCC: return OpenJpegLibrary.OPJ_CLRSPC_SYCC;
            case EYCC: return OpenJpegLibrary.OPJ_CLRSPC_EYCC;
            case CMYK: return OpenJpegLibrary.OPJ_CLRSPC_CMYK;
            default: return OpenJpegLibrary.OPJ_CLRSPC_UNKNOWN;
        }
    }
}
