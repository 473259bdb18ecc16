package org.vellum.codec.webp;

import com.sun.jna.Library;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * Raw JNA mapping of the parts of libwebp's encode.h and types.h (libwebp 1.2, Debian {@code libwebp7}) that Vellum
 * calls, one to one: the "simple" one-call encoder and the library's own free. {@code size_t} is a native long (LP64),
 * {@code uint8_t**} a {@link Pointer} to a pointer. No Structures. Only {@link WebP} loads this and only
 * {@link WebPEncoder} calls it.
 */
public interface WebPLibrary extends Library {

    /** {@code int WebPGetEncoderVersion(void)}: the version packed as 8 bits each of major, minor and revision. */
    int WebPGetEncoderVersion();

    /**
     * {@code size_t WebPEncodeBGRA(const uint8_t* bgra, int width, int height, int stride, float quality_factor,
     * uint8_t** output)}: lossy WebP of 4-byte B,G,R,A pixels (alpha kept when any pixel is not opaque), quality
     * 0..100. Returns the size of {@code *output} (allocated by the library: free it with {@link #WebPFree}), 0 on
     * failure. The array form lets JNA hand the library a native copy of the pixels.
     */
    NativeLong WebPEncodeBGRA(int[] bgra, int width, int height, int stride, float qualityFactor, Pointer output);

    /** {@code size_t WebPEncodeRGBA(...)}: the same with R,G,B,A bytes (an int[] of ARGB on a big-endian machine). */
    NativeLong WebPEncodeRGBA(int[] rgba, int width, int height, int stride, float qualityFactor, Pointer output);

    /** {@code void WebPFree(void* ptr)}: frees what libwebp (and libwebpmux) allocated. */
    void WebPFree(Pointer ptr);
}
