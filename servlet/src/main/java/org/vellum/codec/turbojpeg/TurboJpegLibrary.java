package org.vellum.codec.turbojpeg;

import com.sun.jna.Library;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * Raw JNA mapping of the compression half of turbojpeg.h (libturbojpeg 2.1, the TurboJPEG 2 API), one to one and
 * nothing clever. {@code tjhandle}, library-allocated buffers and out-parameters ({@code unsigned char **},
 * {@code unsigned long *}) are {@link Pointer}s, {@code unsigned long} is a native long. No Structures, so calls leave no JNA state on the calling thread. Only {@link TurboJpeg} loads this and
 * only {@link JpegCompressor} calls it.
 */
public interface TurboJpegLibrary extends Library {

    // enum TJSAMP: chrominance subsampling
    int TJSAMP_444 = 0;
    int TJSAMP_422 = 1;
    int TJSAMP_420 = 2;
    int TJSAMP_GRAY = 3;
    int TJSAMP_440 = 4;
    int TJSAMP_411 = 5;

    // enum TJPF: pixel formats of the source buffer (byte order in memory)
    int TJPF_RGB = 0;
    int TJPF_BGR = 1;
    int TJPF_RGBX = 2;
    int TJPF_BGRX = 3;
    int TJPF_XBGR = 4;
    int TJPF_XRGB = 5;
    int TJPF_GRAY = 6;
    int TJPF_RGBA = 7;
    int TJPF_BGRA = 8;
    int TJPF_ABGR = 9;
    int TJPF_ARGB = 10;
    int TJPF_CMYK = 11;

    // flags
    int TJFLAG_BOTTOMUP = 2;
    int TJFLAG_FASTUPSAMPLE = 256;
    int TJFLAG_NOREALLOC = 1024;
    int TJFLAG_FASTDCT = 2048;
    int TJFLAG_ACCURATEDCT = 4096;
    int TJFLAG_STOPONWARNING = 8192;
    int TJFLAG_PROGRESSIVE = 16384;
    int TJFLAG_LIMITSCANS = 32768;

    // enum TJERR, from tjGetErrorCode
    int TJERR_WARNING = 0;
    int TJERR_FATAL = 1;

    /** {@code tjhandle tjInitCompress(void)}: NULL on failure (then tjGetErrorStr2(NULL) says why). */
    Pointer tjInitCompress();

    /**
     * {@code int tjCompress2(tjhandle handle, const unsigned char *srcBuf, int width, int pitch, int height,
     * int pixelFormat, unsigned char **jpegBuf, unsigned long *jpegSize, int jpegSubsamp, int jpegQual, int flags)}.
     * With {@code *jpegBuf == NULL} the library allocates the output; free it with {@link #tjFree}. Returns 0 or -1.
     */
    int tjCompress2(Pointer handle, Pointer srcBuf, int width, int pitch, int height, int pixelFormat,
                    Pointer jpegBuf, Pointer jpegSize, int jpegSubsamp, int jpegQual,
                    int flags);

    /**
     * The same function with the source given as a Java array: JNA hands the library a native copy of it (and copies
     * it back after the call), which spares an explicit native buffer. The bytes are read in memory order, so an
     * {@code int[]} of 0xAARRGGBB is {@link #TJPF_BGRX} on a little-endian machine and {@link #TJPF_XRGB} on a big one.
     */
    int tjCompress2(Pointer handle, int[] srcBuf, int width, int pitch, int height, int pixelFormat,
                    Pointer jpegBuf, Pointer jpegSize, int jpegSubsamp, int jpegQual,
                    int flags);

    /** {@code unsigned long tjBufSize(int width, int height, int jpegSubsamp)}: worst-case JPEG size, or -1. */
    NativeLong tjBufSize(int width, int height, int jpegSubsamp);

    /** {@code void tjFree(unsigned char *buffer)}. */
    void tjFree(Pointer buffer);

    /** {@code int tjDestroy(tjhandle handle)}: 0 or -1. */
    int tjDestroy(Pointer handle);

    /** {@code char *tjGetErrorStr2(tjhandle handle)}: the last error of this handle (NULL: of the last tjInit*). */
    String tjGetErrorStr2(Pointer handle);

    /** {@code int tjGetErrorCode(tjhandle handle)}: {@link #TJERR_WARNING} or {@link #TJERR_FATAL}. */
    int tjGetErrorCode(Pointer handle);
}
