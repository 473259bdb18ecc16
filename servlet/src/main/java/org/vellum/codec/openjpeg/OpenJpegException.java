package org.vellum.codec.openjpeg;

import java.util.List;

/** A JPEG 2000 file could not be read or written. Carries the messages OpenJPEG reported, if any. */
public class OpenJpegException extends Exception {
    private static final long serialVersionUID = 1L;

    private final List<String> nativeMessages;

    public OpenJpegException(String message) {
        this(message, List.of(), null);
    }

    public OpenJpegException(String message, Throwable cause) {
        this(message, List.of(), cause);
    }

    public OpenJpegException(String message, List<String> nativeMessages) {
        this(message, nativeMessages, null);
    }

    public OpenJpegException(String message, List<String> nativeMessages, Throwable cause) {
        super(nativeMessages.isEmpty() ? message : message + ": " + String.join("; ", nativeMessages), cause);
        this.nativeMessages = List.copyOf(nativeMessages);
    }

    /** The error messages OpenJPEG reported through its error callback (trimmed), oldest first. */
    public List<String> nativeMessages() {
        return nativeMessages;
    }
}
