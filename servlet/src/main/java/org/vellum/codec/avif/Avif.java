package org.vellum.codec.avif;

import java.io.File;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * Loads libavif (Debian {@code libavif15}, libavif 0.11) on first use, or records why it cannot. Another version is
 * refused, not guessed at: {@link AvifLibrary} mirrors 0.11's structs, and 1.0 moved the encoder's fields.
 * <p>
 * As with TurboJPEG, the loaded interface lives in a holder class of this package, so it goes with the class loader
 * that loaded it (an OSGi bundle revision), and no native object outlives an encode.
 */
public final class Avif {
    /** Set to {@code false} to act as if the library were missing (AVIF then is neither advertised nor served). */
    public static final String ENABLED_PROPERTY = "vellum.avif";

    static final String LIBRARY = "avif";

    /** The ABI {@link AvifLibrary} mirrors. */
    static final String VERSION_PREFIX = "0.11.";

    private Avif() {
    }

    /** The library, or why it could not be loaded: exactly one of {@code lib} and {@code failure} is set. */
    record Loaded(AvifLibrary lib, String file, String failure) {
    }

    private static final class Holder {
        static final Loaded LOADED = load(LIBRARY);
    }

    /** Loads the named library; a missing one, another version or one without an AV1 encoder is reported, not thrown. */
    static Loaded load(String name) {
        if (Native.POINTER_SIZE != 8 || Native.LONG_SIZE != 8) {
            return new Loaded(null, null, "the binding mirrors the LP64 layout (64-bit Linux, macOS)");
        }
        try {
            NativeLibrary nl = NativeLibrary.getInstance(name);
            nl.getFunction("avifImageSetProfileICC");
            AvifLibrary lib = Native.load(name, AvifLibrary.class);
            String version = lib.avifVersion();
            if (version == null || !version.startsWith(VERSION_PREFIX)) {
                return new Loaded(null, null, "libavif " + version + " is not the " + VERSION_PREFIX
                        + "x this binding mirrors");
            }
            String codec = lib.avifCodecName(AvifLibrary.AVIF_CODEC_CHOICE_AUTO, AvifLibrary.AVIF_CODEC_FLAG_CAN_ENCODE);
            if (codec == null) return new Loaded(null, null, "libavif " + version + " has no AV1 encoder");
            File f = nl.getFile();
            return new Loaded(lib, (f == null ? nl.getName() : f.getPath()) + " " + version + " (" + codec + ")",
                    null);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            return new Loaded(null, null, String.valueOf(e.getMessage()));
        }
    }

    /** Whether AVIF can be written: the library loaded and it is not switched off by {@value #ENABLED_PROPERTY}. */
    public static boolean available() {
        return !disabled() && Holder.LOADED.lib() != null;
    }

    /** What {@link #available()} rests on, for a log line or an error message. */
    public static String describe() {
        if (disabled()) return "switched off by -D" + ENABLED_PROPERTY + "=false";
        Loaded l = Holder.LOADED;
        return l.lib() != null ? l.file() : "libavif not loaded: " + l.failure();
    }

    /** The writer; it keeps no native state between calls. */
    public static AvifWriter writer() throws AvifException {
        if (!available()) throw new AvifException("AVIF is not available (" + describe() + ")");
        return new AvifWriter(Holder.LOADED.lib());
    }

    private static boolean disabled() {
        return "false".equalsIgnoreCase(System.getProperty(ENABLED_PROPERTY, "true").trim());
    }
}
