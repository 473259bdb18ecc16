package org.vellum.codec.openjpeg;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;
import com.sun.jna.ptr.PointerByReference;

/**
 * Raw JNA mapping of openjpeg.h (libopenjp2 2.5.0, x86_64 Linux), one to one and nothing clever.
 * Opaque handles ({@code opj_codec_t*}, {@code opj_stream_t*}) and {@code opj_image_t*} are {@link Pointer}s;
 * read them through the Structures below. {@code OPJ_BOOL} is {@code int}, {@code size_t}/{@code OPJ_OFF_T} are {@code long}.
 * The parameter structs are passed as raw memory blocks written at the offsets in {@link DParameters}/{@link CParameters}.
 * Only {@link OpenJpeg} loads this and only the safe classes of this package call it.
 */
public interface OpenJpegLibrary extends Library {

    // OPJ_CODEC_FORMAT
    int OPJ_CODEC_UNKNOWN = -1;
    int OPJ_CODEC_J2K = 0;
    int OPJ_CODEC_JPT = 1;
    int OPJ_CODEC_JP2 = 2;

    // OPJ_COLOR_SPACE
    int OPJ_CLRSPC_UNKNOWN = -1;
    int OPJ_CLRSPC_UNSPECIFIED = 0;
    int OPJ_CLRSPC_SRGB = 1;
    int OPJ_CLRSPC_GRAY = 2;
    int OPJ_CLRSPC_SYCC = 3;
    int OPJ_CLRSPC_EYCC = 4;
    int OPJ_CLRSPC_CMYK = 5;

    // OPJ_PROG_ORDER
    int OPJ_LRCP = 0;
    int OPJ_RLCP = 1;
    int OPJ_RPCL = 2;
    int OPJ_PCRL = 3;
    int OPJ_CPRL = 4;

    // Coding style flags (csty)
    int J2K_CCP_CSTY_PRT = 0x01;
    int J2K_CP_CSTY_SOP = 0x02;
    int J2K_CP_CSTY_EPH = 0x04;

    int OPJ_J2K_MAXRLVLS = 33;

    /** opj_image_t, 48 bytes. */
    @FieldOrder({"x0", "y0", "x1", "y1", "numcomps", "color_space", "comps", "icc_profile_buf", "icc_profile_len"})
    class OpjImage extends Structure {
        public int x0, y0, x1, y1, numcomps, color_space;
        public Pointer comps;
        public Pointer icc_profile_buf;
        public int icc_profile_len;

        public OpjImage() { }

        public OpjImage(Pointer p) {
            super(p);
            read();
        }
    }

    /** opj_image_comp_t, 64 bytes. */
    @FieldOrder({"dx", "dy", "w", "h", "x0", "y0", "prec", "bpp", "sgnd", "resno_decoded", "factor", "data", "alpha"})
    class OpjImageComp extends Structure {
        public int dx, dy, w, h, x0, y0, prec, bpp, sgnd, resno_decoded, factor;
        public Pointer data;
        public short alpha;

        public OpjImageComp() { }

        public OpjImageComp(Pointer p) {
            super(p);
            read();
        }
    }

    /** opj_image_cmptparm_t, 36 bytes. */
    @FieldOrder({"dx", "dy", "w", "h", "x0", "y0", "prec", "bpp", "sgnd"})
    class OpjImageCmptparm extends Structure {
        public int dx, dy, w, h, x0, y0, prec, bpp, sgnd;
    }

    /** Offsets in opj_dparameters_t (8252 bytes). */
    final class DParameters {
        public static final int SIZE = 8252;
        public static final int CP_REDUCE = 0;
        public static final int CP_LAYER = 4;
        public static final int FLAGS = 8248;
        /** OPJ_DPARAMETERS_IGNORE_PCLR_CMAP_CDEF_FLAG, in FLAGS. */
        public static final int IGNORE_PCLR_CMAP_CDEF = 0x0001;

        private DParameters() { }
    }

    /** Offsets in opj_cparameters_t (18720 bytes). */
    final class CParameters {
        public static final int SIZE = 18720;
        public static final int TILE_SIZE_ON = 0;
        public static final int CP_TX0 = 4;
        public static final int CP_TY0 = 8;
        public static final int CP_TDX = 12;
        public static final int CP_TDY = 16;
        public static final int CP_DISTO_ALLOC = 20;
        public static final int CP_FIXED_ALLOC = 24;
        public static final int CP_FIXED_QUALITY = 28;
        public static final int CSTY = 48;
        public static final int PROG_ORDER = 52;
        public static final int NUMPOCS = 4792;
        public static final int TCP_NUMLAYERS = 4796;
        public static final int TCP_RATES = 4800;        // float[100]
        public static final int TCP_DISTORATIO = 5200;   // float[100]
        public static final int NUMRESOLUTION = 5600;
        public static final int CBLOCKW_INIT = 5604;
        public static final int CBLOCKH_INIT = 5608;
        public static final int MODE = 5612;
        public static final int IRREVERSIBLE = 5616;
        public static final int ROI_COMPNO = 5620;
        public static final int ROI_SHIFT = 5624;
        public static final int RES_SPEC = 5628;
        public static final int PRCW_INIT = 5632;        // int[33]
        public static final int PRCH_INIT = 5764;        // int[33]
        public static final int CP_CINEMA = 18684;
        public static final int MAX_COMP_SIZE = 18688;
        public static final int CP_RSIZ = 18692;
        public static final int TP_ON = 18696;           // char
        public static final int TP_FLAG = 18697;         // char
        public static final int TCP_MCT = 18698;         // char
        public static final int JPIP_ON = 18700;
        public static final int MAX_CS_SIZE = 18712;
        public static final int RSIZ = 18716;            // uint16

        private CParameters() { }
    }

    /** Offsets in opj_codestream_info_v2_t (72 bytes) and its opj_tile_info_v2_t / opj_tccp_info_t parts. */
    final class CodestreamInfo {
        public static final int TX0 = 0;
        public static final int TY0 = 4;
        public static final int TDX = 8;
        public static final int TDY = 12;
        public static final int TW = 16;
        public static final int TH = 20;
        public static final int NBCOMPS = 24;
        public static final int DEFAULT_TILE = 32;
        public static final int TILE_CSTY = 4;
        public static final int TILE_PRG = 8;
        public static final int TILE_NUMLAYERS = 12;
        public static final int TILE_MCT = 16;
        public static final int TILE_TCCP_INFO = 24;  // opj_tccp_info_t*
        public static final int TCCP_SIZE = 1080;
        public static final int TCCP_CSTY = 4;
        public static final int TCCP_NUMRESOLUTIONS = 8;
        public static final int TCCP_QMFBID = 24;

        private CodestreamInfo() { }
    }

    String opj_version();

    int opj_has_thread_support();

    int opj_get_num_cpus();

    // Codec
    /*
     * opj_set_*_handler take an opj_msg_callback, {@code void (*)(const char *msg, void *client_data)}, here a plain
     * function pointer: we pass C functions (see MessageSink), never Java callbacks.
     */

    Pointer opj_create_decompress(int format);

    Pointer opj_create_compress(int format);

    void opj_destroy_codec(Pointer codec);

    int opj_set_info_handler(Pointer codec, Pointer handler, Pointer clientData);

    int opj_set_warning_handler(Pointer codec, Pointer handler, Pointer clientData);

    int opj_set_error_handler(Pointer codec, Pointer handler, Pointer clientData);

    int opj_codec_set_threads(Pointer codec, int numThreads);

    // Decoding
    void opj_set_default_decoder_parameters(Pointer dparameters);

    int opj_setup_decoder(Pointer codec, Pointer dparameters);

    int opj_decoder_set_strict_mode(Pointer codec, int strict);

    int opj_read_header(Pointer stream, Pointer codec, PointerByReference image);

    int opj_set_decoded_components(Pointer codec, int numcomps, int[] compIndices, int applyColorTransforms);

    int opj_set_decode_area(Pointer codec, Pointer image, int startX, int startY, int endX, int endY);

    int opj_decode(Pointer codec, Pointer stream, Pointer image);

    int opj_get_decoded_tile(Pointer codec, Pointer stream, Pointer image, int tileIndex);

    int opj_set_decoded_resolution_factor(Pointer codec, int resFactor);

    int opj_end_decompress(Pointer codec, Pointer stream);

    Pointer opj_get_cstr_info(Pointer codec);

    void opj_destroy_cstr_info(PointerByReference cstrInfo);

    // Encoding
    void opj_set_default_encoder_parameters(Pointer cparameters);

    int opj_setup_encoder(Pointer codec, Pointer cparameters, Pointer image);

    /** options: NULL-terminated char** (JNA appends the NULL to a String[]). */
    int opj_encoder_set_extra_options(Pointer codec, String[] options);

    int opj_start_compress(Pointer codec, Pointer image, Pointer stream);

    int opj_encode(Pointer codec, Pointer stream);

    int opj_write_tile(Pointer codec, int tileIndex, Pointer data, int dataSize, Pointer stream);

    int opj_end_compress(Pointer codec, Pointer stream);

    // Streams
    Pointer opj_stream_create_default_file_stream(String fname, int isReadStream);

    Pointer opj_stream_create_file_stream(String fname, long bufferSize, int isReadStream);

    void opj_stream_destroy(Pointer stream);

    // Images
    Pointer opj_image_create(int numcmpts, OpjImageCmptparm[] cmptparms, int clrspc);

    Pointer opj_image_tile_create(int numcmpts, OpjImageCmptparm[] cmptparms, int clrspc);

    void opj_image_destroy(Pointer image);
}
