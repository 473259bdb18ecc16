package org.vellum.codec.turbojpeg;

import java.io.File;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * Loads libturbojpeg (the TurboJPEG 2 API, Debian's {@code libturbojpeg0}) on first use, or records why it cannot.
 * <p>
 * The loaded interface lives in a holder class of this package only, so it goes with the class loader that loaded it
 * (an OSGi bundle revision); no handle is kept here: every {@link JpegCompressor} owns its own.
 */
public final class TurboJpeg {
    /** Set to {@code false} to act as if the library were missing (the ImageIO fallback, chosen per call). */
    public static final String ENABLED_PROPERTY = "vellum.turbojpeg";

    static final String LIBRARY = "turbojpeg";

    private TurboJpeg() {
    }

    /** The library, or why it could not be loaded: exactly one of {@code lib} and {@code failure} is set. */
    record Loaded(TurboJpegLibrary lib, String file, String failure) {
    }

    private static final class Holder {
        static final Loaded LOADED = load(LIBRARY);
    }

    /** Loads the named library; a missing or too old one (no TurboJPEG 2 API) is reported, not thrown. */
    static Loaded load(String name) {
        try {
            NativeLibrary nl = NativeLibrary.getInstance(name);
            // tjGetErrorStr2 arrived with TurboJPEG 2.0; an older library fails here rather than mid-request.
            nl.getFunction("tjGetErrorStr2");
            File f = nl.getFile();
            return new Loaded(Native.load(name, TurboJpegLibrary.class), f == null ? nl.getName() : f.getPath(), null);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            return new Loaded(null, null, String.valueOf(e.getMessage()));
        }
    }

    /** Whether compressors can be made: the library loaded and it is not switched off by {@value #ENABLED_PROPERTY}. */
    public static boolean available() {
        return !disabled() && Holder.LOADED.lib() != null;
    }

    /** What {@link #available()} rests on, for a log line: the library's file, or why it is not used. */
    public static String describe() {
        if (disabled()) return "switched off by -D" + ENABLED_PROPERTY + "=false";
        Loaded l = Holder.LOADED;
        return l.lib() != null ? l.file() : "not loaded: " + l.failure();
    }

    /** A compressor with its own native handle; close it (try-with-resources). */
    public static JpegCompressor compressor() throws TurboJpegException {
        if (!available()) throw new TurboJpegException("TurboJPEG is not available (" + describe() + ")");
        return new JpegCompressor(Holder.LOADED.lib());
    }

    private static boolean disabled() {
        return "false".equalsIgnoreCase(System.getProperty(ENABLED_PROPERTY, "true").trim());
    }
}
