package org.vellum.codec.turbojpeg;

import java.io.IOException;

/** TurboJPEG refused or failed a call; the message is the library's own (tjGetErrorStr2). */
public class TurboJpegException extends IOException {
    private static final long serialVersionUID = 1L;

    public TurboJpegException(String message) {
        super(message);
    }
}
