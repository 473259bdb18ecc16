package org.vellum.api;

/** The identifier would lead outside the image root. */
public final class ForbiddenPathException extends Exception {
    public ForbiddenPathException(String message) {
        super(message);
    }
}
