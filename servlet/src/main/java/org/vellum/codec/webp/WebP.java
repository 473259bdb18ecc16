package org.vellum.codec.webp;

import java.io.File;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * Loads libwebp and libwebpmux (Debian {@code libwebp7}, {@code libwebpmux3}) on first use, or records why it cannot.
 * Both are needed: a WebP that cannot carry the image's ICC profile would show the wrong colours, so without the mux
 * library WebP is not offered at all.
 * <p>
 * As with TurboJPEG, the loaded interfaces live in a holder class of this package, so they go with the class loader
 * that loaded them (an OSGi bundle revision), and no native object outlives an encode.
 */
public final class WebP {
    /** Set to {@code false} to act as if the library were missing (WebP then is neither advertised nor served). */
    public static final String ENABLED_PROPERTY = "vellum.webp";

    static final String LIBRARY = "webp";
    static final String MUX_LIBRARY = "webpmux";

    private WebP() {
    }

    /** The libraries, or why they could not be loaded: either both libraries are set or {@code failure} is. */
    record Loaded(WebPLibrary lib, WebPMuxLibrary mux, String file, String failure) {
    }

    private static final class Holder {
        static final Loaded LOADED = load(LIBRARY, MUX_LIBRARY);
    }

    /** Loads the named libraries; a missing one is reported, not thrown. */
    static Loaded load(String name, String muxName) {
        if (Native.POINTER_SIZE != 8 || Native.LONG_SIZE != 8) {
            return new Loaded(null, null, null, "the binding mirrors the LP64 layout (64-bit Linux, macOS)");
        }
        try {
            NativeLibrary nl = NativeLibrary.getInstance(name);
            nl.getFunction("WebPEncodeBGRA");
            NativeLibrary.getInstance(muxName).getFunction("WebPNewInternal");
            File f = nl.getFile();
            return new Loaded(Native.load(name, WebPLibrary.class), Native.load(muxName, WebPMuxLibrary.class),
                    f == null ? nl.getName() : f.getPath(), null);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            return new Loaded(null, null, null, String.valueOf(e.getMessage()));
        }
    }

    /** Whether WebP can be written: both libraries loaded and not switched off by {@value #ENABLED_PROPERTY}. */
    public static boolean available() {
        return !disabled() && Holder.LOADED.lib() != null;
    }

    /** What {@link #available()} rests on, for a log line or an error message. */
    public static String describe() {
        if (disabled()) return "switched off by -D" + ENABLED_PROPERTY + "=false";
        Loaded l = Holder.LOADED;
        return l.lib() != null ? l.file() : "libwebp/libwebpmux not loaded: " + l.failure();
    }

    /** The encoder; it keeps no native state between calls. */
    public static WebPEncoder encoder() throws WebPException {
        if (!available()) throw new WebPException("WebP is not available (" + describe() + ")");
        return new WebPEncoder(Holder.LOADED.lib(), Holder.LOADED.mux());
    }

    private static boolean disabled() {
        return "false".equalsIgnoreCase(System.getProperty(ENABLED_PROPERTY, "true").trim());
    }
}
