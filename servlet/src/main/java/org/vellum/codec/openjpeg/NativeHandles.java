package org.vellum.codec.openjpeg;

import com.sun.jna.Pointer;

/** Frees the three handles a decode or encode session owns, in one place: codec, then stream, then image. */
final class NativeHandles {
    private NativeHandles() {
    }

    /** Each non-null handle is destroyed once; the caller then forgets all three. */
    static void free(OpenJpegLibrary lib, Pointer codec, Pointer stream, Pointer image) {
        if (codec != null) lib.opj_destroy_codec(codec);
        if (stream != null) lib.opj_stream_destroy(stream);
        if (image != null) lib.opj_image_destroy(image);
    }
}
