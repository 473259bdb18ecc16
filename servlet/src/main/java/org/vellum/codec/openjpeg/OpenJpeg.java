package org.vellum.codec.openjpeg;

import com.sun.jna.Function;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/** Loads libopenjp2 once and checks its version. */
public final class OpenJpeg {
    private static final int MIN_MAJOR = 2;
    private static final int MIN_MINOR = 5;

    private OpenJpeg() { }

    /** Loading is deferred to first use so that a missing library fails the caller, not class loading. */
    private static final class Holder {
        static final OpenJpegLibrary LIB = load();

        private static OpenJpegLibrary load() {
            OpenJpegLibrary lib = Native.load("openjp2", OpenJpegLibrary.class);
            String v = lib.opj_version();
            if (!atLeast(v, MIN_MAJOR, MIN_MINOR)) {
                throw new UnsatisfiedLinkError("libopenjp2 " + v + " is too old; need " + MIN_MAJOR + "." + MIN_MINOR + " or later");
            }
            return lib;
        }
    }

    /** The C library's stdio, through which OpenJPEG's messages reach us (see {@link MessageSink}). */
    private static final class Stdio {
        static final CLibrary LIBC = Native.load(Platform.C_LIBRARY_NAME, CLibrary.class);
        static final Function FPUTS = NativeLibrary.getInstance(Platform.C_LIBRARY_NAME).getFunction("fputs");
    }

    /** The library version, e.g. "2.5.0". Throws {@link UnsatisfiedLinkError} if the library is missing or older than 2.5. */
    public static String version() {
        return Holder.LIB.opj_version();
    }

    static OpenJpegLibrary lib() {
        return Holder.LIB;
    }

    static CLibrary libc() {
        return Stdio.LIBC;
    }

    /**
     * Returns memory that OpenJPEG freed to the system (glibc's malloc_trim; nothing elsewhere). Freeing a large
     * single-tile codec leaves its many small code-block allocations as free space inside malloc's arenas, which the
     * process keeps resident (measured: 190 MB after three 16000x12000 codecs; about 25 ms to trim).
     */
    static void trimNativeHeap() {
        long now = System.nanoTime();
        synchronized (OpenJpeg.class) {
            // At most every few seconds: under load the next codec needs the memory again, and malloc_trim holds
            // each arena's lock while it walks it.
            if (!trimmable || (lastTrim != 0 && now - lastTrim < TRIM_INTERVAL_NANOS)) return;
            lastTrim = now;
        }
        try {
            Stdio.LIBC.malloc_trim(0);
        } catch (UnsatisfiedLinkError e) {
            trimmable = false; // not glibc
        }
    }

    private static final long TRIM_INTERVAL_NANOS = 10_000_000_000L;
    private static volatile boolean trimmable = true;
    private static long lastTrim;

    /** {@code int fputs(const char *, FILE *)}: used as OpenJPEG's message handler with a {@code FILE *} as client data. */
    static Function fputs() {
        return Stdio.FPUTS;
    }

    static boolean atLeast(String version, int major, int minor) {
        String[] parts = version.trim().split("[.\\-]");
        try {
            int ma = Integer.parseInt(parts[0]);
            int mi = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return ma > major || (ma == major && mi >= minor);
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
