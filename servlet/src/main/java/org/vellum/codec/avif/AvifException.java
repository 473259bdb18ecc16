package org.vellum.codec.avif;

import java.io.IOException;

/** libavif refused or failed a call (the message is its avifResultToString and diagnostics), or is not there. */
public class AvifException extends IOException {
    private static final long serialVersionUID = 1L;

    public AvifException(String message) {
        super(message);
    }
}
