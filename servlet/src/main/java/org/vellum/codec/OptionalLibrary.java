package org.vellum.codec;

import java.io.File;

import com.sun.jna.NativeLibrary;

/**
 * A native library Vellum uses when the machine has it (TurboJPEG, libwebp, libavif): loaded once by its binding's
 * holder class, or the reason it could not be; and a system property that makes Vellum act as if it were missing.
 */
public final class OptionalLibrary {
    private OptionalLibrary() {
    }

    /**
     * The library's interface, or why it could not be loaded: exactly one of {@code lib} and {@code failure} is set.
     *
     * @param file where it was loaded from, for the log
     */
    public record Loaded<L>(L lib, String file, String failure) {

        public static <L> Loaded<L> of(L lib, NativeLibrary loaded) {
            File f = loaded.getFile();
            return new Loaded<>(lib, f == null ? loaded.getName() : f.getPath(), null);
        }

        public static <L> Loaded<L> failed(String why) {
            return new Loaded<>(null, null, why);
        }

        /** Loaded, and not switched off by {@code -D<property>=false}. */
        public boolean available(String property) {
            return !switchedOff(property) && lib != null;
        }

        /** What {@link #available} rests on, for a log line or an error message. */
        public String describe(String property, String label) {
            if (switchedOff(property)) return "switched off by -D" + property + "=false";
            return lib != null ? file : label + " not loaded: " + failure;
        }
    }

    private static boolean switchedOff(String property) {
        return "false".equalsIgnoreCase(System.getProperty(property, "true").trim());
    }
}
