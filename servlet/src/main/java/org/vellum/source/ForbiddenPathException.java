package org.vellum.source;

/** The identifier would lead outside the image root. */
public final class ForbiddenPathException extends Exception {
    public ForbiddenPathException(String message) {
        super(message);
    }
}
