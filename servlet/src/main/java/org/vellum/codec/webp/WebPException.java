package org.vellum.codec.webp;

import java.io.IOException;

/** libwebp or libwebpmux refused or failed a call, or is not there. */
public class WebPException extends IOException {
    private static final long serialVersionUID = 1L;

    public WebPException(String message) {
        super(message);
    }
}
