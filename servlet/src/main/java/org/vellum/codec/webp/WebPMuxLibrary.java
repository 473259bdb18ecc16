package org.vellum.codec.webp;

import com.sun.jna.Library;
import com.sun.jna.Pointer;

/**
 * Raw JNA mapping of the parts of libwebpmux's mux.h and mux_types.h (libwebp 1.2, Debian {@code libwebpmux3}) that
 * Vellum calls, one to one: a mux object, its image, a chunk (ICCP) and the assembled RIFF file. The inline
 * {@code WebPMuxNew()} is {@code WebPNewInternal(WEBP_MUX_ABI_VERSION)}; the inline {@code WebPDataClear()} is
 * {@link WebPLibrary#WebPFree} of its bytes.
 */
public interface WebPMuxLibrary extends Library {

    /** mux.h's ABI version this mapping mirrors; the library refuses a different major version (NULL). */
    int WEBP_MUX_ABI_VERSION = 0x0108;

    // enum WebPMuxError
    int WEBP_MUX_OK = 1;
    int WEBP_MUX_NOT_FOUND = 0;
    int WEBP_MUX_INVALID_ARGUMENT = -1;
    int WEBP_MUX_BAD_DATA = -2;
    int WEBP_MUX_MEMORY_ERROR = -3;
    int WEBP_MUX_NOT_ENOUGH_DATA = -4;

    /**
     * {@code typedef struct WebPData { const uint8_t* bytes; size_t size; } WebPData;}: byte offsets on LP64 (a
     * Memory, not a JNA Structure: Structures leave thread-local state on the calling thread, a request thread
     * that outlives the bundle).
     */
    long WEBPDATA_BYTES = 0;
    long WEBPDATA_SIZE = 8;
    long SIZEOF_WEBPDATA = 16;

    /** {@code int WebPGetMuxVersion(void)}. */
    int WebPGetMuxVersion();

    /** {@code WebPMux* WebPNewInternal(int version)}: an empty mux, NULL on a version mismatch or no memory. */
    Pointer WebPNewInternal(int version);

    /** {@code void WebPMuxDelete(WebPMux* mux)}. */
    void WebPMuxDelete(Pointer mux);

    /** {@code WebPMuxError WebPMuxSetImage(WebPMux* mux, const WebPData* bitstream, int copy_data)}. */
    int WebPMuxSetImage(Pointer mux, Pointer bitstream, int copyData);

    /** {@code WebPMuxError WebPMuxSetChunk(WebPMux* mux, const char fourcc[4], const WebPData* chunk_data, int copy_data)}. */
    int WebPMuxSetChunk(Pointer mux, byte[] fourcc, Pointer chunkData, int copyData);

    /** {@code WebPMuxError WebPMuxAssemble(WebPMux* mux, WebPData* assembled_data)}: free the bytes with WebPFree. */
    int WebPMuxAssemble(Pointer mux, Pointer assembledData);
}
