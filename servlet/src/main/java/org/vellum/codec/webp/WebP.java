package org.vellum.codec.webp;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

import org.vellum.codec.OptionalLibrary.Loaded;

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

    /** libwebp and libwebpmux, loaded together. */
    record Libraries(WebPLibrary webp, WebPMuxLibrary mux) {
    }

    private static final class Holder {
        static final Loaded<Libraries> LOADED = load(LIBRARY, MUX_LIBRARY);
    }

    /** Loads the named libraries; a missing one is reported, not thrown. */
    static Loaded<Libraries> load(String name, String muxName) {
        if (Native.POINTER_SIZE != 8 || Native.LONG_SIZE != 8) {
            return Loaded.failed("the binding mirrors the LP64 layout (64-bit Linux, macOS)");
        }
        try {
            NativeLibrary nl = NativeLibrary.getInstance(name);
            nl.getFunction("WebPEncodeBGRA");
            NativeLibrary.getInstance(muxName).getFunction("WebPNewInternal");
            return Loaded.of(new Libraries(Native.load(name, WebPLibrary.class),
                    Native.load(muxName, WebPMuxLibrary.class)), nl);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            return Loaded.failed(String.valueOf(e.getMessage()));
        }
    }

    /** Whether WebP can be written: both libraries loaded and not switched off by {@value #ENABLED_PROPERTY}. */
    public static boolean available() {
        return Holder.LOADED.available(ENABLED_PROPERTY);
    }

    /** What {@link #available()} rests on, for a log line or an error message. */
    public static String describe() {
        return Holder.LOADED.describe(ENABLED_PROPERTY, "libwebp/libwebpmux");
    }

    /** The encoder; it keeps no native state between calls. */
    public static WebPEncoder encoder() throws WebPException {
        if (!available()) throw new WebPException("WebP is not available (" + describe() + ")");
        return new WebPEncoder(Holder.LOADED.lib().webp(), Holder.LOADED.lib().mux());
    }

}
