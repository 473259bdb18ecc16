package org.vellum.codec.avif;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

import org.vellum.codec.OptionalLibrary.Loaded;

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

    private static final class Holder {
        static final Loaded<AvifLibrary> LOADED = load(LIBRARY);
    }

    /** Loads the named library; a missing one, another version or one without an AV1 encoder is reported, not thrown. */
    static Loaded<AvifLibrary> load(String name) {
        if (Native.POINTER_SIZE != 8 || Native.LONG_SIZE != 8) {
            return Loaded.failed("the binding mirrors the LP64 layout (64-bit Linux, macOS)");
        }
        try {
            NativeLibrary nl = NativeLibrary.getInstance(name);
            nl.getFunction("avifImageSetProfileICC");
            AvifLibrary lib = Native.load(name, AvifLibrary.class);
            String version = lib.avifVersion();
            if (version == null || !version.startsWith(VERSION_PREFIX)) {
                return Loaded.failed("libavif " + version + " is not the " + VERSION_PREFIX
                        + "x this binding mirrors");
            }
            String codec = lib.avifCodecName(AvifLibrary.AVIF_CODEC_CHOICE_AUTO, AvifLibrary.AVIF_CODEC_FLAG_CAN_ENCODE);
            if (codec == null) return Loaded.failed("libavif " + version + " has no AV1 encoder");
            Loaded<AvifLibrary> loaded = Loaded.of(lib, nl);
            return new Loaded<>(lib, loaded.file() + " " + version + " (" + codec + ")", null);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            return Loaded.failed(String.valueOf(e.getMessage()));
        }
    }

    /** Whether AVIF can be written: the library loaded and it is not switched off by {@value #ENABLED_PROPERTY}. */
    public static boolean available() {
        return Holder.LOADED.available(ENABLED_PROPERTY);
    }

    /** What {@link #available()} rests on, for a log line or an error message. */
    public static String describe() {
        return Holder.LOADED.describe(ENABLED_PROPERTY, "libavif");
    }

    /** The writer; it keeps no native state between calls. */
    public static AvifWriter writer() throws AvifException {
        if (!available()) throw new AvifException("AVIF is not available (" + describe() + ")");
        return new AvifWriter(Holder.LOADED.lib());
    }

}
