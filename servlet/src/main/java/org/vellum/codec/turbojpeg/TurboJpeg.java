package org.vellum.codec.turbojpeg;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

import org.vellum.codec.OptionalLibrary.Loaded;

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

    private static final class Holder {
        static final Loaded<TurboJpegLibrary> LOADED = load(LIBRARY);
    }

    /** Loads the named library; a missing or too old one (no TurboJPEG 2 API) is reported, not thrown. */
    static Loaded<TurboJpegLibrary> load(String name) {
        try {
            NativeLibrary nl = NativeLibrary.getInstance(name);
            // tjGetErrorStr2 arrived with TurboJPEG 2.0; an older library fails here rather than mid-request.
            nl.getFunction("tjGetErrorStr2");
            return Loaded.of(Native.load(name, TurboJpegLibrary.class), nl);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            return Loaded.failed(String.valueOf(e.getMessage()));
        }
    }

    /** Whether compressors can be made: the library loaded and it is not switched off by {@value #ENABLED_PROPERTY}. */
    public static boolean available() {
        return Holder.LOADED.available(ENABLED_PROPERTY);
    }

    /** What {@link #available()} rests on, for a log line: the library's file, or why it is not used. */
    public static String describe() {
        return Holder.LOADED.describe(ENABLED_PROPERTY, "libturbojpeg");
    }

    /** A compressor with its own native handle; close it (try-with-resources). */
    public static JpegCompressor compressor() throws TurboJpegException {
        if (!available()) throw new TurboJpegException("TurboJPEG is not available (" + describe() + ")");
        return new JpegCompressor(Holder.LOADED.lib());
    }

}
